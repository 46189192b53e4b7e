"""The open meeting's deadlines: each as a date and "in N working days", with a timeline."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from s47desk.deadlines import Deadline
from s47desk.ui.theme import muted, semantic
from s47desk.ui.timeline import Mark, Timeline
from s47desk.workdays import WorkingCalendar

SHORT = {
    "strategy_discussion_by": "Strategy discussion",
    "whereabouts_discussion_by": "Police discussion",
    "lado_notification_by": "LADO",
    "record_circulation_by": "Record out",
    "icpc_by": "ICPC",
    "cin_planning_by": "CIN planning",
    "assessment_by": "Readiness",
}


class DeadlinesPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        left = QVBoxLayout()
        self.list = QTreeWidget()
        self.list.setColumnCount(3)
        self.list.setHeaderLabels(["Deadline", "Due", "When"])
        self.list.setRootIsDecorated(False)
        self.list.setAccessibleName("Deadlines")
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.header().setStretchLastSection(False)
        left.addWidget(self.list)
        layout.addLayout(left, 1)
        picture = QWidget()
        right = QVBoxLayout(picture)
        right.setContentsMargins(0, 0, 0, 0)
        self.timeline = Timeline()
        self.holidays = muted("")
        right.addWidget(self.timeline)
        right.addWidget(self.holidays)
        right.addStretch(1)
        scroller = QScrollArea()  # at a large text size the picture scrolls, never overlaps
        scroller.setWidget(picture)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no invisible, unnamed Tab stop
        layout.addWidget(scroller, 1)
        self.rows: list[tuple[str, str, str]] = []

    def _fit(self) -> None:
        """Due dates and their state whole; the name takes what is left and wraps."""
        from PySide6.QtWidgets import QHeaderView

        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

    def clear_meeting(self) -> None:
        self.list.clear()
        self.rows = []
        self.timeline.set_data(None, date.today(), [], WorkingCalendar())
        self.holidays.setText("")

    def set_deadlines(
        self,
        deadlines: dict[str, Deadline],
        referral: date | None,
        today: date,
        calendar: WorkingCalendar,
    ) -> None:
        self.list.clear()
        self.rows = []
        colours = semantic(self.palette())
        for d in sorted(deadlines.values(), key=lambda d: (d.due, d.key)):
            state = d.state(today, calendar)
            row = (d.label, d.when(), state)
            self.rows.append(row)
            item = QTreeWidgetItem(self.list, list(row))
            item.setToolTip(0, d.basis)
            item.setToolTip(1, d.basis)
            if state.startswith("overdue"):
                item.setForeground(2, colours.blocker)
            elif state == "met":
                item.setForeground(2, colours.ok)
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{d.label}: {d.when()}, {state}")
        self._fit()
        marks = [Mark(d.due, SHORT.get(d.key, d.label), d.met) for d in deadlines.values()]
        self.timeline.set_data(referral, today, marks, calendar)
        names = "; ".join(f"{n} ({d:%a} {d.day} {d:%b})" for d, n in self.timeline.holidays)
        self.holidays.setText(
            f"Referral {referral:%d %b}; weekends shaded grey; bank holidays in amber: {names}."
            if names and referral
            else "Weekends shaded; no bank holidays in this period."
            if referral
            else ""
        )
