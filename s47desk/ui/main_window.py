"""The main window: the meeting list, the open meeting, readiness and deadlines, menus.

Actions are declared once in ``window_actions.ACTIONS`` (name, text, shortcut, handler) and
placed in menus by name. Layout (geometry, docks, splitter), the last meeting, text size and palette are remembered
in ``window.ini`` in the configuration folder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from s47desk.application import Application
from s47desk.checks import Severity
from s47desk.paths import config_dir
from s47desk.settings import Settings
from s47desk.ui.deadlines_panel import DeadlinesPanel
from s47desk.ui.meeting_list import MeetingList, load_rows
from s47desk.ui.readiness import ReadinessPanel
from s47desk.ui.signing_keys import SigningKeys
from s47desk.ui.theme import TEXT_SCALES, Heading, apply_theme, muted, set_text_scale
from s47desk.ui.window_actions import MEETING_ACTIONS, build_actions
from s47desk.ui.workers import TaskRunner

if TYPE_CHECKING:  # loaded when a meeting is first opened: not on the way to the first paint
    from s47desk.editing import Conflict, Edit
    from s47desk.recovery import Recovered
    from s47desk.ui.clock import MeetingClock
    from s47desk.ui.document import MeetingDocument
    from s47desk.ui.meeting_view import MeetingView


class MainWindow(QMainWindow):
    def __init__(
        self,
        app: Application,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.app = app
        self.state = QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)
        self.doc: MeetingDocument | None = None
        self.view: MeetingView | None = None
        self.clocks: dict[int, MeetingClock] = {}
        self.tasks = TaskRunner(self)
        self.keys = SigningKeys(self)
        self.actions_: dict[str, QAction] = {}
        self.problems_box: QWidget | None = None  # what the settings could not give (non-modal)
        self.leftovers: list[MeetingDocument] = []  # closed meetings still saving their edits
        self.conflict_dialog: QWidget | None = None
        self.refused_dialog: QWidget | None = None
        self._build_central()
        self._build_docks()
        self._build_status()
        self._build_actions()
        self._list_timer = QTimer(self, singleShot=True, interval=300)
        self._list_timer.timeout.connect(self.update_open_row)
        self.restore_layout()
        self.update_title()

    # -- building -----------------------------------------------------------------------------
    def _build_central(self) -> None:
        self.central = QStackedWidget()
        empty = QWidget()
        from PySide6.QtWidgets import QVBoxLayout

        layout = QVBoxLayout(empty)
        layout.addStretch(1)
        layout.addWidget(Heading("No meeting open", 1.4), 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(
            muted("Choose a meeting from the list, or start a new one (Ctrl+N)."),
            0,
            Qt.AlignmentFlag.AlignHCenter,
        )
        layout.addStretch(2)
        self.central.addWidget(empty)
        self.setCentralWidget(self.central)

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.meeting_list = MeetingList(self.app.forms, self.app.today())
        self.meeting_list.open_meeting.connect(self.open_meeting)
        self.meeting_list.new_meeting.connect(self.new_meeting)
        self.readiness = ReadinessPanel()
        self.readiness.finding_activated.connect(self.go_to_finding)
        self.deadlines = DeadlinesPanel()
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.list_dock = self._dock(
            "meetingsDock", "Meetings", self.meeting_list, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.readiness_dock = self._dock(
            "readinessDock",
            "Readiness to sign",
            self.readiness,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.deadlines_dock = self._dock(
            "deadlinesDock", "Deadlines", self.deadlines, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        # On a laptop the open meeting needs the width: the list shares a tabbed dock with the
        # readiness panel (which matters only while a meeting is open).
        self.tabifyDockWidget(self.list_dock, self.readiness_dock)
        self.setTabPosition(Qt.DockWidgetArea.RightDockWidgetArea, QTabWidget.TabPosition.North)
        self.list_dock.raise_()
        self.resizeDocks([self.readiness_dock], [380], Qt.Orientation.Horizontal)
        self.resizeDocks([self.deadlines_dock], [170], Qt.Orientation.Vertical)

    def _build_status(self) -> None:
        self.save_label = QLabel("")
        self.save_label.setAccessibleName("Save state")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator: exports report steps, not percentages
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName("Working")
        self.progress.hide()
        self.task_label = QLabel("")
        self.statusBar().addWidget(self.task_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.save_label)
        self.tasks.started.connect(
            lambda t: (self.task_label.setText(t + "…"), self.progress.show())
        )
        self.tasks.progress.connect(lambda t: self.task_label.setText(t + "…"))
        self.tasks.finished.connect(lambda t: (self.task_label.setText(t), self.progress.hide()))

    def _build_actions(self) -> None:
        self.actions_, self.step_actions = build_actions(self)
        self._meeting_actions_enabled(False)

    def _meeting_actions_enabled(self, enabled: bool) -> None:
        for name in MEETING_ACTIONS:
            self.actions_[name].setEnabled(enabled)
        for action in self.step_actions:
            action.setEnabled(enabled)

    # -- meetings -----------------------------------------------------------------------------
    def refresh_list(self) -> None:
        """Read the whole list again, now (after a restore, new settings; tests)."""
        self.meeting_list.set_rows(
            load_rows(self.app.db, self.app.forms, self.app.protocol, self.app.today()),
            self.app.today(),
        )
        if self.doc is not None:
            self.meeting_list.select_meeting(self.doc.meeting_id)

    def load_list(self) -> None:
        """Read the list on a worker thread (the window is shown and usable meanwhile)."""
        app, today = self.app, self.app.today()
        self.meeting_list.load_in_background(
            lambda: load_rows(app.db, app.forms, app.protocol, today), today
        )

    def refresh_row(self, meeting_id: int) -> None:
        """The one meeting's row read again from the database (signed, circulated, new)."""
        for row in load_rows(
            self.app.db, self.app.forms, self.app.protocol, self.app.today(), ids=[meeting_id]
        ):
            self.meeting_list.update_summary(row.summary)

    def update_open_row(self) -> None:
        """The open meeting's row, from what the window holds (typing never reloads the list)."""
        from s47desk.meetings import summarise

        doc = self.doc
        if doc is None:
            return
        listed = self.meeting_list.summary_of(doc.meeting_id)
        altered = listed.altered if listed is not None and doc.locked else False
        self.meeting_list.update_summary(
            summarise(
                doc.meeting, self.app.forms, self.app.protocol, self.app.today(), altered=altered
            )
        )

    def open_meeting(self, meeting_id: int) -> None:
        if self.doc is not None and self.doc.meeting_id == meeting_id:
            return
        from s47desk.ui.clock import MeetingClock
        from s47desk.ui.document import MeetingDocument
        from s47desk.ui.meeting_view import MeetingView

        self.close_meeting()
        doc = MeetingDocument(self.app, meeting_id, tasks=self.tasks, keys=self.keys, parent=self)
        clock = self.clocks.setdefault(meeting_id, MeetingClock(len(doc.form.steps), self))
        view = MeetingView(doc, clock)
        self.doc, self.view = doc, view
        self.central.addWidget(view)
        self.central.setCurrentWidget(view)
        doc.readiness_changed.connect(self._rechecked)
        doc.save_state_changed.connect(lambda _text: self.show_save_state())
        doc.autosaver.finished.connect(lambda _outcome: self.update_title())
        doc.conflicts_found.connect(self.show_conflicts)
        doc.edits_refused.connect(self.show_refused)
        doc.value_changed.connect(lambda *_: self._list_timer.start())
        doc.locked_changed.connect(
            lambda _l: (
                self._meeting_actions_enabled(not doc.locked),
                self.refresh_row(doc.meeting_id),
            )
        )
        doc.status_changed.connect(lambda: self.refresh_row(doc.meeting_id))
        doc.undo_stack.canUndoChanged.connect(self.actions_["undo"].setEnabled)
        doc.undo_stack.canRedoChanged.connect(self.actions_["redo"].setEnabled)
        view.title_changed.connect(self.update_title)
        self._meeting_actions_enabled(not doc.locked)
        self.actions_["undo"].setEnabled(False)
        self.actions_["redo"].setEnabled(False)
        self.actions_["add_action"].setEnabled(not doc.locked)
        self._rechecked(doc.readiness)
        self.meeting_list.select_meeting(meeting_id)
        # A signed record has nothing left to check: the meeting list is more use beside it.
        (self.list_dock if doc.locked else self.readiness_dock).raise_()
        self.state.setValue("last_meeting", meeting_id)
        self.show_save_state()
        self.update_title()
        view.navigator.setFocus()

    def close_meeting(self) -> bool:
        """Close the open meeting; what could not be saved keeps trying in the background."""
        if self.doc is None:
            return True
        doc = self.doc
        ok = doc.close()
        assert self.view is not None
        self.central.removeWidget(self.view)
        self.view.deleteLater()
        self.doc = self.view = None
        if ok:
            doc.deleteLater()
        else:  # its edits are journalled; keep saving them while another meeting is open
            self.leftovers.append(doc)
            doc.save_state_changed.connect(lambda _text: self.show_save_state())
            doc.autosaver.mark_dirty()
        self.readiness.clear_meeting()
        self.deadlines.clear_meeting()
        if not self.tasks.busy:  # the last task's outcome was about this meeting
            self.task_label.setText("")
        self._meeting_actions_enabled(False)
        self.central.setCurrentIndex(0)
        self.update_title()
        return ok

    def _rechecked(self, readiness: object) -> None:
        doc = self.doc
        if doc is None:
            return
        self.readiness.set_readiness(doc.form, doc.readiness, signed=doc.locked)
        self.deadlines.set_deadlines(
            doc.readiness.deadlines,
            doc.meeting.referral_received,
            self.app.today(),
            self.app.protocol.calendar(),
        )

    def show_save_state(self) -> None:
        """What is true about saving, for the open meeting and any closed with unsaved edits."""
        for doc in [d for d in self.leftovers if not d.autosaver.dirty]:
            self.leftovers.remove(doc)
            doc.deleteLater()
        parts = [self.doc.save_state()] if self.doc is not None else []
        for doc in self.leftovers:
            parts.append(f"{doc.meeting.reference}: {doc.save_state()}")
        text = " · ".join(parts)
        self.save_label.setText(text)
        self.save_label.setAccessibleName(text or "Nothing open")
        failing = any(
            d.autosaver.failing for d in (*self.leftovers, *([self.doc] if self.doc else []))
        )
        self.save_label.setProperty("failing", failing)

    def start_daily_backup(self) -> None:
        """The first start of each day keeps a backup, on a worker (the window is usable)."""
        app = self.app

        def work(progress):  # type: ignore[no-untyped-def]
            progress("Keeping today's backup")
            return app.daily_backup()

        self.tasks.run(
            "Keeping today's backup",
            work,
            lambda written: f"Backed up to {written}" if written else "",
            lambda error: f"Today's backup was not made: {error}",
        )

    def restore_backup(self) -> None:
        """Replace the database with a backup the person picks (the current one is kept)."""
        from s47desk.errors import UserError
        from s47desk.ui.startup import choose_backup

        if self.app.database_file() is None:
            self.task_label.setText("A shared server database is restored by IT from its backups.")
            return
        chosen = choose_backup(self)
        if chosen is None:
            return
        self.tasks.wait(10000)
        self.close_meeting()
        for doc in self.leftovers:
            doc.close()
        try:
            kept = self.app.restore(chosen, window_lock_held=True)
        except UserError as exc:
            self.task_label.setText(f"Not restored: {exc}")
        else:
            self.task_label.setText(
                f"Restored {chosen.name}; the database it replaced is kept as {kept}."
            )
        self.refresh_list()
        self.open_last()

    def show_recovered(self, recovered: Recovered) -> None:
        """Say what the recovery journal gave back after a crash; offer what it could not save."""
        from s47desk.ui.conflicts import RefusedDialog

        summary = recovered.summary()
        self.task_label.setText(summary)
        kept: list[Edit] = [c.edit for c in recovered.conflicts]
        kept += [edit for _why, edit in recovered.refused]
        if kept:
            why = (
                "After a crash, these edits could not be put back: the fields were changed "
                "since, or the meeting was signed."
            )
            dialog = RefusedDialog(why, kept, self)
            dialog.setWindowTitle("Recovered after a crash")
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.refused_dialog = dialog
            dialog.open()

    def show_conflicts(self, conflicts: list[Conflict]) -> None:
        from s47desk.ui.conflicts import ConflictDialog

        if self.doc is None:
            return
        dialog = ConflictDialog(self.doc, conflicts, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.conflict_dialog = dialog
        dialog.open()

    def show_refused(self, why: str, refused: list[Edit]) -> None:
        from s47desk.ui.conflicts import RefusedDialog

        dialog = RefusedDialog(why, refused, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.refused_dialog = dialog
        dialog.open()

    def update_title(self) -> None:
        if self.doc is None:
            self.setWindowTitle("s47desk")
            return
        m = self.doc.meeting
        saved = self.doc.autosaver.last_saved
        when = f"saved {saved:%H:%M:%S}" if saved else "no changes yet"
        self.setWindowTitle(f"{m.display_name()} — {self.doc.form.title} — {when} — s47desk")

    # -- action handlers ----------------------------------------------------------------------
    def new_meeting(self) -> None:
        """Window-modal but not blocking (``open``), so typing elsewhere is never trapped."""
        from s47desk.ui.new_meeting import NewMeetingDialog

        dialog = NewMeetingDialog(self.app, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._created(dialog.created_id))
        self.new_dialog = dialog
        dialog.open()

    def _created(self, meeting_id: int | None) -> None:
        if meeting_id is not None:
            self.refresh_row(meeting_id)
            self.open_meeting(meeting_id)

    def focus_search(self) -> None:
        self.list_dock.show()
        self.list_dock.raise_()
        self.meeting_list.search.setFocus()
        self.meeting_list.search.selectAll()

    def add_action(self) -> None:
        if self.view is not None:
            self.view.add_action()

    def toggle_clock(self) -> None:
        if self.view is not None:
            self.view.toggle_clock()

    def open_settings(self) -> None:
        from s47desk.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.app.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.saved))
        self.settings_dialog = dialog
        dialog.open()

    def apply_settings(self, settings: Settings | None) -> None:
        """New settings are saved and take effect at once: the protocol may change."""
        if settings is None:
            return
        if settings.signing_certificate != self.app.settings.signing_certificate:
            self.keys.forget()
        self.app.apply_settings(settings)
        if self.doc is not None:
            meeting_id = self.doc.meeting_id
            self.close_meeting()
            self.open_meeting(meeting_id)
        self.refresh_list()

    def undo(self) -> None:
        if self.doc is not None:
            self.doc.undo_stack.undo()

    def redo(self) -> None:
        if self.doc is not None:
            self.doc.undo_stack.redo()

    def next_step(self) -> None:
        if self.view is not None:
            self.view.show_step(min(self.view.stack.currentIndex() + 1, len(self.view.pages) - 1))

    def previous_step(self) -> None:
        if self.view is not None:
            self.view.show_step(max(self.view.stack.currentIndex() - 1, 0))

    def focus_agenda(self) -> None:
        if self.view is not None:
            self.view.navigator.setFocus()

    def next_problem(self) -> None:
        """Go to the next finding after the current step (blockers first), wrapping round."""
        if self.doc is None or self.view is None or not self.doc.readiness.findings:
            return
        steps = [s.id for s in self.doc.form.steps]
        here = self.view.stack.currentIndex()
        findings = sorted(
            self.doc.readiness.findings,
            key=lambda f: (
                f.severity is not Severity.BLOCKER,
                (steps.index(f.step) - here - 1) % len(steps),
            ),
        )
        self.go_to_finding(findings[0])

    def go_to_finding(self, finding: object) -> None:
        if self.view is not None:
            self.view.go_to_finding(finding)  # type: ignore[arg-type]

    def bigger_text(self) -> None:
        self._scale(+1)

    def smaller_text(self) -> None:
        self._scale(-1)

    def _scale(self, step: int) -> None:
        current = float(self.state.value("text_scale", 1.0))
        index = min(range(len(TEXT_SCALES)), key=lambda i: abs(TEXT_SCALES[i] - current))
        scale = TEXT_SCALES[max(0, min(len(TEXT_SCALES) - 1, index + step))]
        self.state.setValue("text_scale", scale)
        set_text_scale(QApplication.instance(), scale)  # type: ignore[arg-type]

    def toggle_dark(self, on: bool) -> None:
        self.state.setValue("dark", on)
        apply_theme(QApplication.instance(), dark=on)  # type: ignore[arg-type]

    # -- layout -------------------------------------------------------------------------------
    def restore_layout(self) -> None:
        geometry = self.state.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        state = self.state.value("state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def save_layout(self) -> None:
        self.state.setValue("geometry", self.saveGeometry())
        self.state.setValue("state", self.saveState())
        self.state.sync()

    def open_last(self) -> None:
        last = self.state.value("last_meeting")
        ids = [r.summary.id for r in self.meeting_list.rows]
        try:
            chosen = int(last) if last is not None and int(last) in ids else None
        except (TypeError, ValueError):
            chosen = None
        if chosen is None:
            drafts = [
                r.summary.id
                for r in self.meeting_list.rows
                if not r.summary.status.value.startswith(("signed", "circ"))
            ]
            chosen = drafts[0] if drafts else (ids[0] if ids else None)
        if chosen is not None:
            self.open_meeting(chosen)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_layout()
        self.tasks.wait(10000)
        self.keys.forget()
        self.close_meeting()
        for doc in self.leftovers:  # one last try; whatever fails is in the recovery journal
            doc.close()
        super().closeEvent(event)
