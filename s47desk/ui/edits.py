"""The few ways the window changes a meeting: set a value, insert a row, remove a row.

Plain functions over the ORM objects (no Qt), so that undo commands and tests share one path.
A value of a decision's detail is addressed as ``details.<key>``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import make_transient

from s47desk.models import Action, Child, Meeting

DETAIL = "details."


def get_value(obj: Any, attr: str) -> Any:
    if attr.startswith(DETAIL):
        return obj.details.get(attr.removeprefix(DETAIL), "")
    return getattr(obj, attr)


def set_value(obj: Any, attr: str, value: Any) -> None:
    if attr.startswith(DETAIL):
        key = attr.removeprefix(DETAIL)
        if value in ("", None):
            obj.details.pop(key, None)
        else:
            obj.details[key] = value
        return
    setattr(obj, attr, value)


def _revive(obj: Any) -> None:
    """A row whose deletion was already saved becomes new again (undo of a removal)."""
    state = inspect(obj)
    if state.deleted or state.was_deleted or (state.detached and state.key is not None):
        make_transient(obj)
        obj.id = None


def insert_row(meeting: Meeting, collection: str, index: int, obj: Any) -> None:
    _revive(obj)
    rows = getattr(meeting, collection)
    rows.insert(min(index, len(rows)), obj)


def remove_row(meeting: Meeting, collection: str, obj: Any) -> int:
    rows = getattr(meeting, collection)
    index = rows.index(obj)
    rows.remove(obj)
    return index


def actions_for_child(meeting: Meeting, child: Child) -> list[Action]:
    """Actions that name *child*: they lose the link when the child is removed."""
    return [a for a in meeting.actions if a.child is child]
