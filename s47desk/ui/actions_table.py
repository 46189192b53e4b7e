"""The action plan: a table for fast keyboard entry, with quick due-date picks.

In the table: Insert (or Ctrl+Enter) adds an action and starts typing what is to be done; Enter
stores a cell and moves to the next (owner, agency, due, children, kind, status); in the due
cell, ``+3`` means three working days after the meeting day; the children's cell opens a list
to tick one, several or all children (s47desk.ui.children_choice). The buttons above set the selected
action's due date to +1/+3/+5/+15 working days or open a calendar that marks bank holidays.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel, QToolButton, QWidget

from s47desk.models import Action
from s47desk.ui.date_field import QUICK_PICKS, WorkingDayCalendar, format_date, quick_pick_button
from s47desk.ui.editors.table import Column, TableEditor
from s47desk.ui.flow import button_row
from s47desk.ui.undo import set_row
from s47desk.vocab import ActionCategory, ActionStatus, Agency

COLUMNS = [
    Column("text", "What", stretch=True),
    Column("owner", "Owner", width=14),
    Column("agency", "Agency", "vocab", Agency, width=15),
    Column("due", "Due", "date", width=15),
    Column("for_children", "Children", "children", width=16),
    Column(
        "category",
        "Kind",
        "vocab",
        ActionCategory,
        optional=False,
        fixes=("s47.see_child",),
        width=14,
    ),
    Column("status", "Status", "vocab", ActionStatus, optional=False, width=9),
]


class ActionsEditor(TableEditor):
    row_label = "action"
    add_text = "Add action"
    empty_text = "No actions yet. Press Insert to add one, or Ctrl+Shift+A from anywhere."
    columns = COLUMNS

    def also_watch(self) -> tuple[str, ...]:
        return ("children",)

    def build_top(self) -> None:
        self.base_label = QLabel()
        self.base_label.setWordWrap(True)
        self.layout_.addWidget(self.base_label)
        self.pick_buttons: dict[int, QToolButton] = {}
        for days in QUICK_PICKS:
            button = quick_pick_button(
                days,
                f"Due in {days} working day{'s' * (days != 1)}",
                f"Set the selected action's due date to {days} working days on",
                self.pick_due,
            )
            self.pick_buttons[days] = button
        self.calendar_button = QToolButton()
        self.calendar_button.setText("Calendar…")
        self.calendar_button.setAccessibleName("Pick the due date from a calendar")
        self.calendar_button.clicked.connect(self.open_calendar)
        self.layout_.addWidget(button_row(*self.pick_buttons.values(), self.calendar_button))
        self.doc.value_changed.connect(
            lambda f, _o: self._base_text() if f == "meeting.held_at" else None
        )
        self._base_text()

    def _base_text(self) -> None:
        self.base_label.setText(
            f"Due date of the selected action (working days after {format_date(self.doc.base_date())}):"
        )

    def current_action(self) -> Action | None:
        index = self.view.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def set_due(self, due: date) -> None:
        action = self.current_action()
        if action is None and not self.doc.locked:
            self.add_row(Action())
            action = self.model.rows[-1]
        if action is not None:
            set_row(self.doc, action, "due", due, "actions", "due date")

    def pick_due(self, days: int) -> None:
        self.set_due(self.doc.protocol.calendar().add_working_days(self.doc.base_date(), days))

    def open_calendar(self) -> None:
        action = self.current_action()
        start = (action.due if action and action.due else None) or self.doc.base_date()
        calendar = WorkingDayCalendar(self.doc.protocol.calendar())
        calendar.setWindowTitle("Due date")
        calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        calendar.setParent(self, Qt.WindowType.Popup)

        def picked(day: QDate) -> None:
            calendar.close()
            chosen = day.toPython()
            assert isinstance(chosen, date)
            self.set_due(chosen)

        calendar.activated.connect(picked)
        calendar.clicked.connect(picked)
        calendar.move(self.calendar_button.mapToGlobal(self.calendar_button.rect().bottomLeft()))
        calendar.show()
        calendar.setFocus()
        self.popup = calendar

    def top_chain(self) -> list[QWidget]:
        return [*self.pick_buttons.values(), self.calendar_button]

    def tab_chain(self) -> list[QWidget]:
        """The table first (the picks act on its selected row), then the picks, then Add."""
        return [self.view, *self.top_chain(), self.add_button, self.remove_button]

    def new_row(self) -> Action:
        return Action()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for button in (*self.pick_buttons.values(), self.calendar_button):
            button.setEnabled(not read_only)
