"""One agenda step: its purpose, the prompts the chair should cover, and an editor per field.

Built on first show (like Frescobaldi's wizard pages). Quiet until it matters: at first a step
says only how many things it still needs; a field's own finding appears under it once the
field has been visited and left, once the step has been left, or when the readiness panel (or
F8) takes the person there. Each finding's words appear once on the page: a sentence several
findings share (the minimum-attendance rule) is said once, after them. A decision or field
that applies only in some cases (``only_when``: a child in hospital, a professional alleged
to have harmed, section 47 enquiries started) is shown only then, and is no Tab stop while
hidden; it appears or goes as soon as what it depends on changes, on this step or another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from s47desk.checks import Finding
from s47desk.decisions import DECISION_BY_KEY
from s47desk.fields import FIELDS, shown
from s47desk.forms import Step
from s47desk.readiness import Readiness
from s47desk.ui.banner import Banner, BannerLine
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors.base import FieldEditor
from s47desk.ui.editors.registry import editor_for
from s47desk.ui.theme import Heading, muted, semantic, tint
from s47desk.ui.wording import once


def condition_of(field_id: str) -> str:
    """The field whose value decides whether *field_id* is shown ("" = always shown): a
    decision's meeting flag ("meeting.child_in_hospital"), or what a field's ``only_when``
    looks at (the concerns, a flag, or another decision)."""
    if field_id.startswith("decision."):
        kind = DECISION_BY_KEY.get(field_id.removeprefix("decision."))
        return f"meeting.{kind.only_when}" if kind is not None and kind.only_when else ""
    field = FIELDS.get(field_id)
    condition = field.only_when if field is not None else None
    return condition.depends_on if condition is not None else ""


class FindingsLabel(QLabel):
    """The findings about one field, in words, coloured by severity (with a word for it too)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.findings: list[Finding] = []
        self.hide()

    def set_findings(self, findings: list[Finding], shown: bool = True) -> None:
        self.findings = findings
        if not findings or not shown:
            self.clear()
            self.hide()
            return
        colours = semantic(self.palette())
        blocker = any(f.severity.value == "blocker" for f in findings)
        palette = self.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText, colours.blocker if blocker else colours.warning
        )
        self.setPalette(palette)
        own, shared = once([f.message for f in findings])
        lines = [
            f"{'Needed' if f.severity.value == 'blocker' else 'Check'}: {text}"
            for f, text in zip(findings, own, strict=True)
        ]
        self.setText("\n".join(lines + ([shared] if shared else [])))
        self.show()


class StepPage(QScrollArea):
    """A scrollable page; editors are created when the page is first shown or focused."""

    finding_activated = Signal(object)
    focus_requested = Signal(str, int, str)
    chain_changed = Signal()  # the focusable widgets changed (a banner's buttons, a condition)
    removed = Signal(str)  # a row was removed: what, in words ("action 2: Visit Amy")

    def __init__(
        self, doc: MeetingDocument, step: Step, number: int, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.doc, self.step, self.number = doc, step, number
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the fields take the focus, not the page
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(f"Step {number}: {step.title}")
        self.editors: dict[str, FieldEditor] = {}
        self.labels: dict[str, FindingsLabel] = {}
        self.blocks: dict[str, list[QWidget]] = {}  # what to hide with a conditional field
        self.side_rows: dict[str, tuple[QFormLayout, QWidget]] = {}
        self.touched: set[str] = set()
        self.been_left = False
        self.built = False
        doc.readiness_changed.connect(self.show_findings)
        doc.locked_changed.connect(self.set_read_only)
        doc.value_changed.connect(self._value_changed)
        doc.reset.connect(self.apply_conditions)

    def ensure_built(self) -> None:
        if self.built:
            return
        self.built = True
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(18, 14, 18, 18)
        layout.setSpacing(10)
        self.heading = Heading(f"{self.number}. {self.step.title}", 1.45)
        layout.addWidget(self.heading)
        layout.addWidget(muted(self.step.purpose))
        layout.addWidget(self._prompts())
        self.still = muted("")
        self.still.setObjectName("stillNeeded")
        layout.addWidget(self.still)
        self.other = Banner("Also needed at this step")
        layout.addWidget(self.other)
        form: QFormLayout | None = None
        for field_id in self.step.fields:
            field = FIELDS[field_id]
            editor = editor_for(self.doc, field)
            editor.finding_activated.connect(self.finding_activated)
            editor.focus_requested.connect(self.focus_requested)
            editor.removed.connect(self.removed)
            editor.chain_changed.connect(self.chain_changed)
            self.editors[field_id] = editor
            for extra in editor.also_fields:
                self.editors.setdefault(extra, editor)
            findings = FindingsLabel()
            self.labels[field_id] = findings
            self._watch_focus(editor, field_id)
            if editor.label_mode == "side":
                if form is None:
                    form = QFormLayout()
                    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
                    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                    layout.addLayout(form)
                label = _FormLabel(field.label)
                label.setBuddy(editor.focusProxy() or editor)
                cell = QWidget()
                cell_layout = QVBoxLayout(cell)
                cell_layout.setContentsMargins(0, 0, 0, 0)
                cell_layout.setSpacing(2)
                cell_layout.addWidget(editor)
                cell_layout.addWidget(findings)
                form.addRow(label, cell)
                self.side_rows[field_id] = (form, cell)
                continue
            form = None
            block: list[QWidget] = []
            if editor.label_mode == "above" and len(self.step.fields) > 1:
                layout.addSpacing(6)
                heading = Heading(field.label, 1.15)
                layout.addWidget(heading)
                block.append(heading)
            elif field.kind == "decision":
                rule = _rule()
                layout.addWidget(rule)
                block.append(rule)
            layout.addWidget(editor)
            layout.addWidget(findings)
            self.blocks[field_id] = [*block, editor]
        layout.addStretch(1)
        self.setWidget(content)
        self.apply_conditions()
        self.show_findings(self.doc.readiness)
        self.set_read_only(self.doc.locked)

    # -- conditions ---------------------------------------------------------------------------
    def _value_changed(self, field_id: str, _obj: Any) -> None:
        """A concern, flag or decision another field depends on changed: show or hide it now
        (the LADO's dates when a professional is alleged to have harmed, the conference date
        once section 47 enquiries start)."""
        if any(condition_of(f) == field_id for f in self.step.fields):
            self.apply_conditions()

    def applies(self, field_id: str) -> bool:
        """Whether *field_id* is shown now: as the record prints it (fields.shown), and a
        decision while its meeting flag holds."""
        meeting = self.doc.meeting
        if field_id.startswith("decision."):
            flag = condition_of(field_id).removeprefix("meeting.")
            return not flag or bool(getattr(meeting, flag, False))
        if field_id not in FIELDS:
            return True
        concerns = frozenset(meeting.concerns) | self.doc.form.implies_concerns
        return shown(field_id, self.doc.form.fields, meeting, concerns)

    def apply_conditions(self) -> None:
        if not self.built:
            return
        changed = False
        for field_id in self.step.fields:
            shown = self.applies(field_id)
            if field_id in self.side_rows:
                form, cell = self.side_rows[field_id]
                if form.isRowVisible(cell) != shown:
                    form.setRowVisible(cell, shown)
                    changed = True
            for widget in self.blocks.get(field_id, []):
                if widget.isHidden() == shown:
                    changed = True
                    widget.setVisible(shown)
            if not shown:
                self.labels[field_id].set_findings([], shown=False)
        if changed:
            self.show_findings(self.doc.readiness)
            self.chain_changed.emit()

    # -- quiet until it matters ---------------------------------------------------------------
    def _watch_focus(self, editor: FieldEditor, field_id: str) -> None:
        watcher = _LeaveWatcher(self, field_id)
        for widget in [editor, *editor.findChildren(QWidget)]:
            widget.installEventFilter(watcher)
        self._watchers = [*getattr(self, "_watchers", []), watcher]

    def stop_watching(self) -> None:
        """The page is about to go (its meeting closed): focus leaving its fields while they
        are destroyed must not reach findings labels that are already gone."""
        for watcher in getattr(self, "_watchers", []):
            watcher.page_gone = True

    def touch(self, field_id: str) -> None:
        if field_id not in self.touched:
            self.touched.add(field_id)
            self.show_findings(self.doc.readiness)

    def left(self) -> None:
        """The person moved on to another step: what this one still needs now shows."""
        if not self.been_left:
            self.been_left = True
            self.show_findings(self.doc.readiness)

    def reveal(self, field_id: str) -> None:
        self.touch(field_id)

    def shown_for(self, field_id: str) -> bool:
        return self.been_left or field_id in self.touched or self.doc.locked

    def show_findings(self, readiness: Readiness) -> None:
        if not self.built:
            return
        by_field: dict[str, list[Finding]] = {}
        strays: list[Finding] = []
        for f in readiness.findings:
            if f.field in self.editors and (f.step == self.step.id or f.field in self.step.fields):
                if self.applies(f.field):
                    by_field.setdefault(f.field, []).append(f)
            elif f.step == self.step.id:
                strays.append(f)
        hidden = 0
        for field_id, label in self.labels.items():
            found = by_field.get(field_id, [])
            editor = self.editors[field_id]
            extra = [f for x in editor.also_fields for f in by_field.get(x, [])]
            editor.show_findings(found + extra)
            shown = self.shown_for(field_id)
            if not editor.shows_findings and not shown:
                hidden += len(found + extra)
            label.set_findings([] if editor.shows_findings else found + extra, shown=shown)
        own, shared = once([f.message for f in strays])
        lines = [
            BannerLine(f.severity.value, text, (("Go there", self._go_to(f)),))
            for f, text in zip(strays, own, strict=True)
        ]
        if shared:
            lines.append(BannerLine("info", shared))
        before = list(self.other.buttons)
        self.other.set_lines(lines)
        if hidden:
            self.still.setText(
                f"Still to record at this step: {hidden}. Each shows under its field once you "
                "leave it; F8 goes to the next one."
            )
        self.still.setVisible(bool(hidden))
        if before != self.other.buttons:
            self.chain_changed.emit()

    def _go_to(self, finding: Finding) -> Callable[[], None]:
        return lambda: self.finding_activated.emit(finding)

    # -- keyboard -----------------------------------------------------------------------------
    def tab_chain(self) -> list[QWidget]:
        """The page's focusable widgets in reading order (the Tab order)."""
        if not self.built:
            return []
        chain: list[QWidget] = list(self.other.buttons)
        seen: set[int] = set()
        for field_id in self.step.fields:
            editor = self.editors[field_id]
            if id(editor) in seen or not self.applies(field_id):
                continue
            seen.add(id(editor))
            chain += editor.tab_chain()
        return chain

    def _prompts(self) -> QFrame:
        frame = QFrame()
        self.prompts_frame = frame
        frame.setObjectName("prompts")
        colours = semantic(frame.palette())
        tint(frame, colours.info_bg, colours.today)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(3)
        title = Heading("Cover", 1.0)
        layout.addWidget(title)
        for prompt in self.step.prompts:
            line = QLabel(f"•  {prompt}")
            line.setWordWrap(True)
            line.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(line)
        return frame

    def focus_field(
        self, field_id: str, item: int | None, code: str = "", finding: Finding | None = None
    ) -> bool:
        """Take the keyboard to *field_id* (row *item*, or where *finding* is fixed); False when
        this page has no such field."""
        self.ensure_built()
        editor = self.editors.get(field_id)
        if editor is None:
            return False
        self.reveal(field_id)
        self.ensureWidgetVisible(editor, 40, 40)
        if finding is not None:
            editor.focus_finding(finding)
        else:
            editor.focus_item(item, code)
        focused = QApplication.focusWidget() or editor
        content = self.widget()
        if isinstance(focused, QWidget) and content is not None and content.isAncestorOf(focused):
            self.ensureWidgetVisible(focused, 40, 80)
        return True

    def set_read_only(self, read_only: bool) -> None:
        for editor in set(self.editors.values()):
            editor.set_read_only(read_only)
        if self.built:
            self.show_findings(self.doc.readiness)

    def editor(self, field_id: str) -> Any:
        self.ensure_built()
        return self.editors[field_id]

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.built:
            colours = semantic(self.palette())
            tint(self.prompts_frame, colours.info_bg, colours.today)
            self.show_findings(self.doc.readiness)


class _LeaveWatcher(QObject):
    """Marks a field as visited once the focus leaves it for somewhere outside the editor."""

    def __init__(self, page: StepPage, field_id: str) -> None:
        super().__init__(page)
        self.page, self.field_id = page, field_id
        self.page_gone = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusOut and not self.page_gone:
            editor = self.page.editors.get(self.field_id)
            now = QApplication.focusWidget()
            if editor is not None and (now is None or not editor.isAncestorOf(now)):
                self.page.touch(self.field_id)
        return False


class _FormLabel(QLabel):
    """A field's label beside it, wrapping onto as many lines as it needs: a form row is
    otherwise only as tall as its field, and a one-line date field cut off a two-line label
    ("Professional abuse first suspected on")."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setWordWrap(True)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
