"""The open meeting: its in-memory record, undo stack, saving and live readiness to sign.

Session lifecycle: one long-lived session per *open meeting*, committed after every edit by the
autosaver. Why not one session per action: the checks re-read the whole meeting graph after every
keystroke, and keeping it loaded in one session makes that a few milliseconds instead of a reload;
each commit is still its own short transaction, and the ``version`` columns turn a concurrent
edit elsewhere into a StaleDataError that is shown, never silently overwritten. The session is
closed when the meeting is closed (or another is opened). Everything else (the meeting list,
new meetings, settings) uses a short session per user action.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from s47desk.application import Application
from s47desk.forms import FormDefinition
from s47desk.meetings import Readiness, get_meeting, readiness
from s47desk.models import Meeting
from s47desk.settings import Settings
from s47desk.ui import edits
from s47desk.ui.autosave import AutoSaver
from s47desk.ui.signing_keys import SigningKeys
from s47desk.ui.workers import TaskRunner

RETRY_MS = 2000


class MeetingDocument(QObject):
    """Edits go through :meth:`push` (undoable) and come back out as signals."""

    value_changed = Signal(str, object)  # field id, the object changed (meeting or a row)
    row_inserting = Signal(str, int)  # collection, index
    row_inserted = Signal(str, int)
    row_removing = Signal(str, int)
    row_removed = Signal(str, int)
    reset = Signal()  # everything may have changed (conflict, reload, signing)
    readiness_changed = Signal(object)  # Readiness
    locked_changed = Signal(bool)
    status_changed = Signal()  # signed → circulated, written elsewhere (circulation)
    notice = Signal(str, str)  # kind ("conflict", "failed", ""), message ("" clears)

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
        self.session = self.db.sessions()
        self.meeting: Meeting = get_meeting(self.session, meeting_id)
        self.meeting_id = meeting_id
        self.form: FormDefinition = self.forms.get(self.meeting.form_id)
        self.undo_stack = QUndoStack(self)
        self._saved_index = 0
        self.autosaver = AutoSaver(self.session, self)
        self.autosaver.saved.connect(self._on_saved)
        self.autosaver.conflict.connect(self._on_conflict)
        self.autosaver.failed.connect(self._on_failed)
        self._retry = QTimer(self, singleShot=True, interval=RETRY_MS)
        self._retry.timeout.connect(self.autosaver.save_now)
        self._check_timer = QTimer(self, singleShot=True, interval=120)
        self._check_timer.timeout.connect(self.recheck)
        self.readiness: Readiness = readiness(self.meeting, self.form, self.protocol)

    # -- state -------------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self.app.settings

    @property
    def locked(self) -> bool:
        return self.meeting.is_locked

    def base_date(self) -> date:
        """The day "+N working days" counts from: the day the meeting is held, else today."""
        return self.meeting.held_on or self.today

    def recheck(self) -> None:
        self._check_timer.stop()
        self.readiness = readiness(self.meeting, self.form, self.protocol)
        self.readiness_changed.emit(self.readiness)

    # -- edits -------------------------------------------------------------------------------
    def push(self, command: QUndoCommand) -> bool:
        """Apply an undoable edit; refused (False) on a signed record."""
        if self.locked:
            return False
        self.undo_stack.push(command)
        return True

    def _edited(self, field_id: str, obj: Any) -> None:
        self.value_changed.emit(field_id, obj)
        self.autosaver.mark_dirty()
        self._check_timer.start()

    def set_value(self, obj: Any, attr: str, value: Any, field_id: str) -> None:
        edits.set_value(obj, attr, value)
        self._edited(field_id, obj)

    def insert_row(self, collection: str, index: int, obj: Any) -> None:
        index = min(index, len(getattr(self.meeting, collection)))
        self.row_inserting.emit(collection, index)
        edits.insert_row(self.meeting, collection, index, obj)
        self.row_inserted.emit(collection, index)
        self._edited(collection, obj)

    def remove_row(self, collection: str, obj: Any) -> int:
        index = getattr(self.meeting, collection).index(obj)
        self.row_removing.emit(collection, index)
        edits.remove_row(self.meeting, collection, obj)
        self.row_removed.emit(collection, index)
        self._edited(collection, obj)
        return index

    # -- saving ------------------------------------------------------------------------------
    def save_now(self) -> bool:
        return self.autosaver.save_now()

    def _on_saved(self, _when: object) -> None:
        self._saved_index = self.undo_stack.index()
        self.notice.emit("", "")

    def _on_conflict(self, message: str) -> None:
        self.undo_stack.clear()
        self._saved_index = 0
        self.reset.emit()
        self.recheck()
        self.notice.emit("conflict", message)

    def _on_failed(self, message: str) -> None:
        """The rollback undid the unsaved edits in memory: replay them, then retry."""
        stack, now = self.undo_stack, self.undo_stack.index()
        # A SetValue merged into the last saved command is replayed too: setting is idempotent.
        start = max(0, self._saved_index - 1) if now >= self._saved_index else now
        with _Replaying(self):
            if now >= self._saved_index:
                for i in range(start, now):
                    stack.command(i).redo()
            else:
                for i in reversed(range(now, self._saved_index)):
                    stack.command(i).undo()
        self.reset.emit()
        self.autosaver.mark_dirty()
        self._retry.start()
        self.notice.emit("failed", message + " — your edits are kept and will be saved on retry.")

    def reload(self) -> None:
        """Drop the in-memory state and show what the database holds."""
        self.session.expire_all()
        self.reset.emit()
        self.recheck()

    def circulated(self) -> None:
        """The status was changed in another session (circulation): show what it holds now."""
        self.reload()
        self.status_changed.emit()

    def mark_signed(self) -> None:
        self.undo_stack.clear()
        self._saved_index = 0
        self.reset.emit()
        self.recheck()
        self.locked_changed.emit(True)

    def close(self) -> bool:
        """Save what is pending and release the session; False if the last save failed."""
        self._retry.stop()
        self._check_timer.stop()
        ok = self.autosaver.save_now()
        self.session.close()
        return ok


class _Replaying:
    """Silence the per-edit signals while unsaved edits are re-applied after a failed save."""

    def __init__(self, doc: MeetingDocument) -> None:
        self.doc = doc

    def __enter__(self) -> None:
        self.doc.blockSignals(True)

    def __exit__(self, *_exc: object) -> None:
        self.doc.blockSignals(False)
