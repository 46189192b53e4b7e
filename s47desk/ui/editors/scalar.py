"""Editors for the meeting's scalar fields: text, long text, a yes/no, one choice, several."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from s47desk.fields import FieldDef
from s47desk.ui.combo import ValueCombo
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors.base import FieldEditor, is_stack_undo
from s47desk.ui.flow import WrappedChoice
from s47desk.ui.undo import set_meeting

NOT_RECORDED = "— Not recorded —"


class UndoAwareLineEdit(QLineEdit):
    """A line edit whose Ctrl+Z goes to the meeting's undo stack, not its own."""

    def event(self, event: QEvent) -> bool:
        if is_stack_undo(event):
            event.ignore()
            return False
        return super().event(event)


class UndoAwarePlainTextEdit(QPlainTextEdit):
    """Multi-line text that grows with its content (3 to 12 lines) and tabs to the next field."""

    MIN_LINES, MAX_LINES = 3, 12

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)
        self.document().contentsChanged.connect(self.updateGeometry)

    def event(self, event: QEvent) -> bool:
        if is_stack_undo(event):
            event.ignore()
            return False
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
        return super().event(event)

    def sizeHint(self):  # noqa: N802 (Qt's name)
        hint = super().sizeHint()
        lines = self.document().size().height()  # lines, for a plain-text layout
        lines = max(self.MIN_LINES, min(self.MAX_LINES, int(lines) + 1))
        margins = self.contentsMargins()
        height = lines * self.fontMetrics().lineSpacing() + margins.top() + margins.bottom() + 10
        hint.setHeight(height)
        return hint

    def minimumSizeHint(self):  # noqa: N802
        return self.sizeHint()


def _one_box(widget: QWidget, parent: FieldEditor) -> None:
    layout = QHBoxLayout(parent)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget)
    parent.setFocusProxy(widget)


class TextEditor(FieldEditor):
    def __init__(self, doc: MeetingDocument, field: FieldDef, parent: QWidget | None = None):
        super().__init__(doc, field, parent)
        self.edit = UndoAwareLineEdit()
        self.edit.setAccessibleName(field.label)
        self.edit.setPlaceholderText(field.help)
        _one_box(self.edit, self)
        self.edit.textEdited.connect(lambda text: set_meeting(doc, field.id, text, field.label))
        self.refresh()

    def refresh(self) -> None:
        if self.edit.text() != (self.value or ""):
            self.edit.setText(self.value or "")

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class LongTextEditor(FieldEditor):
    def __init__(self, doc: MeetingDocument, field: FieldDef, parent: QWidget | None = None):
        super().__init__(doc, field, parent)
        self.edit = UndoAwarePlainTextEdit()
        self.edit.setAccessibleName(field.label)
        self.edit.setPlaceholderText(field.help)
        _one_box(self.edit, self)
        self._loading = False
        self.edit.textChanged.connect(self._edited)
        self.refresh()

    def _edited(self) -> None:
        if not self._loading:
            set_meeting(self.doc, self.field.id, self.edit.toPlainText(), self.field.label)

    def refresh(self) -> None:
        if self.edit.toPlainText() != (self.value or ""):
            self._loading = True
            position = self.edit.textCursor().position()
            try:
                self.edit.setPlainText(self.value or "")
            finally:
                self._loading = False
            cursor = self.edit.textCursor()
            cursor.setPosition(min(position, len(self.value or "")))
            self.edit.setTextCursor(cursor)

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class BoolEditor(FieldEditor):
    """A tick box whose label wraps like a paragraph (some are a sentence long: "Parental
    permission to see the child will not be sought (exceptional circumstances)")."""

    label_mode = "none"

    def __init__(self, doc: MeetingDocument, field: FieldDef, parent: QWidget | None = None):
        super().__init__(doc, field, parent)
        self.box = QCheckBox()
        self.choice = WrappedChoice(self.box, field.label)
        _one_box(self.choice, self)
        self.setFocusProxy(self.box)
        self.box.toggled.connect(lambda on: set_meeting(doc, field.id, on, field.label))
        self.refresh()

    def refresh(self) -> None:
        if self.box.isChecked() != bool(self.value):
            self.box.blockSignals(True)
            self.box.setChecked(bool(self.value))
            self.box.blockSignals(False)


def vocab_combo(vocab: Any, *, optional: bool, name: str) -> QComboBox:
    """A combo of a vocabulary's labels (item data: the member; None for "not recorded")."""
    combo = ValueCombo()
    combo.setAccessibleName(name)
    if optional:
        combo.addItem(NOT_RECORDED, None)
    for member in vocab:
        combo.addItem(member.label, member)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


class ChoiceEditor(FieldEditor):
    """A drop-down with its label beside it (above it when narrow). The label is the combo's
    sibling on purpose: on Linux a combo box's accessible name is its current value, and AT-SPI
    reads its label only through the labelled-by relation, which Qt finds among siblings."""

    label_mode = "none"

    def __init__(self, doc: MeetingDocument, field: FieldDef, parent: QWidget | None = None):
        super().__init__(doc, field, parent)
        column = doc.meeting.__table__.columns[field.attribute]
        self.combo = vocab_combo(field.vocab, optional=bool(column.nullable), name=field.label)
        self.label = QLabel(field.label)
        self.label.setWordWrap(True)
        self.label.setBuddy(self.combo)
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.label)
        self.row.addWidget(self.combo, 1)
        self.setFocusProxy(self.combo)
        self.combo.activated.connect(
            lambda i: set_meeting(doc, field.id, self.combo.itemData(i), field.label)
        )
        self.refresh()

    def refresh(self) -> None:
        index = self.combo.findData(self.value)
        self.combo.setCurrentIndex(max(index, 0))

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        char = self.fontMetrics().averageCharWidth()
        narrow = self.width() < 60 * char
        self.row.setDirection(
            QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        )
        self.label.setFixedWidth(16777215 if narrow else 22 * char)
        self.label.setMinimumWidth(0 if narrow else 22 * char)


class ChoicesEditor(FieldEditor):
    """Several of a vocabulary: check boxes in two columns, stored in vocabulary order."""

    label_mode = "above"
    COLUMNS = 2

    def __init__(self, doc: MeetingDocument, field: FieldDef, parent: QWidget | None = None):
        super().__init__(doc, field, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(2)
        outer.addLayout(self.grid)
        self.boxes: dict[str, QCheckBox] = {}
        self.rows_: list[QWidget] = []
        members = list(field.vocab or [])
        for member in members:
            box = QCheckBox()
            box.setAccessibleDescription(field.label)
            box.toggled.connect(self._edited)
            self.rows_.append(WrappedChoice(box, member.label))
            self.boxes[member.value] = box
        self._columns = 0
        self._place(self.COLUMNS)
        if members:
            self.setFocusProxy(self.boxes[members[0].value])
        self.refresh()

    def _place(self, columns: int) -> None:
        """Down the first column, then the next; one column when the width is short."""
        if columns == self._columns:
            return
        self._columns = columns
        for widget in self.rows_:
            self.grid.removeWidget(widget)
        rows = max(1, (len(self.rows_) + columns - 1) // columns)
        for i, widget in enumerate(self.rows_):
            self.grid.addWidget(widget, i % rows, i // rows)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        char = self.fontMetrics().averageCharWidth()
        self._place(self.COLUMNS if self.width() >= 60 * char else 1)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 20 * self.fontMetrics().averageCharWidth()), hint.height())

    def _edited(self) -> None:
        chosen = [value for value, box in self.boxes.items() if box.isChecked()]
        if chosen != list(self.value or []):
            set_meeting(self.doc, self.field.id, chosen, self.field.label)

    def refresh(self) -> None:
        stored = set(self.value or [])
        for value, box in self.boxes.items():
            if box.isChecked() != (value in stored):
                box.blockSignals(True)
                box.setChecked(value in stored)
                box.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        for box in self.boxes.values():
            box.setEnabled(not read_only)
