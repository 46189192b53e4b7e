"""The open meeting: header with the clock, the agenda navigator, and one page per step.

Wide, the agenda is a list beside the step; compact (half a screen, or large text), it folds
into a one-line step chooser above the step, and the clock moves under the title, so the step
gets the whole width. The Tab order is set explicitly, in reading order, every time a step is
shown: header, messages, agenda, the step's fields, any undo note, the quick-action bar.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from s47desk import present
from s47desk.checks import Finding
from s47desk.ui.a11y import announce
from s47desk.ui.agenda import STATE_TEXT, AgendaNavigator
from s47desk.ui.banner import Banner, BannerLine
from s47desk.ui.clock import MeetingClock
from s47desk.ui.combo import ValueCombo
from s47desk.ui.document import MeetingDocument, Notice
from s47desk.ui.quick_action import QuickActionBar
from s47desk.ui.step_page import StepPage
from s47desk.ui.theme import Heading, muted
from s47desk.ui.toast import Toast
from s47desk.vocab import MeetingStatus


class MeetingView(QWidget):
    """Everything about one open meeting; the main window swaps these when another opens."""

    title_changed = Signal()
    step_changed = Signal(int)

    def __init__(self, doc: MeetingDocument, clock: MeetingClock, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc, self.clock = doc, clock
        self.compact = False
        self._notice_kind = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header())
        self.notice = Banner(announced=True)
        layout.addWidget(self.notice)
        self.step_bar = QWidget()
        bar = QGridLayout(self.step_bar)
        bar.setContentsMargins(12, 4, 12, 4)
        bar.setVerticalSpacing(0)
        self.step_combo = ValueCombo()
        self.step_combo.setObjectName("stepChooser")
        step_label = QLabel("&Step")
        step_label.setBuddy(self.step_combo)
        self.step_state = muted("")
        self.step_state.setObjectName("stepState")
        bar.addWidget(step_label, 0, 0)
        bar.addWidget(self.step_combo, 0, 1)
        bar.addWidget(self.step_state, 1, 1)
        bar.setColumnStretch(1, 1)
        self.step_bar.hide()
        layout.addWidget(self.step_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("meetingSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.navigator = AgendaNavigator(doc.form)
        self.stack = QStackedWidget()
        self.pages: list[StepPage] = []
        for number, step in enumerate(doc.form.steps, start=1):
            page = StepPage(doc, step, number)
            page.finding_activated.connect(self.go_to_finding)
            page.focus_requested.connect(self._focus_requested)
            page.chain_changed.connect(self.chain_tabs)
            page.removed.connect(self._removed)
            self.pages.append(page)
            self.stack.addWidget(page)
            self.step_combo.addItem(f"{number}. {step.title}", number - 1)
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        char = self.fontMetrics().averageCharWidth()
        self.splitter.setSizes([30 * char, 100 * char])
        layout.addWidget(self.splitter, 1)
        self.toast = Toast()
        self.toast.closed.connect(self._toast_closed)
        layout.addWidget(self.toast)
        self.quick_action = QuickActionBar()
        self.quick_action.opened.connect(self.chain_tabs)
        layout.addWidget(self.quick_action)
        self.navigator.step_chosen.connect(self.show_step)
        self.step_combo.activated.connect(lambda i: self.show_step(i))
        doc.readiness_changed.connect(self._rechecked)
        doc.notice.connect(self._notice)
        doc.locked_changed.connect(self._locked)
        doc.status_changed.connect(self._update_header)
        clock.ticked.connect(self._tick)
        clock.running_changed.connect(lambda _r: self._update_header())
        self.navigator.setCurrentRow(0)
        self._rechecked(doc.readiness)
        self._update_header()
        if doc.locked:
            self._notice(Notice.SIGNED, "")

    # -- header -------------------------------------------------------------------------------
    def _header(self) -> QWidget:
        header = QWidget()
        self.header_grid = QGridLayout(header)
        self.header_grid.setContentsMargins(12, 8, 12, 8)
        self.header_grid.setHorizontalSpacing(12)
        self.header_grid.setVerticalSpacing(2)
        self.title = Heading("", 1.35)
        self.title.setObjectName("meetingTitle")
        self.subtitle = muted("")
        self.clock_label = QLabel()
        self.clock_label.setObjectName("meetingClock")
        self.clock_label.setWordWrap(True)
        self.clock_button = QPushButton()
        self.clock_button.clicked.connect(self.toggle_clock)
        self._place_header()
        return header

    def _place_header(self) -> None:
        grid = self.header_grid
        for widget in (self.title, self.subtitle, self.clock_label, self.clock_button):
            grid.removeWidget(widget)
        grid.addWidget(self.title, 0, 0, 1, 3 if self.compact else 1)
        grid.addWidget(self.subtitle, 1, 0, 1, 3 if self.compact else 1)
        if self.compact:
            grid.addWidget(self.clock_label, 2, 0, 1, 2)
            grid.addWidget(self.clock_button, 2, 2, Qt.AlignmentFlag.AlignRight)
            grid.setColumnStretch(0, 1)
        else:
            grid.addWidget(self.clock_label, 0, 1, 2, 1, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(self.clock_button, 0, 2, 2, 1, Qt.AlignmentFlag.AlignVCenter)
            grid.setColumnStretch(0, 1)

    def set_compact(self, compact: bool) -> None:
        if compact == self.compact:
            return
        self.compact = compact
        self._place_header()
        # the window's focus child, not hasFocus(): the window may not be active (or shown) yet
        focus_was_agenda = self.window().focusWidget() in (self.navigator, self.step_combo)
        self.navigator.setVisible(not compact)
        self.step_bar.setVisible(compact)
        self.quick_action.set_compact(compact)
        self.chain_tabs()
        if focus_was_agenda:
            self.focus_agenda()

    def focus_agenda(self) -> None:
        (self.step_combo if self.compact else self.navigator).setFocus()

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
        announce(
            self.clock_label,
            "Meeting clock started" if self.clock.running else "Meeting clock paused",
        )

    def _update_header(self) -> None:
        m = self.doc.meeting
        self.title.setText(m.display_name())
        held = f" · held {present.moment(m.held_at, with_weekday=True)}" if m.held_at else ""
        version = f" · version {m.record_version}" if m.record_version > 1 else ""
        self.subtitle.setText(f"{self.doc.form.title} · {m.status.label}{held}{version}")
        locked = self.doc.locked
        self.clock_button.setVisible(not locked)
        self.clock_label.setVisible(not locked)
        self.clock_button.setText("Pause clock" if self.clock.running else "Start meeting clock")
        self._tick()
        self.title_changed.emit()

    def _tick(self) -> None:
        self.clock_label.setText(f"Clock {self.clock.text()}")
        self.navigator.update_times(self.clock.per_step)

    # -- steps --------------------------------------------------------------------------------
    def show_step(self, index: int) -> None:
        if not 0 <= index < len(self.pages):
            return
        for i, page in enumerate(self.pages):  # leaving a step shows what it still needs
            if i == self.stack.currentIndex() and i != index:
                page.left()
        self.pages[index].ensure_built()
        self.stack.setCurrentIndex(index)
        if self.navigator.currentRow() != index:
            self.navigator.setCurrentRow(index)
        if self.step_combo.currentIndex() != index:
            self.step_combo.setCurrentIndex(index)
        self.clock.set_step(index)
        self._show_step_state()
        self.chain_tabs()
        self.step_changed.emit(index)

    def current_page(self) -> StepPage:
        return self.pages[self.stack.currentIndex()]

    def step_index(self, step_id: str) -> int:
        return next(i for i, s in enumerate(self.doc.form.steps) if s.id == step_id)

    def tab_chain(self) -> list[QWidget]:
        """Reading order: header, messages, agenda, the step's fields, undo note, quick bar."""
        page = self.current_page()
        page.ensure_built()
        chain: list[QWidget] = [self.clock_button, *self.notice.buttons]
        chain.append(self.step_combo if self.compact else self.navigator)
        chain += page.tab_chain()
        chain += self.toast.buttons()
        chain += self.quick_action.tab_chain()
        return chain

    def chain_tabs(self) -> None:
        """(The Tab order is worked out when Tab is pressed: see focusNextPrevChild.)"""

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802
        """Tab and Shift+Tab follow :meth:`tab_chain`, set explicitly: widgets are made out of
        reading order (a table before the quick-entry line above it), and Qt's own order
        follows creation. Past either end, the focus leaves for the panels beside."""
        chain = [
            w
            for w in self.tab_chain()
            if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        ]
        focus = QApplication.focusWidget()
        here = next(
            (i for i, w in enumerate(chain) if focus is w or (focus and w.isAncestorOf(focus))),
            None,
        )
        if here is None:
            return super().focusNextPrevChild(forward)
        there = here + (1 if forward else -1)
        if 0 <= there < len(chain):
            target = chain[there]
            reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
            target.setFocus(reason)
            page = self.current_page()
            content = page.widget()
            if content is not None and content.isAncestorOf(target):
                page.ensureWidgetVisible(target, 40, 60)
            return True
        return self._leave(forward)

    def _leave(self, forward: bool) -> bool:
        """To the first Tab stop outside the meeting (the side panels), else round again."""
        focus: QWidget = QApplication.focusWidget() or self
        widget: QWidget | None = focus
        for _ in range(2000):
            assert widget is not None
            widget = widget.nextInFocusChain() if forward else widget.previousInFocusChain()
            if widget is None or widget is focus:
                break
            if (
                not self.isAncestorOf(widget)
                and widget is not self
                and widget.isVisible()
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and widget.focusProxy() is None
            ):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        chain = [w for w in self.tab_chain() if w.isVisible() and w.isEnabled()]
        if chain:
            chain[0 if forward else -1].setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return False

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
                page.reveal(finding.field)
                QTimer.singleShot(
                    0,
                    lambda p=page: p.focus_field(
                        finding.field, finding.item, finding.code, finding=finding
                    ),
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

    # -- removals -----------------------------------------------------------------------------
    def _removed(self, what: str) -> None:
        """A row was removed: say which, and offer to undo it (Ctrl+Z does the same)."""
        self.toast.show_message(f"Removed {what}.", "Undo", self.doc.undo_stack.undo)
        self.chain_tabs()

    def _toast_closed(self) -> None:
        self.chain_tabs()

    # -- state --------------------------------------------------------------------------------
    def _rechecked(self, readiness: object) -> None:
        self.navigator.update_states(self.doc.meeting, self.doc.readiness.findings)
        for i, step in enumerate(self.doc.form.steps):
            state = self.navigator.states[i]
            detail = STATE_TEXT[state]
            if state == "blockers":
                detail += f" ({self.navigator.counts[i]})"
            self.step_combo.setItemText(i, f"{i + 1}. {step.title}")
            self.step_combo.setItemData(i, detail, Qt.ItemDataRole.ToolTipRole)
        self._show_step_state()
        self._update_header()

    def _show_step_state(self) -> None:
        i = self.stack.currentIndex()
        if 0 <= i < len(self.navigator.states):
            state = self.navigator.states[i]
            detail = STATE_TEXT[state]
            if state == "blockers":
                detail += f" ({self.navigator.counts[i]})"
            self.step_state.setText(f"Step {i + 1} of {len(self.pages)}: {detail}")
            self.step_combo.setAccessibleDescription(detail)

    def _notice(self, kind: str, message: str) -> None:
        if kind == Notice.CLEAR and self._notice_kind != Notice.FAILED:
            return  # a successful save clears a save failure, not a conflict or the signed note
        self._notice_kind = kind
        if kind == Notice.CONFLICT:
            self.notice.set_lines(
                [BannerLine("blocker", message, (("Dismiss", lambda: self.notice.set_lines([])),))]
            )
        elif kind == Notice.FAILED:
            self.notice.set_lines(
                [BannerLine("blocker", message, (("Try again now", self.doc.autosaver.save_soon),))]
            )
        elif kind == Notice.LOCKED:
            self.notice.set_lines([BannerLine("blocker", message)])
        elif kind == Notice.SIGNED and self.doc.held is not None:
            self.notice.set_lines(
                [
                    BannerLine(
                        "warning",
                        f"Edits from an earlier session (from {self.doc.held:%H:%M}) are waiting "
                        "to be saved: the database cannot take them yet. This meeting is "
                        "read-only until they are saved, so nothing is typed over them; it opens "
                        "for editing by itself.",
                    )
                ]
            )
        elif kind == Notice.SIGNED and self.doc.altered:
            self.notice.set_lines(
                [
                    BannerLine(
                        "blocker",
                        f"{self.doc.altered} This record no longer says what the chair signed: "
                        "do not rely on it or circulate it, and tell your manager and IT "
                        "support. The database's backups hold it as it was signed.",
                    )
                ]
            )
        elif kind == Notice.SIGNED and self.doc.meeting.is_locked:
            self.notice.set_lines([BannerLine("info", self.signed_text())])
        else:
            self.notice.set_lines([])
        self.chain_tabs()

    def _locked(self, _locked: bool) -> None:
        self._update_header()
        self._notice(Notice.SIGNED, "")

    def signed_text(self) -> str:
        signed = self.doc.meeting.signoffs[-1] if self.doc.meeting.signoffs else None
        who = f" by {signed.name}, {signed.role}" if signed else ""
        text = f"This record is signed{who}: it is read-only."
        later = self.doc.superseded_by()
        if later is not None:
            text += (
                f" It has been superseded by version {later.record_version} (meeting "
                f"{later.meeting_id}, signed {later.signed_at:%d/%m/%Y} UTC)"
                if later.signed_at
                else f" It has been superseded by version {later.record_version}"
            ) + ": use that one."
        else:
            text += " To correct it, use Meeting → Amend…"
        return text

    def add_action(self) -> None:
        self.quick_action.open_for(self.doc)
