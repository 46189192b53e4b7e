"""One agenda step: its purpose, the prompts the chair should cover, and an editor per field.

Built on first show (like Frescobaldi's wizard pages). Under each field the page lists the core's
findings about it, so the minute-taker sees what is missing without a dialog.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
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
from s47desk.fields import FIELDS
from s47desk.forms import Step
from s47desk.readiness import Readiness
from s47desk.ui.banner import Banner, BannerLine
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors.base import FieldEditor
from s47desk.ui.editors.registry import editor_for
from s47desk.ui.theme import Heading, muted, semantic


class FindingsLabel(QLabel):
    """The findings about one field, in words, coloured by severity (with a word for it too)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()

    def set_findings(self, findings: list[Finding]) -> None:
        if not findings:
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
        self.setText(
            "\n".join(
                f"{'Needed' if f.severity.value == 'blocker' else 'Check'}: {f.message}"
                for f in findings
            )
        )
        self.show()


class StepPage(QScrollArea):
    """A scrollable page; editors are created when the page is first shown or focused."""

    finding_activated = Signal(object)
    focus_requested = Signal(str, int, str)

    def __init__(
        self, doc: MeetingDocument, step: Step, number: int, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.doc, self.step, self.number = doc, step, number
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(f"Step {number}: {step.title}")
        self.editors: dict[str, FieldEditor] = {}
        self.labels: dict[str, FindingsLabel] = {}
        self.built = False
        doc.readiness_changed.connect(self.show_findings)
        doc.locked_changed.connect(self.set_read_only)

    def ensure_built(self) -> None:
        if self.built:
            return
        self.built = True
        content = QWidget()
        content.setAccessibleName(self.step.title)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(18, 14, 18, 18)
        layout.setSpacing(10)
        layout.addWidget(Heading(f"{self.number}. {self.step.title}", 1.45))
        layout.addWidget(muted(self.step.purpose))
        layout.addWidget(self._prompts())
        self.other = Banner("Also needed at this step")
        layout.addWidget(self.other)
        form: QFormLayout | None = None
        for field_id in self.step.fields:
            field = FIELDS[field_id]
            editor = editor_for(self.doc, field)
            editor.finding_activated.connect(self.finding_activated)
            editor.focus_requested.connect(self.focus_requested)
            self.editors[field_id] = editor
            for extra in editor.also_fields:
                self.editors.setdefault(extra, editor)
            findings = FindingsLabel()
            self.labels[field_id] = findings
            if editor.label_mode == "side":
                if form is None:
                    form = QFormLayout()
                    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
                    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                    layout.addLayout(form)
                label = QLabel(field.label)
                label.setWordWrap(True)
                label.setBuddy(editor.focusProxy() or editor)
                cell = QWidget()
                cell_layout = QVBoxLayout(cell)
                cell_layout.setContentsMargins(0, 0, 0, 0)
                cell_layout.setSpacing(2)
                cell_layout.addWidget(editor)
                cell_layout.addWidget(findings)
                form.addRow(label, cell)
                continue
            form = None
            if editor.label_mode == "above" and len(self.step.fields) > 1:
                layout.addSpacing(6)
                layout.addWidget(Heading(field.label, 1.15))
            elif field.kind == "decision":
                layout.addWidget(_rule())
            layout.addWidget(editor)
            layout.addWidget(findings)
        layout.addStretch(1)
        self.setWidget(content)
        self.show_findings(self.doc.readiness)
        self.set_read_only(self.doc.locked)

    def _prompts(self) -> QFrame:
        frame = QFrame()
        frame.setObjectName("banner")
        frame.setAutoFillBackground(True)
        palette = frame.palette()
        palette.setColor(QPalette.ColorRole.Window, semantic(palette).info_bg)
        frame.setPalette(palette)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(3)
        title = QLabel("<b>Cover</b>")
        layout.addWidget(title)
        for prompt in self.step.prompts:
            line = QLabel(f"•  {prompt}")
            line.setWordWrap(True)
            line.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(line)
        frame.setAccessibleName("Prompts to cover")
        frame.setAccessibleDescription(" ".join(self.step.prompts))
        return frame

    def show_findings(self, readiness: Readiness) -> None:
        if not self.built:
            return
        by_field: dict[str, list[Finding]] = {}
        strays: list[Finding] = []
        for f in readiness.findings:
            if f.field in self.editors and (f.step == self.step.id or f.field in self.step.fields):
                by_field.setdefault(f.field, []).append(f)
            elif f.step == self.step.id:
                strays.append(f)
        for field_id, label in self.labels.items():
            found = by_field.get(field_id, [])
            editor = self.editors[field_id]
            extra = [f for x in editor.also_fields for f in by_field.get(x, [])]
            editor.show_findings(found + extra)
            label.set_findings([] if editor.shows_findings else found + extra)
        self.other.set_lines(
            [
                BannerLine(
                    f.severity.value,
                    f.message,
                    (("Go there", lambda f=f: self.finding_activated.emit(f)),),
                )
                for f in strays
            ]
        )

    def focus_field(self, field_id: str, item: int | None, code: str = "") -> bool:
        """Take the keyboard to *field_id* (row *item*); False when this page has no such field."""
        self.ensure_built()
        editor = self.editors.get(field_id)
        if editor is None:
            return False
        self.ensureWidgetVisible(editor, 40, 40)
        editor.focus_item(item, code)
        focused = QApplication.focusWidget() or editor
        if (
            isinstance(focused, QWidget)
            and self.widget() is not None
            and self.widget().isAncestorOf(focused)
        ):
            self.ensureWidgetVisible(focused, 40, 80)
        return True

    def set_read_only(self, read_only: bool) -> None:
        for editor in set(self.editors.values()):
            editor.set_read_only(read_only)

    def editor(self, field_id: str) -> Any:
        self.ensure_built()
        return self.editors[field_id]


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
