"""Signed records never change: any flush that would alter one is refused before it reaches disk.

The only change allowed to a signed meeting is its status moving from signed to circulated.
Corrections will come as versioned amendments, never as edits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from s47desk.errors import UserError
from s47desk.models import (
    Action,
    Attendee,
    Child,
    Decision,
    Dissent,
    InformationItem,
    Meeting,
    SignOff,
)
from s47desk.vocab import MeetingStatus

LOCKED = (MeetingStatus.SIGNED, MeetingStatus.CIRCULATED)
RECORD_PARTS = (Child, Attendee, InformationItem, Decision, Dissent, Action, SignOff)
# Bookkeeping the database itself maintains, not content of the record.
_BOOKKEEPING = {"status", "updated_at", "revision", "audit_head"}


class SignedRecordError(UserError):
    """An attempt to change a meeting that has been signed."""


def _stored_status(meeting: Meeting) -> Any:
    history = inspect(meeting).attrs.status.history
    if history.deleted:
        return history.deleted[0]
    return meeting.status if inspect(meeting).persistent else None


def _guard_meeting(meeting: Meeting) -> None:
    before = _stored_status(meeting)
    if before not in LOCKED:
        return
    state = inspect(meeting)
    changed = {a.key for a in state.attrs if a.history.has_changes()}
    moved_on = before is MeetingStatus.SIGNED and meeting.status is MeetingStatus.CIRCULATED
    if changed - _BOOKKEEPING or ("status" in changed and not moved_on):
        raise SignedRecordError(
            f"Meeting {meeting.id} is signed and cannot be changed "
            f"({', '.join(sorted(changed - _BOOKKEEPING)) or 'status'}); record an amendment instead."
        )


def _parent(obj: Any, session: Session) -> Meeting | None:
    meeting = getattr(obj, "meeting", None)
    if meeting is None and getattr(obj, "meeting_id", None) is not None:
        meeting = session.get(Meeting, obj.meeting_id)
    return meeting


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Meeting):
            if obj in session.deleted and _stored_status(obj) in LOCKED:
                raise SignedRecordError(f"Meeting {obj.id} is signed and cannot be deleted.")
            if obj in session.dirty:
                _guard_meeting(obj)
        elif isinstance(obj, RECORD_PARTS):
            meeting = _parent(obj, session)
            if (
                meeting is not None
                and inspect(meeting).persistent
                and _stored_status(meeting) in LOCKED
            ):
                raise SignedRecordError(
                    f"Meeting {meeting.id} is signed: its {type(obj).__name__.lower()} entries "
                    "cannot be changed; record an amendment instead."
                )


def install_lock_guard(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _before_flush)
