"""The open meeting: header with the clock, the agenda navigator, and one page per step."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from s47desk.checks import Finding
from s47desk.ui.agenda import AgendaNavigator
from s47desk.ui.banner import Banner, BannerLine
from s47desk.ui.clock import MeetingClock
from s47desk.ui.document import MeetingDocument
from s47desk.ui.quick_action import QuickActionBar
from s47desk.ui.step_page import StepPage
from s47desk.ui.theme import Heading, muted
from s47desk.vocab import MeetingStatus


class MeetingView(QWidget):
    """Everything about one open meeting; the main window swaps these when another opens."""

    title_changed = Signal()

    def __init__(self, doc: MeetingDocument, clock: MeetingClock, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc, self.clock = doc, clock
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header())
        self.notice = Banner()
        layout.addWidget(self.notice)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("meetingSplitter")
        self.navigator = AgendaNavigator(doc.form)
        self.stack = QStackedWidget()
        self.pages: list[StepPage] = []
        for number, step in enumerate(doc.form.steps, start=1):
            page = StepPage(doc, step, number)
            page.finding_activated.connect(self.go_to_finding)
            page.focus_requested.connect(self._focus_requested)
            self.pages.append(page)
            self.stack.addWidget(page)
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 800])
        layout.addWidget(self.splitter, 1)
        self.quick_action = QuickActionBar()
        layout.addWidget(self.quick_action)
        self.navigator.step_chosen.connect(self.show_step)
        doc.readiness_changed.connect(self._rechecked)
        doc.notice.connect(self._notice)
        doc.locked_changed.connect(lambda _l: (self._update_header(), self._notice("signed", "")))
        doc.status_changed.connect(self._update_header)
        clock.ticked.connect(self._tick)
        clock.running_changed.connect(lambda _r: self._update_header())
        self.navigator.setCurrentRow(0)
        self._rechecked(doc.readiness)
        self._update_header()
        self._notice_kind = ""
        if doc.locked:
            self._notice("signed", "")

    # -- header -------------------------------------------------------------------------------
    def _header(self) -> QWidget:
        header = QWidget()
        row = QHBoxLayout(header)
        row.setContentsMargins(12, 8, 12, 8)
        text = QVBoxLayout()
        self.title = Heading("", 1.35)
        self.title.setAccessibleName("Meeting")
        self.subtitle = muted("")
        text.addWidget(self.title)
        text.addWidget(self.subtitle)
        row.addLayout(text, 1)
        self.clock_label = QLabel()
        self.clock_label.setAccessibleName("Meeting clock")
        self.clock_button = QPushButton()
        self.clock_button.clicked.connect(self.toggle_clock)
        row.addWidget(self.clock_label)
        row.addWidget(self.clock_button)
        return header

    def toggle_clock(self) -> None:
        """Starting the clock starts the meeting: a draft is now in progress (undoable)."""
        if (
            not self.clock.running
            and not self.doc.locked
            and self.doc.meeting.status is MeetingStatus.DRAFT
        ):
            from s47desk.ui.undo import set_meeting

            self.doc.undo_stack.beginMacro("Start the meeting")
            set_meeting(self.doc, "meeting.status", MeetingStatus.IN_PROGRESS, "status")
            self.doc.undo_stack.endMacro()
        self.clock.toggle()

    def _update_header(self) -> None:
        m = self.doc.meeting
        self.title.setText(m.display_name())
        held = f" · held {m.held_at:%a %d %b %Y %H:%M}" if m.held_at else ""
        self.subtitle.setText(f"{self.doc.form.title} · {m.status.label}{held}")
        locked = self.doc.locked
        self.clock_button.setVisible(not locked)
        self.clock_label.setVisible(not locked)
        self.clock_button.setText("Pause clock" if self.clock.running else "Start meeting clock")
        self.clock_button.setAccessibleName(self.clock_button.text())
        self._tick()
        self.title_changed.emit()

    def _tick(self) -> None:
        self.clock_label.setText(f"Clock {self.clock.text()}")
        self.navigator.update_times(self.clock.per_step)

    # -- steps --------------------------------------------------------------------------------
    def show_step(self, index: int) -> None:
        if not 0 <= index < len(self.pages):
            return
        self.pages[index].ensure_built()
        self.stack.setCurrentIndex(index)
        if self.navigator.currentRow() != index:
            self.navigator.setCurrentRow(index)
        self.clock.set_step(index)

    def current_page(self) -> StepPage:
        return self.pages[self.stack.currentIndex()]

    def step_index(self, step_id: str) -> int:
        return next(i for i, s in enumerate(self.doc.form.steps) if s.id == step_id)

    def go_to_finding(self, finding: Finding) -> None:
        """Show the step where *finding* is fixed and put the keyboard on the field."""
        candidates = [self.step_index(finding.step)] if finding.step else []
        home = self.doc.form.step_for_field(finding.field)
        if home is not None:
            candidates.append(self.step_index(home.id))
        for index in candidates:
            page = self.pages[index]
            page.ensure_built()
            if finding.field in page.editors:
                self.show_step(index)
                QTimer.singleShot(
                    0, lambda p=page: p.focus_field(finding.field, finding.item, finding.code)
                )
                return
        if candidates:
            self.show_step(candidates[0])

    def _focus_requested(self, field_id: str, item: int, code: str) -> None:
        """An editor asks for another field (e.g. "Record dissent" on a decision)."""
        for index, page in enumerate(self.pages):
            if field_id in page.step.fields:
                self.show_step(index)
                editor = page.editor(field_id)
                if field_id == "dissents" and hasattr(editor, "add_for"):
                    editor.add_for(code)
                else:
                    page.focus_field(field_id, None if item < 0 else item, code)
                return

    # -- state --------------------------------------------------------------------------------
    def _rechecked(self, readiness: object) -> None:
        self.navigator.update_states(self.doc.meeting, self.doc.readiness.findings)
        self._update_header()

    def _notice(self, kind: str, message: str) -> None:
        if kind == "" and self._notice_kind != "failed":
            return  # a successful save clears a save failure, not a conflict or the signed note
        self._notice_kind = kind
        if kind == "conflict":
            self.notice.set_lines(
                [BannerLine("blocker", message, (("Dismiss", lambda: self.notice.set_lines([])),))]
            )
        elif kind == "failed":
            self.notice.set_lines(
                [BannerLine("blocker", message, (("Try again now", self.doc.autosaver.save_soon),))]
            )
        elif kind == "locked":
            self.notice.set_lines([BannerLine("blocker", message)])
        elif kind == "signed" and self.doc.locked:
            signed = self.doc.meeting.signoffs[-1] if self.doc.meeting.signoffs else None
            who = f" by {signed.name}, {signed.role}" if signed else ""
            self.notice.set_lines(
                [BannerLine("info", f"This record is signed{who}: it is read-only.")]
            )
        else:
            self.notice.set_lines([])

    def add_action(self) -> None:
        self.quick_action.open_for(self.doc)
