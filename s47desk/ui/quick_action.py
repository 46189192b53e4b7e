"""Capture an action from anywhere in the meeting (Ctrl+Shift+A), without leaving the step.

An inline bar, not a dialog: what, owner, agency, due (+N working days or a date) and child;
Enter adds the action to the plan, Escape closes the bar, and focus returns to where it was.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from s47desk.models import Action
from s47desk.ui.combo import ValueCombo
from s47desk.ui.date_field import DateField
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors.scalar import UndoAwareLineEdit, vocab_combo
from s47desk.ui.undo import InsertRow
from s47desk.vocab import Agency


class QuickActionBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Quick action")
        self.doc: MeetingDocument | None = None
        self._return_to: QWidget | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(QLabel("<b>New action</b>"))
        self.what = UndoAwareLineEdit()
        self.what.setPlaceholderText("What is to be done")
        self.what.setAccessibleName("New action: what")
        self.owner = UndoAwareLineEdit()
        self.owner.setPlaceholderText("Owner")
        self.owner.setAccessibleName("New action: owner")
        self.agency = vocab_combo(Agency, optional=True, name="New action: agency")
        self.due: DateField | None = None
        self.due_holder = QHBoxLayout()
        self.child = ValueCombo()
        self.child.setAccessibleName("New action: child")
        self.add = QPushButton("Add action")
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close the quick action bar")
        layout.addWidget(self.what, 3)
        layout.addWidget(self.owner, 1)
        layout.addWidget(self.agency)
        layout.addLayout(self.due_holder)
        layout.addWidget(self.child)
        layout.addWidget(self.add)
        layout.addWidget(self.close_button)
        for edit in (self.what, self.owner):
            edit.returnPressed.connect(self.submit)
        self.add.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.dismiss)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self,
            self.dismiss,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.hide()

    def open_for(self, doc: MeetingDocument) -> None:
        if doc.locked:
            return
        if self.doc is not doc:
            self.doc = doc
            if self.due is not None:
                self.due.deleteLater()
            self.due = DateField(
                doc.protocol.calendar(),
                doc.base_date,
                name="New action: due",
                quick_picks=(1, 3, 5, 15),
            )
            self.due_holder.addWidget(self.due)
        self.child.clear()
        self.child.addItem("All children", None)
        for i, c in enumerate(doc.meeting.children):
            self.child.addItem(c.name or f"Child {i + 1}", c)
        focus = QApplication.focusWidget()
        self._return_to = focus if focus is not None and not self.isAncestorOf(focus) else None
        self.show()
        self.what.setFocus()

    def submit(self) -> None:
        if self.doc is None or self.doc.locked:
            return
        if not self.what.text().strip():
            self.what.setFocus()
            return
        if self.due is not None and not self.due.commit_text():
            self.due.setFocus()
            return
        action = Action(
            text=self.what.text().strip(),
            owner=self.owner.text().strip(),
            agency=self.agency.currentData(),
            due=self.due.date() if self.due is not None else None,
            child=self.child.currentData(),
        )
        self.doc.push(InsertRow(self.doc, "actions", action, "action"))
        self.what.clear()
        self.owner.clear()
        self.agency.setCurrentIndex(0)
        if self.due is not None:
            self.due.set_date(None)
        self.dismiss()

    def dismiss(self) -> None:
        self.hide()
        if self._return_to is not None:
            self._return_to.setFocus()
        self._return_to = None
