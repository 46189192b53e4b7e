"""The main window: the meeting list, the open meeting, readiness and deadlines, menus.

Actions are declared once in ``window_actions.ACTIONS`` (name, text, shortcut, handler) and
placed in menus by name. The side panels (meetings, readiness, deadlines) share one tabbed dock
beside the meeting; when the window is too narrow for both (half a laptop screen beside the
video call, or large text), it is *compact*: the panels become tabs beside the meeting, so the
form gets the whole width. Geometry is remembered per screen (never a fixed size), with the
docks, the last meeting, text size and palette, in ``window.ini`` in the configuration folder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from s47desk.application import Application
from s47desk.checks import Severity
from s47desk.paths import config_dir
from s47desk.settings import Settings
from s47desk.ui.a11y import announce
from s47desk.ui.deadlines_panel import DeadlinesPanel
from s47desk.ui.meeting_list import MeetingList, load_rows
from s47desk.ui.readiness import ReadinessPanel
from s47desk.ui.signing_keys import SigningKeys
from s47desk.ui.theme import TEXT_SCALES, Heading, apply_theme, muted, set_text_scale
from s47desk.ui.window_actions import EDIT_ACTIONS, MEETING_ACTIONS, Act, build_actions, name_steps
from s47desk.ui.workers import TaskRunner

#: Below this many average characters of width, the window is compact (panels become tabs):
#: the step list (about 30), a form of about 85 and a panel of about 44, measured on screen.
#: At 118 a 1366 laptop at 150% scaling (911 logical pixels) kept three columns and a page
#: too narrow for the attendance table.
COMPACT_CHARS = 160
SAVED_ANNOUNCE_SECONDS = 30  # "All changes saved" is said at most this often while typing

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
        self.actions_: dict[Act, QAction] = {}
        self.compact = False
        self._spoken_save = ""
        self._spoken_at = 0.0
        self._spoken_readiness = ""
        self.problems_box: QWidget | None = None  # what the settings could not give (non-modal)
        self.leftovers: list[MeetingDocument] = []  # closed meetings still saving their edits
        self.conflict_dialog: QWidget | None = None
        self.refused_dialog: QWidget | None = None
        self._build_central()
        self._build_docks()
        self._build_status()
        self._build_actions()
        self._readiness_timer = QTimer(self, singleShot=True, interval=1500)
        self._readiness_timer.timeout.connect(self._announce_readiness)
        self._list_timer = QTimer(self, singleShot=True, interval=300)
        self._list_timer.timeout.connect(self.update_open_row)
        self.restore_layout()
        self.update_title()

    # -- building -----------------------------------------------------------------------------
    def _build_central(self) -> None:
        self.central = QStackedWidget()
        empty = QWidget()
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
        # In compact mode the side panels join the meeting here as tabs.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("compactTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabBarAutoHide(True)
        self.tabs.addTab(self.central, "Meeting")
        self.tabs.tabBar().setAccessibleName("Meeting and panels")
        self.setCentralWidget(self.tabs)

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
            "deadlinesDock", "Deadlines", self.deadlines, Qt.DockWidgetArea.RightDockWidgetArea
        )
        # The open meeting needs the width and the height: the three panels share one tabbed
        # dock (the readiness panel matters only while a meeting is open).
        self.tabifyDockWidget(self.list_dock, self.readiness_dock)
        self.tabifyDockWidget(self.readiness_dock, self.deadlines_dock)
        self.setTabPosition(Qt.DockWidgetArea.RightDockWidgetArea, QTabWidget.TabPosition.North)
        self.list_dock.raise_()
        self._raised = self.list_dock  # the panel in front, raised again after compact mode
        self._size_docks()
        self.panels = (
            (self.readiness_dock, self.readiness, "Readiness"),
            (self.deadlines_dock, self.deadlines, "Deadlines"),
            (self.list_dock, self.meeting_list, "Meetings"),
        )
        self._dock_wanted = {dock: True for dock, _w, _t in self.panels}

    def _size_docks(self) -> None:
        char = self.fontMetrics().averageCharWidth()
        # wide enough for the three panels' tabs side by side, unelided
        self.resizeDocks([self.readiness_dock], [48 * char], Qt.Orientation.Horizontal)
        for bar in self.findChildren(QTabBar):
            if bar is not self.tabs.tabBar():  # the docks' tabs: whole words, or arrows
                bar.setElideMode(Qt.TextElideMode.ElideNone)

    def _build_status(self) -> None:
        self.save_label = QLabel("")
        self.save_label.setObjectName("saveState")  # (a failure is also said in full above)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator: exports report steps, not percentages
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName("Working")
        self.progress.hide()
        self.task_label = QLabel("")
        self.task_label.setObjectName("taskState")
        self.statusBar().addWidget(self.task_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.save_label, 1)
        self.tasks.started.connect(self._task_started)
        self.tasks.progress.connect(lambda t: self.task_label.setText(t + "…"))
        self.tasks.finished.connect(self._task_finished)

    def _task_started(self, text: str) -> None:
        self.task_label.setText(text + "…")
        self.progress.show()

    def _task_finished(self, text: str) -> None:
        self.task_label.setText(text)
        self.progress.hide()
        announce(self.task_label, text)

    def _build_actions(self) -> None:
        self.actions_, self.step_actions = build_actions(self)
        self._meeting_actions_enabled(False)

    def _meeting_actions_enabled(self, enabled: bool) -> None:
        """Moving about a meeting needs only an open one; changing it needs it unsigned."""
        is_open = self.doc is not None
        for name in MEETING_ACTIONS:
            self.actions_[name].setEnabled(is_open)
        name_steps(self.step_actions, [s.title for s in self.doc.form.steps] if self.doc else [])
        for name in EDIT_ACTIONS:
            self.actions_[name].setEnabled(enabled)
        self.actions_[Act.AMEND].setEnabled(
            is_open and self.doc is not None and self.doc.meeting.is_locked
        )

    # -- meetings -----------------------------------------------------------------------------
    def refresh_list(self) -> None:
        """Read the whole list again, now (after a restore, new settings; tests). A database
        that cannot be reached (the team's server gone) leaves the list as it was, and says so."""
        from sqlalchemy.exc import DBAPIError

        from s47desk.editing import plain_reason
        from s47desk.storage import StorageError

        try:
            rows = load_rows(self.app.db, self.app.forms, self.app.protocol, self.app.today())
        except (DBAPIError, StorageError) as exc:
            why = plain_reason(exc) if isinstance(exc, DBAPIError) else str(exc)
            self.task_label.setText(f"The meeting list could not be refreshed: {why}.")
            return
        self.meeting_list.set_rows(rows, self.app.today())
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
        clock = self.clocks.get(meeting_id)
        if clock is None:
            clock = MeetingClock(len(doc.form.steps), self, store=self.state, key=doc.meeting.uid)
            self.clocks[meeting_id] = clock
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
        doc.locked_changed.connect(lambda _l: self._locked(doc))
        doc.status_changed.connect(lambda: self.refresh_row(doc.meeting_id))
        doc.undo_stack.canUndoChanged.connect(self.actions_[Act.UNDO].setEnabled)
        doc.undo_stack.canRedoChanged.connect(self.actions_[Act.REDO].setEnabled)
        view.title_changed.connect(self.update_title)
        self._meeting_actions_enabled(not doc.locked)
        self.actions_[Act.UNDO].setEnabled(False)
        self.actions_[Act.REDO].setEnabled(False)
        self.actions_[Act.ADD_ACTION].setEnabled(not doc.locked)
        self._rechecked(doc.readiness)
        self._spoken_readiness = self.readiness.headline  # said when it changes, not on opening
        self._readiness_timer.stop()
        view.step_changed.connect(lambda _i: self._rechecked(doc.readiness))
        view.set_compact(self.compact)
        self.meeting_list.select_meeting(meeting_id)
        # A signed record has nothing left to check: the meeting list is more use beside it.
        if not self.compact:
            (self.list_dock if doc.locked else self.readiness_dock).raise_()
        else:
            self.tabs.setCurrentWidget(self.central)
        self.state.setValue("last_meeting", meeting_id)
        self.show_save_state()
        self.update_title()
        view.focus_agenda()  # the step list, or in a compact window the step choice

    def _locked(self, doc: MeetingDocument) -> None:
        self._meeting_actions_enabled(not doc.locked)
        self.refresh_row(doc.meeting_id)

    def close_meeting(self) -> bool:
        """Close the open meeting; what could not be saved keeps trying in the background."""
        if self.doc is None:
            return True
        doc = self.doc
        if doc.meeting_id in self.clocks:
            self.clocks[doc.meeting_id].save()
        ok = doc.close()
        assert self.view is not None
        for page in self.view.pages:
            page.stop_watching()
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
        step = self.view.current_page().step.id if self.view is not None else ""
        self.readiness.set_readiness(
            doc.form, doc.readiness, signed=doc.meeting.is_locked, current=step
        )
        self.deadlines.set_deadlines(
            doc.readiness.timescales,
            doc.meeting.referral_received,
            self.app.today(),
            self.app.protocol.calendar(),
        )
        self._panel_titles()
        if self.readiness.headline != self._spoken_readiness:
            self._readiness_timer.start()

    def _announce_readiness(self) -> None:
        """The readiness count changed (and stayed so for a moment): say it, politely."""
        if self.doc is None or self.readiness.headline == self._spoken_readiness:
            return
        self._spoken_readiness = self.readiness.headline
        announce(self.readiness.summary, self.readiness.headline)

    def _panel_titles(self) -> None:
        """The readiness tab and dock carry its count, so it is seen without opening it."""
        count = self.readiness.blocker_count
        title = f"Readiness ({count})" if count else "Readiness"
        self.readiness_dock.setWindowTitle(title)  # a tab beside two others: short
        index = self.tabs.indexOf(self.readiness)
        if index >= 0:
            self.tabs.setTabText(index, title)

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
        failing = any(
            d.autosaver.failing for d in (*self.leftovers, *([self.doc] if self.doc else []))
        )
        self.save_label.setProperty("failing", failing)
        self._announce_save(text, failing)

    def _announce_save(self, text: str, failing: bool) -> None:
        """Say a failure at once; say "All changes saved" after a failure, and otherwise at most
        every half minute (not after every word typed). "Saving…" is never said."""
        import time

        if not text or text in ("Saving…", "All changes saved") or text == self._spoken_save:
            return  # nothing new: a meeting just opened, or a save under way
        was_failing = self._spoken_save.startswith("Not saved") or " Not saved" in self._spoken_save
        now = time.monotonic()
        if failing:
            if not was_failing:
                announce(self.save_label, text, assertive=True)
                self._spoken_save, self._spoken_at = text, now
            return
        if was_failing or now - self._spoken_at >= SAVED_ANNOUNCE_SECONDS:
            announce(self.save_label, text)
            self._spoken_save, self._spoken_at = text, now

    def start_daily_backup(self) -> None:
        """The first start of each day keeps a backup, on a worker (the window is usable)."""
        app = self.app

        def work(progress):
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
        if chosen is None or not self.confirm_restore(chosen.name):
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

    def confirm_restore(self, name: str) -> bool:
        """Replacing the database is asked once more, with Cancel as the default."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Replace the database?",
            f"Replace every meeting in this database with the backup {name}?\n\n"
            "The database it replaces is kept as a backup, so this can be reversed.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("confirmRestore")
        replace = box.addButton("Replace with the backup", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.restore_box = box
        box.exec()
        return box.clickedButton() is replace

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
        self._show_panel(self.list_dock, self.meeting_list)
        self.meeting_list.search.setFocus()
        self.meeting_list.search.selectAll()

    def _show_panel(self, dock: QDockWidget, panel: QWidget) -> None:
        if self.compact:
            self.tabs.setCurrentWidget(panel)
        else:
            dock.show()
            dock.raise_()

    def show_readiness(self) -> None:
        self._show_panel(self.readiness_dock, self.readiness)
        self.readiness.tree.setFocus()

    def show_deadlines(self) -> None:
        self._show_panel(self.deadlines_dock, self.deadlines)
        self.deadlines.list.setFocus()

    def show_meetings(self) -> None:
        self._show_panel(self.list_dock, self.meeting_list)
        self.meeting_list.view.setFocus()

    def show_history(self) -> None:
        """The open meeting's audit trail, read from the database (who, when, what)."""
        from s47desk.ui.history import HistoryDialog

        if self.doc is None:
            return
        dialog = HistoryDialog(self.app, self.doc.meeting_id, self.doc.meeting.display_name(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.history_dialog = dialog
        dialog.open()

    def amend_meeting(self) -> None:
        """A signed record is corrected by an amendment: a new draft version, with a reason."""
        from s47desk.ui.history import AmendDialog

        if self.doc is None or not self.doc.locked:
            return
        dialog = AmendDialog(self.app, self.doc.meeting_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.amended.connect(self._amended)
        self.amend_dialog = dialog
        dialog.open()

    def _amended(self, meeting_id: int) -> None:
        self.refresh_list()
        self.open_meeting(meeting_id)
        if self.view is not None:
            announce(self.view.title, "Amendment opened: a new draft version of the record.")

    def add_action(self) -> None:
        if self.view is not None:
            self.view.add_action()

    def toggle_clock(self) -> None:
        if self.view is not None:
            self.view.toggle_clock()

    def open_settings(self) -> None:
        from s47desk.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.app.settings, self, self.app.loaded.organisation)
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
            if self.compact:
                self.tabs.setCurrentWidget(self.central)
            self.view.focus_agenda()

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
        current = float(str(self.state.value("text_scale", 1.0)))
        index = min(range(len(TEXT_SCALES)), key=lambda i: abs(TEXT_SCALES[i] - current))
        scale = TEXT_SCALES[max(0, min(len(TEXT_SCALES) - 1, index + step))]
        self.state.setValue("text_scale", scale)
        set_text_scale(QApplication.instance(), scale)  # type: ignore[arg-type]
        self.fit_layout()

    def toggle_dark(self, on: bool) -> None:
        self.state.setValue("dark", on)
        apply_theme(QApplication.instance(), dark=on)  # type: ignore[arg-type]

    # -- layout -------------------------------------------------------------------------------
    def screen_key(self) -> str:
        """Geometry is remembered per screen: its name and size (a laptop alone, or docked)."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return "geometry/none"
        size = screen.geometry().size()
        name = "".join(c if c.isalnum() else "_" for c in screen.name()) or "screen"
        return f"geometry/{name}_{size.width()}x{size.height()}"

    def restore_layout(self) -> None:
        geometry = self.state.value(self.screen_key())
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            pass
        else:
            # Never a fixed size: the screen's available area, less a margin on a big screen.
            screen = self.screen() or QApplication.primaryScreen()
            if screen is not None:
                area = screen.availableGeometry()
                width = area.width() if area.width() <= 1440 else int(area.width() * 0.85)
                height = area.height() if area.height() <= 900 else int(area.height() * 0.9)
                self.resize(width, height)
        state = self.state.value("state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        self.fit_layout()

    def save_layout(self) -> None:
        self.state.setValue(self.screen_key(), self.saveGeometry())
        if not self.compact:  # a compact window's hidden docks are not the user's choice
            self.state.setValue("state", self.saveState())
        self.state.sync()

    def compact_wanted(self, width: int | None = None) -> bool:
        chars = (width if width is not None else self.width()) / max(
            1, self.fontMetrics().averageCharWidth()
        )
        return chars < (COMPACT_CHARS + (4 if self.compact else 0))

    def fit_layout(self) -> None:
        """Compact or not, for the window's width and text size now."""
        self.set_compact(self.compact_wanted())

    def set_compact(self, compact: bool) -> None:
        if compact == self.compact:
            if self.view is not None:
                self.view.set_compact(compact)
            return
        self.compact = compact
        current = self.tabs.currentWidget()
        focused = self.focusWidget()  # a panel moved between dock and tab loses it
        if compact:
            fronts = [
                d for d, _p, _t in self.panels if d.isVisible() and not d.visibleRegion().isEmpty()
            ]
            self._raised = fronts[0] if fronts else self.list_dock
            for dock, panel, title in self.panels:
                self._dock_wanted[dock] = not dock.isHidden()
                dock.hide()
                dock.toggleViewAction().setEnabled(False)
                self.tabs.addTab(panel, title)
        else:
            self.tabs.setCurrentWidget(self.central)
            for dock, panel, _title in self.panels:
                self.tabs.removeTab(self.tabs.indexOf(panel))
                dock.setWidget(panel)
                panel.show()
                dock.toggleViewAction().setEnabled(True)
                dock.setVisible(self._dock_wanted.get(dock, True))
            # Shown again, every tabbed dock is drawn over the others: raise the one that was
            # in front, so the others hide behind their tabs.
            if not self._raised.isHidden():
                self._raised.raise_()
            self._size_docks()
        if current is not None and self.tabs.indexOf(current) >= 0:
            self.tabs.setCurrentWidget(current)
        if focused is not None and self.isAncestorOf(focused) and focused.isVisibleTo(self):
            focused.setFocus(Qt.FocusReason.OtherFocusReason)
        self._panel_titles()
        if self.view is not None:
            self.view.set_compact(compact)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_layout()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            QTimer.singleShot(0, self.fit_layout)

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
        for clock in self.clocks.values():
            clock.save()
        self.tasks.wait(10000)
        self.close_meeting()
        for doc in self.leftovers:  # one last try; whatever fails is in the recovery journal
            doc.close()
        if not self._may_lose(event):
            return
        self.keys.forget()
        super().closeEvent(event)

    def _may_lose(self, event: QCloseEvent) -> bool:
        """Edits neither saved nor journalled (the disk is full) exist only in this window:
        quitting would lose them, so ask first, keeping the window open by default."""
        from s47desk.editing import coalesce

        only_here = [
            (doc, e) for doc in self.leftovers for e in coalesce(doc.queue.unjournalled())
        ]  # a phrase typed is one edit of its field, not one per key
        if not only_here:
            return True
        from PySide6.QtWidgets import QMessageBox

        from s47desk.ui.conflicts import edit_text

        doc = only_here[0][0]
        count = len(only_here)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Edits not saved anywhere")
        box.setText(
            f"{count} edit{'s' * (count != 1)} could not be saved ({doc.queue.failing}), and the "
            f"recovery journal cannot be written either ({doc.queue.journal_problem}). If you "
            "quit now, they are lost. Keep s47desk open until they are saved, or copy them from "
            "the details first."
        )
        box.setDetailedText("\n\n".join(t for _doc, e in only_here if (t := edit_text(e))))
        keep = box.addButton("Keep s47desk open", QMessageBox.ButtonRole.RejectRole)
        box.addButton("Quit and lose them", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        if box.clickedButton() is keep:
            event.ignore()
            for left in self.leftovers:  # closing stopped their retries: start them again
                left.autosaver.mark_dirty()
            self.task_label.setText(
                "Still trying to save the edits that are only on screen; s47desk stays open."
            )
            return False
        return True
