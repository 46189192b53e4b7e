"""Changes made through the ORM (create, import, sign, circulate, amend) reach the audit trail
and the meeting's revision, exactly as the window's edits do through s47desk.editing.

Installed on every session factory: before a flush it notes each changed meeting and record row
(old and new values), and bumps the meeting's revision so an open window knows to look; after
the flush it appends the entries to the meeting's hash chain inside the same transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from s47desk import audit
from s47desk.lock import RECORD_PARTS
from s47desk.models import Meeting

_PENDING = "s47_audit_pending"
_SKIP = frozenset({"id", "meeting_id", "updated_at", "revision", "audit_head", "created_at"})


def actor_of(session: Session) -> audit.Actor:
    found = session.info.get("actor")
    return found if isinstance(found, audit.Actor) else audit.Actor.local()


def _meeting_of(obj: Any, session: Session) -> Meeting | None:
    if isinstance(obj, Meeting):
        return obj
    meeting = getattr(obj, "meeting", None)
    if meeting is None and getattr(obj, "meeting_id", None) is not None:
        meeting = session.get(Meeting, obj.meeting_id)
    return meeting if isinstance(meeting, Meeting) else None


def _label(obj: Any) -> str:
    return str(obj.__tablename__)


def _changes(obj: Any, new: bool, deleted: bool) -> list[audit.Change]:
    state = inspect(obj)
    item = getattr(obj, "uid", "") if not isinstance(obj, Meeting) else ""
    if new:
        if isinstance(obj, Meeting):
            return [audit.Change("create", "meeting", "", "", obj.form_id)]
        values = {a.key: getattr(obj, a.key) for a in state.mapper.column_attrs}
        shown = {k: v for k, v in values.items() if k not in _SKIP and k != "uid"}
        return [audit.Change("add", _label(obj), item or "", "", audit.as_text(shown))]
    if deleted:
        return [audit.Change("remove", _label(obj), item or "", "", "")]
    out = []
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIP:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        value = history.added[0] if history.added else None
        action = "status" if attr.key == "status" else "edit"
        field = attr.key if isinstance(obj, Meeting) else f"{_label(obj)}.{attr.key}"
        out.append(
            audit.Change(action, field, item or "", audit.as_text(old), audit.as_text(value))
        )
    return out


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    pending: dict[str, list[audit.Change]] = session.info.setdefault(_PENDING, {})
    touched: set[Meeting] = set()
    for objects, new, deleted in (
        (session.new, True, False),
        (session.dirty, False, False),
        (session.deleted, False, True),
    ):
        for obj in objects:
            if not isinstance(obj, (Meeting, *RECORD_PARTS)):
                continue
            meeting = _meeting_of(obj, session)
            if meeting is None or not meeting.uid:
                continue
            changes = _changes(obj, new, deleted)
            if changes:
                pending.setdefault(meeting.uid, []).extend(changes)
                if inspect(meeting).persistent and meeting not in session.deleted:
                    touched.add(meeting)
    for meeting in touched:
        history = inspect(meeting).attrs.revision.history
        if not history.has_changes():
            meeting.revision = (meeting.revision or 0) + 1


def _after_flush(session: Session, _context: Any) -> None:
    pending: dict[str, list[audit.Change]] = session.info.pop(_PENDING, {})
    if not pending:
        return
    connection = session.connection()
    actor = actor_of(session)
    for meeting_uid, changes in pending.items():
        audit.append(connection, meeting_uid, changes, actor)


def install_audit_hook(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
