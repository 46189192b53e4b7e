"""The open meeting: its in-memory record, undo stack, saving and live readiness to sign.

The record is held in memory, detached from any database session (s47desk.graph); every edit
changes it and becomes an edit for the core (s47desk.editing) that the autosaver saves in its
own short transaction. So a failed save never touches what is on screen, nothing holds the
database's write lock between edits, and what someone else saves meanwhile is merged in field
by field. The few kinds of change — set a value, insert a row, remove a row — all come through
here and go out as signals the editors listen to.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from s47desk.application import Application
from s47desk.editing import Conflict, Edit, FieldEdit, RowDelete, RowInsert, encode
from s47desk.fields import FIELDS
from s47desk.forms import FormDefinition
from s47desk.graph import COLLECTIONS, ROW, TABLE_OF, columns, merge
from s47desk.models import Action, Base, Decision, Meeting
from s47desk.readiness import Readiness, readiness
from s47desk.saving import Outcome, SaveQueue
from s47desk.settings import Settings
from s47desk.ui import edits
from s47desk.ui.autosave import AutoSaver
from s47desk.ui.signing_keys import SigningKeys
from s47desk.ui.workers import TaskRunner

POLL_MS = 3000  # how often an idle window looks for someone else's save


class Notice(StrEnum):
    """What the ``notice`` signal is about (its message says it in words)."""

    CLEAR = ""  # a successful save: a save failure is over
    FAILED = "failed"  # a save failed: the edits are kept and journalled
    CONFLICT = "conflict"
    LOCKED = "locked"  # the meeting was signed elsewhere
    SIGNED = "signed"


def table_of(obj: Base) -> str:
    return str(obj.__tablename__)


def field_of(obj: Any, attr: str) -> str:
    """The field id a change of *attr* on *obj* belongs to (as forms and editors name it)."""
    if isinstance(obj, Meeting):
        return f"meeting.{attr}"
    if isinstance(obj, Decision):
        return f"decision.{obj.kind}"
    table = table_of(obj)
    return next(c for c in COLLECTIONS if TABLE_OF[c] == table)


def stored_value(obj: Any, attr: str) -> Any:
    """*attr* of *obj* in the form an edit carries (an action's child by its uid)."""
    value = edits.get_value(obj, attr)
    if attr == "child":
        return value.uid if value is not None else None
    return encode(value)


def row_values(obj: Base) -> dict[str, Any]:
    values = {key: encode(getattr(obj, key)) for key in columns(obj)}
    if isinstance(obj, Action):
        values["child"] = obj.child.uid if obj.child is not None else None
    return values


class MeetingDocument(QObject):
    """Edits go through :meth:`push` (undoable) and come back out as signals."""

    value_changed = Signal(str, object)  # field id, the object changed (meeting or a row)
    row_inserting = Signal(str, int)  # collection, index
    row_inserted = Signal(str, int)
    row_removing = Signal(str, int)
    row_removed = Signal(str, int)
    reset = Signal()  # everything may have changed (someone else's save, signing)
    readiness_changed = Signal(object)  # Readiness
    locked_changed = Signal(bool)
    status_changed = Signal()  # signed → circulated, written elsewhere (circulation)
    notice = Signal(str, str)  # a Notice, its message ("" clears)
    save_state_changed = Signal(str)  # what the status bar says about saving
    conflicts_found = Signal(object)  # list[Conflict]: the person chooses
    edits_refused = Signal(str, object)  # why, list[Edit]: the meeting was signed meanwhile

    def __init__(
        self,
        app: Application,
        meeting_id: int,
        *,
        tasks: TaskRunner,
        keys: SigningKeys,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.app = app
        self.db = app.db
        self.forms = app.forms
        self.protocol = app.protocol
        self.tasks = tasks  # the window's TaskRunner, for long operations
        self.keys = keys  # the window's SigningKeys (the unlocked signing key, in memory)
        self.today = app.today()
        self.meeting: Meeting = app.load_meeting(meeting_id)
        # Edits an earlier run journalled and the database has not taken yet: until they are
        # stored the meeting is read-only, so nobody types over text they cannot see.
        self.held: datetime | None = app.waiting_since(self.meeting.uid)
        self.meeting_id = meeting_id
        self.revision = self.meeting.revision  # the last revision this window has seen
        self.form: FormDefinition = self.forms.get(self.meeting.form_id)
        self.undo_stack = QUndoStack(self)
        self.queue = SaveQueue(self.meeting.uid, app.journal)
        self.autosaver = AutoSaver(app, self.queue, self)
        self.autosaver.finished.connect(self._saved)
        self.autosaver.state_changed.connect(self._report_state)
        self._positions = self._current_positions()
        self._check_timer = QTimer(self, singleShot=True, interval=120)
        self._check_timer.timeout.connect(self.recheck)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self.look_for_changes)
        self._poll.start()
        self.readiness: Readiness = readiness(self.meeting, self.form, self.protocol)

    # -- state -------------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self.app.settings

    @property
    def locked(self) -> bool:
        """Read-only: signed, or holding back while an earlier run's edits wait (:attr:`held`)."""
        return self.meeting.is_locked or self.held is not None

    def release(self) -> None:
        """The earlier run's edits are stored now: show them, and allow editing again."""
        if self.held is not None:
            self.held = None
            self.reload()
            self.locked_changed.emit(self.locked)

    @property
    def altered(self) -> str:
        """What the check of the chair's signature found, if this signed record no longer
        matches it ("" when it does, or is not signed)."""
        from s47desk.checks.integrity import ALTERED

        return next((f.message for f in self.readiness.findings if f.code == ALTERED), "")

    def base_date(self) -> date:
        """The day "+N working days" counts from: the day the meeting is held, else today."""
        return self.meeting.held_on or self.today

    def recheck(self) -> None:
        self._check_timer.stop()
        self.readiness = readiness(self.meeting, self.form, self.protocol)
        self.readiness_changed.emit(self.readiness)

    def save_state(self) -> str:
        """What is true about saving now, in words (only "All changes saved" when it is)."""
        saver = self.autosaver
        if saver.failing:
            wait = saver.retry_in()
            when = f" Trying again in {wait} s." if wait else ""
            if self.queue.journal_problem:
                return (
                    f"Not saved: {saver.failing}, and {self.queue.journal_problem}. Your text "
                    f"is only on screen: keep s47desk open.{when}"
                )
            return f"Not saved: {saver.failing}. Your text is kept and journalled.{when}"
        if saver.dirty:
            return "Saving…"
        if saver.last_saved is not None:
            return f"All changes saved {saver.last_saved:%H:%M:%S}"
        return "All changes saved"

    # -- edits -------------------------------------------------------------------------------
    def push(self, command: QUndoCommand) -> bool:
        """Apply an undoable edit; refused (False) on a signed record."""
        if self.locked:
            return False
        self.undo_stack.push(command)
        return True

    def _queue(self, edit: Edit, field_id: str, obj: Any) -> None:
        self.queue.add(edit)
        self.value_changed.emit(field_id, obj)
        self.autosaver.mark_dirty()
        self._check_timer.start()
        self._report_state()

    def set_value(self, obj: Any, attr: str, value: Any, field_id: str, label: str = "") -> None:
        old = stored_value(obj, attr)
        edits.set_value(obj, attr, value)
        new = stored_value(obj, attr)
        if old == new:
            self.value_changed.emit(field_id, obj)
            return
        edit = FieldEdit(table_of(obj), obj.uid, attr, old, new, self._label(obj, field_id, label))
        self._queue(edit, field_id, obj)

    def _label(self, obj: Any, field_id: str, label: str) -> str:
        """What the audit trail and a conflict call the field ("Action plan 3: due date")."""
        if isinstance(obj, Meeting | Decision) or field_id not in FIELDS:
            return label or field_id
        rows = getattr(self.meeting, field_id, [])
        number = next((i for i, r in enumerate(rows, start=1) if r is obj), 0)
        return f"{FIELDS[field_id].label} {number}: {label}" if label else FIELDS[field_id].label

    def insert_row(self, collection: str, index: int, obj: Any) -> None:
        rows = getattr(self.meeting, collection)
        index = min(index, len(rows))
        self.row_inserting.emit(collection, index)
        edits.insert_row(self.meeting, collection, index, obj)
        self.row_inserted.emit(collection, index)
        insert = RowInsert(table_of(obj), obj.uid, row_values(obj), collection)
        self.queue.add(insert)
        self._queue_positions(collection)
        self._queue_done(collection, obj)

    def remove_row(self, collection: str, obj: Any) -> int:
        index = getattr(self.meeting, collection).index(obj)
        self.row_removing.emit(collection, index)
        edits.remove_row(self.meeting, collection, obj)
        self.row_removed.emit(collection, index)
        self.queue.add(RowDelete(table_of(obj), obj.uid, row_values(obj), collection))
        self._positions.pop(obj.uid, None)
        self._queue_positions(collection)
        self._queue_done(collection, obj)
        return index

    def _queue_done(self, collection: str, obj: Any) -> None:
        self.value_changed.emit(collection, obj)
        self.autosaver.mark_dirty()
        self._check_timer.start()
        self._report_state()

    def _current_positions(self) -> dict[str, int]:
        return {
            row.uid: row.position
            for collection in COLLECTIONS
            for row in getattr(self.meeting, collection)
            if hasattr(row, "position")
        }

    def _queue_positions(self, collection: str) -> None:
        """Rows moved up or down by an insert or a removal: their new places, last-writer-wins."""
        for row in getattr(self.meeting, collection):
            if not hasattr(row, "position"):
                continue
            if self._positions.get(row.uid) != row.position:
                old = self._positions.get(row.uid)
                self._positions[row.uid] = row.position
                if old is not None:
                    edit = FieldEdit(table_of(row), row.uid, "position", old, row.position, "order")
                    self.queue.add(edit)

    # -- saving ------------------------------------------------------------------------------
    def save_now(self) -> bool:
        """Everything pending saved, waiting for it; True when all is in the database."""
        return self.autosaver.save_now()

    def _report_state(self) -> None:
        self.save_state_changed.emit(self.save_state())

    def _saved(self, outcome: Outcome) -> None:
        if outcome.failed:
            self.notice.emit(Notice.FAILED, self.save_state())
            return
        if outcome.locked:
            self.edits_refused.emit(outcome.locked, list(outcome.refused))
            self.reload()
            self.notice.emit(Notice.LOCKED, outcome.locked)
            return
        saved = outcome.saved
        self.notice.emit(Notice.CLEAR, "")
        if outcome.conflicts:
            self.conflicts_found.emit(list(outcome.conflicts))
        if saved is not None:
            someone_else = saved.revision_before != self.revision
            self.revision = saved.revision_after
            if someone_else or outcome.conflicts or saved.status != self.meeting.status.value:
                self.reload()

    def look_for_changes(self) -> None:
        """An idle window checks whether someone else saved (or signed) the meeting."""
        if self.queue.in_flight is not None:
            return
        try:
            state = self.app.meeting_state(self.meeting.uid)
        except Exception:  # the database is unreachable: the next save will say so
            return
        if state is not None and (state[0] != self.revision or state[1] != self.meeting.status):
            self.reload()

    def reload(self) -> None:
        """Merge what the database holds now, keeping this window's unsaved edits."""
        fresh = self.app.load_meeting(self.meeting_id)
        was_locked, was_status = self.locked, self.meeting.status

        def keep(uid: str, column: str) -> bool:
            if column == ROW:
                return any(
                    isinstance(e, RowInsert | RowDelete) and e.uid == uid
                    for e in self.queue.unsaved()
                )
            return self.queue.pending_for(uid, column)

        changes = merge(self.meeting, fresh, keep)
        self.revision = fresh.revision
        self._positions = self._current_positions()
        if any(c.kind != "value" for c in changes):
            self.reset.emit()
        else:
            for change in changes:
                self.value_changed.emit(field_of(change.obj, change.attr), change.obj)
        self.recheck()
        if self.locked != was_locked:
            self.undo_stack.clear()
            self.locked_changed.emit(self.locked)
        if self.meeting.status != was_status:
            self.status_changed.emit()

    def keep_mine(self, conflict: Conflict) -> None:
        """After a conflict: save this window's text over theirs (the person chose so)."""
        edit = conflict.edit
        self.queue.add(
            FieldEdit(edit.table, edit.uid, edit.column, conflict.theirs, edit.new, edit.label)
        )
        self.autosaver.mark_dirty()
        self._report_state()

    def circulated(self) -> None:
        """The status was changed in another session (circulation): show what it holds now."""
        self.reload()

    def mark_signed(self) -> None:
        """The chair signed (read back from the database by the caller): read-only from now."""
        self.undo_stack.clear()
        self.reload()

    def superseded_by(self) -> Any:
        """The signed later version of this record that replaces it, if any (an amendment)."""
        if not self.locked:
            return None
        from s47desk.amendments import superseded_by

        try:
            with self.db.sessions() as session:
                stored = session.get(Meeting, self.meeting_id)
                return superseded_by(session, stored) if stored is not None else None
        except Exception:  # the database is unreachable: say nothing rather than guess
            return None

    def close(self) -> bool:
        """Save what is pending; False if it could not be saved (it stays in the journal)."""
        self._poll.stop()
        self._check_timer.stop()
        ok = self.autosaver.save_now()
        self.autosaver.stop()
        return ok
