"""A meeting's whole record in memory, detached from any database session.

The open window edits this graph and sends edits (s47desk.editing) to the database; nothing in
it can start a transaction or hold a lock. When someone else saves the same meeting, their
changes are merged into the graph in place — field by field, row by row — leaving alone what
this window has not saved yet, so that an editor being typed into never loses its text and
undo keeps working on the same objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, selectinload

from s47desk.models import Action, Base, Meeting

#: The meeting's collections a window edits, each with its field id (as forms name them).
COLLECTIONS = ("children", "attendees", "information", "decisions", "dissents", "actions")
TABLE_OF = {
    "children": "child",
    "attendees": "attendee",
    "information": "information_item",
    "decisions": "decision",
    "dissents": "dissent",
    "actions": "action",
}
ROW = "__row__"  # a row-level pending edit (an insert or a delete not yet saved)
_SKIP = frozenset({"id", "uid", "meeting_id", "child_id", "initiating_meeting_id"})


def load_options() -> list[Any]:
    """Everything a meeting's record holds, loaded with it (no lazy loads later)."""
    return [
        selectinload(Meeting.children),
        selectinload(Meeting.attendees),
        selectinload(Meeting.information),
        selectinload(Meeting.decisions),
        selectinload(Meeting.dissents),
        selectinload(Meeting.actions).selectinload(Action.child),
        selectinload(Meeting.signoffs),
        selectinload(Meeting.initiating_meeting),
    ]


def load(session: Session, meeting_id: int) -> Meeting | None:
    """The meeting with everything a window, the checks and the record read, fully loaded; it
    stays usable after *session* closes."""
    meeting = session.scalar(
        select(Meeting).where(Meeting.id == meeting_id).options(*load_options())
    )
    if meeting is None:
        return None
    for child in meeting.children:  # the back-references, so nothing loads lazily later
        _ = child.meeting
    return meeting


def columns(obj: Base) -> list[str]:
    """The columns of *obj* that carry the record (not ids or links)."""
    return [c.key for c in obj.__table__.columns if c.key not in _SKIP]


@dataclass(frozen=True)
class Merged:
    """One change merged in: a value ("value"), a row added ("insert") or removed ("remove")."""

    kind: str
    collection: str  # "" for the meeting itself
    obj: Any
    index: int
    attr: str = ""


Keep = Callable[[str, str], bool]  # (row uid, column or ROW) -> this window's edit is unsaved


def _copy_values(mine: Base, theirs: Base, keep: Keep, collection: str) -> list[Merged]:
    out = []
    uid = getattr(mine, "uid", "")
    for key in columns(mine):
        if keep(uid, key):
            continue
        new = getattr(theirs, key)
        if key == "details":
            merged = dict(getattr(mine, key) or {})
            changed = False
            for detail in set(merged) | set(new or {}):
                if keep(uid, f"details.{detail}"):
                    continue
                value = (new or {}).get(detail)
                if merged.get(detail) != value:
                    changed = True
                    if value is None:
                        merged.pop(detail, None)
                    else:
                        merged[detail] = value
            if changed:
                setattr(mine, key, merged)
                out.append(Merged("value", collection, mine, -1, key))
        elif getattr(mine, key) != new:
            setattr(mine, key, new)
            out.append(Merged("value", collection, mine, -1, key))
    return out


def merge(mine: Meeting, theirs: Meeting, keep: Keep) -> list[Merged]:
    """Bring *mine* up to *theirs* (a fresh load), except what *keep* says is unsaved here."""
    out = _copy_values(mine, theirs, keep, "")
    for collection in COLLECTIONS:
        rows: list[Any] = getattr(mine, collection)
        fresh: list[Any] = list(getattr(theirs, collection))
        by_uid = {r.uid: r for r in rows}
        fresh_uids = {r.uid for r in fresh}
        for row in list(rows):
            if row.uid not in fresh_uids and not keep(row.uid, ROW):
                index = rows.index(row)
                rows.remove(row)
                out.append(Merged("remove", collection, row, index))
        for index, row in enumerate(fresh):
            if row.uid in by_uid:
                out += _copy_values(by_uid[row.uid], row, keep, collection)
            elif not keep(row.uid, ROW):
                inspect(row)  # a detached row from the fresh load: it joins this graph
                rows.insert(min(index, len(rows)), row)
                out.append(Merged("insert", collection, row, rows.index(row)))
    children = {c.uid: c for c in mine.children}
    for action in mine.actions:  # an action's child must be this graph's object
        if action.child is not None and children.get(action.child.uid) is not action.child:
            action.child = children.get(action.child.uid)
    mine.signoffs = list(theirs.signoffs)
    return out
