"""Capture an action from anywhere in the meeting (Ctrl+Shift+A), without leaving the step.

An inline bar, not a dialog, in reading and Tab order: kind, what, owner, agency, children
(Space opens a list to tick one, several or all of them), due (a date, ``+N`` working days, or
the quick picks: Alt+1, Alt+3, Alt+5 set 1, 3 or 5 working days after the meeting day and go
to Add). Enter moves from field to field and adds the action
from the due date (the last field) or on Add; Escape closes the bar, and the focus returns to
where it was. The budget, with the picks: Ctrl+Shift+A, Tab, *what*, Tab, *owner*, Tab, the
agency's first letter, Alt+5, Enter — seven keys beyond the text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from s47desk.models import Action
from s47desk.ui.a11y import announce
from s47desk.ui.children_choice import ChildrenButton, names
from s47desk.ui.date_field import DateField, format_date
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors.scalar import UndoAwareLineEdit, vocab_combo
from s47desk.ui.quick_entry import EnterChain, QuickGrid
from s47desk.ui.theme import Heading
from s47desk.ui.undo import InsertRow
from s47desk.vocab import ActionCategory, Agency

PICKS = (1, 3, 5, 15)
PICK_KEYS = {1: "Alt+1", 3: "Alt+3", 5: "Alt+5"}


class QuickActionBar(QFrame):
    opened = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickAction")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.doc: MeetingDocument | None = None
        self._return_to: QWidget | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(8, 6, 8, 6)
        self.heading = Heading("New action", 1.0)
        self.layout_.addWidget(self.heading)
        self.kind = vocab_combo(ActionCategory, optional=False, name="New action: kind")
        self.kind.setMinimumContentsLength(10)
        self.what = UndoAwareLineEdit()
        self.what.setPlaceholderText("What is to be done")
        self.what.setAccessibleName("New action: what")
        self.owner = UndoAwareLineEdit()
        self.owner.setPlaceholderText("Named person")
        self.owner.setAccessibleName("New action: owner")
        self.agency = vocab_combo(Agency, optional=True, name="New action: agency")
        self.agency.setMinimumContentsLength(10)
        self.for_children = ChildrenButton("New action: children")
        self.due_holder = QWidget()
        self.due_layout = QVBoxLayout(self.due_holder)
        self.due_layout.setContentsMargins(0, 0, 0, 0)
        self.due: DateField | None = None
        self.add = QPushButton("Add action")
        self.add.setAccessibleName("Add this action")
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close the quick action bar")
        self.grid = QuickGrid(
            "",
            [
                ("Kind", self.kind),
                ("What", self.what),
                ("Owner", self.owner),
                ("Agency", self.agency),
                ("Children", self.for_children),
                ("Due", self.due_holder),
            ],
            self.add,
            self.close_button,
        )
        self.grid.title.hide()
        self.grid.field_chars = 22
        self.layout_.addWidget(self.grid)
        self.add.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.dismiss)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self,
            self.dismiss,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        for days, keys in PICK_KEYS.items():
            QShortcut(
                QKeySequence(keys),
                self,
                lambda d=days: self.pick(d),
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        self.enter: EnterChain | None = None
        self.hide()

    def set_compact(self, compact: bool) -> None:
        """(The grid wraps by itself; nothing else changes.)"""

    def tab_chain(self) -> list[QWidget]:
        due = [] if self.due is None else [self.due.edit, self.due.button]
        picks = [] if self.due is None else list(self.due.quick_buttons.values())
        return [
            self.kind,
            self.what,
            self.owner,
            self.agency,
            self.for_children,
            *due,
            *picks,
            self.add,
            self.close_button,
        ]

    def open_for(self, doc: MeetingDocument) -> None:
        if doc.locked:
            return
        if self.doc is not doc or self.due is None:
            self.doc = doc
            if self.due is not None:
                self.due.deleteLater()
            self.due = DateField(
                doc.protocol.calendar(),
                doc.base_date,
                name="New action: due",
                quick_picks=PICKS,
            )
            for days, button in self.due.quick_buttons.items():
                if days in PICK_KEYS:
                    button.setToolTip(f"{button.toolTip()} ({PICK_KEYS[days]})")
                    button.setAccessibleDescription(f"Shortcut {PICK_KEYS[days]}")
                button.clicked.connect(lambda _=False: self.add.setFocus())
            self.due_layout.addWidget(self.due)
            self.enter = EnterChain(
                [self.kind, self.what, self.owner, self.agency, self.for_children, self.due.edit],
                self.submit,
                [self.add],
            )
            self.add.setAutoDefault(True)
            self.close_button.setAutoDefault(True)
        self.for_children.set_children(doc.meeting.children)
        focus = QApplication.focusWidget()
        self._return_to = focus if focus is not None and not self.isAncestorOf(focus) else None
        self.show()
        self.opened.emit()
        self.kind.setFocus(Qt.FocusReason.ShortcutFocusReason)
        announce(self, "New action: kind, what, owner, agency, children, due. Enter adds it.")

    def pick(self, days: int) -> None:
        """A working-day pick from the keyboard: the date is set and Add has the focus."""
        if self.due is None:
            return
        self.due.pick_working_days(days)
        self.add.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def submit(self) -> None:
        if self.doc is None or self.doc.locked:
            return
        if not self.what.text().strip():
            self.what.setFocus()
            announce(self.what, "Type what is to be done first.", assertive=True)
            return
        if self.due is not None and not self.due.commit_text():
            self.due.setFocus()
            return
        action = Action(
            text=self.what.text().strip(),
            owner=self.owner.text().strip(),
            agency=self.agency.currentData(),
            due=self.due.date() if self.due is not None else None,
            for_children=self.for_children.uids(),
            category=self.kind.currentData(),
        )
        self.doc.push(InsertRow(self.doc, "actions", action, "action"))
        due = format_date(action.due) or "no due date"
        announce(
            self,
            f"Action added: {action.text}; {action.owner or 'no owner'}; due {due}"
            + (
                f"; for {names(self.doc.meeting.children, action.for_children)}."
                if action.for_children
                else "."
            ),
        )
        self.what.clear()
        self.owner.clear()
        self.agency.setCurrentIndex(0)
        self.kind.setCurrentIndex(0)
        self.for_children.set_uids([])
        if self.due is not None:
            self.due.set_date(None)
            self.due.edit.clear()
        self.dismiss()

    def dismiss(self) -> None:
        self.hide()
        if self._return_to is not None:
            self._return_to.setFocus()
        self._return_to = None
