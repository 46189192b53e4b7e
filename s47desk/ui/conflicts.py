"""When two people changed the same field: both texts, side by side, and the person chooses.

Nothing is thrown away: until a choice is made, their text is in the database and this
window's text is here (and, if it came from a failed save, in the recovery journal too). And
when the meeting was signed elsewhere while this window still had unsaved text, that text is
shown so it can be copied into an amendment.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from s47desk import present
from s47desk.audit import as_text
from s47desk.editing import Conflict, Edit, FieldEdit, RowInsert, decode
from s47desk.graph import COLLECTIONS
from s47desk.ui import edits
from s47desk.ui.children_choice import names
from s47desk.ui.document import MeetingDocument, field_of
from s47desk.ui.theme import Heading, muted


def _text_box(text: str, name: str) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setReadOnly(True)
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)
    box.setMaximumHeight(box.fontMetrics().lineSpacing() * 6 + 12)
    return box


def _find(doc: MeetingDocument, edit: FieldEdit) -> object | None:
    if edit.table == "meeting":
        return doc.meeting
    for collection in COLLECTIONS:
        for row in getattr(doc.meeting, collection):
            if row.uid == edit.uid:
                return row
    return None


def readable(doc: MeetingDocument, edit: FieldEdit, value: object) -> str:
    """A value as the person reads it: an action's children by name, not by uid."""
    if edit.column == "for_children" and isinstance(value, list):
        return names(doc.meeting.children, [str(v) for v in value])
    if edit.column == "child":
        by_uid = {c.uid: present.child_name(c, i) for i, c in enumerate(doc.meeting.children)}
        return by_uid.get(str(value), "") if value else "Not for a particular child"
    return as_text(value)


class ConflictDialog(QDialog):
    """One box per field both changed: "Keep mine" or "Use theirs"."""

    def __init__(
        self, doc: MeetingDocument, conflicts: list[Conflict], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.doc = doc
        self.setWindowTitle("Someone else changed the same field")
        self.setObjectName("conflictDialog")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading("Someone else changed the same field", 1.2))
        layout.addWidget(
            muted(
                "While you were typing, another person saved a different text in the same "
                "field. Both are shown: choose which one the record keeps. Nothing is lost "
                "until you choose."
            )
        )
        area = QScrollArea()
        area.setWidgetResizable(True)
        inner = QWidget()
        column = QVBoxLayout(inner)
        self.choices: list[tuple[Conflict, QPushButton, QPushButton]] = []
        for conflict in conflicts:
            column.addWidget(self._box(conflict))
        column.addStretch(1)
        area.setWidget(inner)
        layout.addWidget(area, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 480)

    def _box(self, conflict: Conflict) -> QGroupBox:
        edit = conflict.edit
        box = QGroupBox(edit.label or edit.column)
        grid = QGridLayout(box)
        if conflict.removed:
            grid.addWidget(QLabel("They removed this item; your text is below."), 0, 0, 1, 2)
        else:
            grid.addWidget(QLabel("Their text (saved)"), 0, 0)
            theirs_text = readable(self.doc, edit, conflict.theirs)
            grid.addWidget(_text_box(theirs_text, f"{box.title()}: their text"), 1, 0)
        grid.addWidget(QLabel("Your text"), 0, 1)
        grid.addWidget(
            _text_box(readable(self.doc, edit, edit.new), f"{box.title()}: your text"), 1, 1
        )
        row = QHBoxLayout()
        mine = QPushButton("Keep &mine")
        mine.setAccessibleName(f"{box.title()}: keep my text")
        theirs = QPushButton("Use &theirs")
        theirs.setAccessibleName(f"{box.title()}: use their text")
        theirs.setEnabled(not conflict.removed)
        mine.setEnabled(not conflict.removed)
        mine.clicked.connect(lambda: self.keep_mine(conflict, box))
        theirs.clicked.connect(lambda: self.use_theirs(conflict, box))
        row.addStretch(1)
        row.addWidget(mine)
        row.addWidget(theirs)
        grid.addLayout(row, 2, 0, 1, 2)
        self.choices.append((conflict, mine, theirs))
        return box

    def _settled(self, box: QGroupBox, what: str) -> None:
        box.setTitle(f"{box.title()} — {what}")
        for button in box.findChildren(QPushButton):
            button.setEnabled(False)
        if all(not m.isEnabled() and not t.isEnabled() for _c, m, t in self.choices):
            self.accept()

    def keep_mine(self, conflict: Conflict, box: QGroupBox) -> None:
        edit = conflict.edit
        obj = _find(self.doc, edit)
        if obj is not None:
            if edit.column == "child":
                children = {c.uid: c for c in self.doc.meeting.children}
                value: object = children.get(edit.new) if edit.new else None
            elif edit.column.startswith("details."):
                value = edit.new
            else:
                value = decode(edit.table, edit.column, edit.new)
            edits.set_value(obj, edit.column, value)
            self.doc.value_changed.emit(field_of(obj, edit.column), obj)
        self.doc.keep_mine(conflict)
        self._settled(box, "your text kept")

    def use_theirs(self, conflict: Conflict, box: QGroupBox) -> None:
        self._settled(box, "their text kept")


def edit_text(edit: Edit) -> str:
    """An unsaved edit as a person would copy it back ("" for one with nothing to copy)."""
    if isinstance(edit, FieldEdit) and edit.column != "position":
        return f"{edit.label or edit.column}:\n{as_text(edit.new)}"
    if isinstance(edit, RowInsert):
        return f"New {edit.label or edit.table}: {as_text(edit.values)}"
    return ""


class RefusedDialog(QDialog):
    """The meeting was signed elsewhere: what this window could not save, ready to copy."""

    def __init__(self, why: str, refused: list[Edit], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Not saved: the meeting was signed")
        self.setObjectName("refusedDialog")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading("These edits were not saved", 1.2))
        layout.addWidget(
            muted(
                f"{why} Copy your text below if it belongs in the record: the chair can record "
                "an amendment."
            )
        )
        lines = [text for edit in refused if (text := edit_text(edit))]
        self.text = _text_box("\n\n".join(lines), "Your unsaved text")
        self.text.setMaximumHeight(16777215)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("&Copy all", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.text.toPlainText())
        )
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 420)
