"""Undoable edits: one small QUndoCommand per kind of edit, each calling one document method.

Typing in a field merges into one command while the same field is edited without a pause, so
Ctrl+Z takes back a phrase rather than a letter.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtGui import QUndoCommand

from s47desk.decisions import DECISION_BY_KEY
from s47desk.models import Decision, decision_uid
from s47desk.ui import edits
from s47desk.ui.document import MeetingDocument

MERGE_SECONDS = 2.0
_SET_VALUE_ID = 1


class SetValue(QUndoCommand):
    """Set one attribute of the meeting or of one of its rows."""

    def __init__(
        self, doc: MeetingDocument, obj: Any, attr: str, value: Any, field_id: str, label: str
    ) -> None:
        super().__init__(f"Edit {label}")
        self.doc, self.obj, self.attr, self.field_id = doc, obj, attr, field_id
        self.label = label
        old = edits.get_value(obj, attr)
        self.old = list(old) if isinstance(old, list) else old  # not the live (mutable) list
        self.new = value
        self.at = time.monotonic()

    def redo(self) -> None:
        self.doc.set_value(self.obj, self.attr, self.new, self.field_id, self.label)

    def undo(self) -> None:
        self.doc.set_value(self.obj, self.attr, self.old, self.field_id, self.label)

    def id(self) -> int:
        return _SET_VALUE_ID if isinstance(self.new, str) else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt's name)
        if not (
            isinstance(other, SetValue)
            and other.obj is self.obj
            and other.attr == self.attr
            and other.at - self.at < MERGE_SECONDS
        ):
            return False
        self.new, self.at = other.new, other.at
        return True


class InsertRow(QUndoCommand):
    def __init__(self, doc: MeetingDocument, collection: str, obj: Any, label: str) -> None:
        super().__init__(f"Add {label}")
        self.doc, self.collection, self.obj = doc, collection, obj
        self.index = len(getattr(doc.meeting, collection))

    def redo(self) -> None:
        self.doc.insert_row(self.collection, self.index, self.obj)

    def undo(self) -> None:
        self.doc.remove_row(self.collection, self.obj)


class RemoveRow(QUndoCommand):
    """Remove a row; removing a child also takes it off the actions that were for it."""

    def __init__(self, doc: MeetingDocument, collection: str, obj: Any, label: str) -> None:
        super().__init__(f"Remove {label}")
        self.doc, self.collection, self.obj = doc, collection, obj
        self.index = getattr(doc.meeting, collection).index(obj)
        children = collection == "children"
        self.linked = edits.actions_for_child(doc.meeting, obj) if children else []
        self.listed = [
            (action, list(action.for_children))
            for action in (doc.meeting.actions if children else [])
            if obj.uid in action.for_children
        ]

    def redo(self) -> None:
        for action in self.linked:
            self.doc.set_value(action, "child", None, "actions", "child")
        for action, uids in self.listed:
            rest = [uid for uid in uids if uid != self.obj.uid]
            self.doc.set_value(action, "for_children", rest, "actions", "children")
        self.doc.remove_row(self.collection, self.obj)

    def undo(self) -> None:
        self.doc.insert_row(self.collection, self.index, self.obj)
        for action in self.linked:
            self.doc.set_value(action, "child", self.obj, "actions", "child")
        for action, uids in self.listed:
            self.doc.set_value(action, "for_children", list(uids), "actions", "children")


class SetDecision(QUndoCommand):
    """Set a decision's choice, rationale or a detail, creating the decision on first use."""

    def __init__(self, doc: MeetingDocument, kind: str, attr: str, value: Any) -> None:
        title = DECISION_BY_KEY[kind].title
        super().__init__(f"Edit {title}")
        self.label = f"{title}: {attr.removeprefix('details.')}"
        self.doc, self.kind, self.attr, self.new = doc, kind, attr, value
        self.field_id = f"decision.{kind}"
        existing = doc.meeting.decision(kind)
        self.created = existing is None
        self.decision = existing or Decision(
            kind=kind, details={}, uid=decision_uid(doc.meeting.uid, kind)
        )
        self.old = "" if self.created else edits.get_value(self.decision, attr)
        self.at = time.monotonic()

    def redo(self) -> None:
        if self.created:
            self.doc.insert_row("decisions", len(self.doc.meeting.decisions), self.decision)
        self.doc.set_value(self.decision, self.attr, self.new, self.field_id, self.label)

    def undo(self) -> None:
        if self.created:
            self.doc.remove_row("decisions", self.decision)
            self.doc.value_changed.emit(self.field_id, self.decision)
        else:
            self.doc.set_value(self.decision, self.attr, self.old, self.field_id, self.label)

    def id(self) -> int:
        return _SET_VALUE_ID if isinstance(self.new, str) and not self.created else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        if not (
            isinstance(other, SetDecision)
            and not other.created
            and other.kind == self.kind
            and other.attr == self.attr
            and other.at - self.at < MERGE_SECONDS
        ):
            return False
        self.new, self.at = other.new, other.at
        return True


def set_meeting(doc: MeetingDocument, field_id: str, value: Any, label: str) -> bool:
    """Set a scalar field of the meeting; nothing is pushed when the value is unchanged."""
    attr = field_id.split(".", 1)[1]
    if getattr(doc.meeting, attr) == value:
        return False
    return doc.push(SetValue(doc, doc.meeting, attr, value, field_id, label))


def set_row(
    doc: MeetingDocument, obj: Any, attr: str, value: Any, field_id: str, label: str
) -> bool:
    if edits.get_value(obj, attr) == value:
        return False
    return doc.push(SetValue(doc, obj, attr, value, field_id, label))


def set_decision(doc: MeetingDocument, kind: str, attr: str, value: Any) -> bool:
    decision = doc.meeting.decision(kind)
    current = edits.get_value(decision, attr) if decision is not None else ""
    if current == value or (decision is None and value in ("", None)):
        return False
    return doc.push(SetDecision(doc, kind, attr, value))


def set_action_children(doc: MeetingDocument, action: Any, uids: list[str]) -> bool:
    """Say which children *action* is for (by uid, kept in the meeting's order): one undoable
    step, which also retires the single child an action made before multi-child actions named
    (``Action.child``), so that what is ticked is exactly what the record prints."""
    wanted = set(uids)
    chosen = [c.uid for c in doc.meeting.children if c.uid in wanted]
    if doc.locked or (chosen == list(action.for_children) and action.child is None):
        return False
    doc.undo_stack.beginMacro("Edit the children of an action")
    if action.child is not None:
        doc.push(SetValue(doc, action, "child", None, "actions", "child"))
    if chosen != list(action.for_children):
        doc.push(SetValue(doc, action, "for_children", chosen, "actions", "children"))
    doc.undo_stack.endMacro()
    return True
