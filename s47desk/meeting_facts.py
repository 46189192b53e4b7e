"""What a meeting's own rows say about it, written once for a meeting graph
(``models.Meeting``) and for the list's plain rows (``plain_rows.PlainMeeting``).

Kept free of SQLAlchemy so that the list can be read without importing it (s47desk.list_read).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from s47desk.vocab import ChildRole

_SUBJECTS = (ChildRole.SUBJECT, ChildRole.UNBORN)


def held_on(meeting: Any) -> date | None:
    held_at = meeting.held_at
    return held_at.date() if held_at else None


def subject_children(meeting: Any) -> list[Any]:
    return [c for c in meeting.children if c.role in _SUBJECTS]


def decision(meeting: Any, kind: str) -> Any:
    """The meeting's first decision of *kind*, or None."""
    return next((d for d in meeting.decisions if d.kind == kind), None)


def display_name(meeting: Any) -> str:
    """The subject children's names, as a list of meetings shows them."""
    names = [c.name for c in meeting.subject_children() if c.name] or [
        c.name for c in meeting.children if c.name
    ]
    return ", ".join(names) if names else "(no child named yet)"
