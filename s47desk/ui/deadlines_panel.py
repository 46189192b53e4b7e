"""The open meeting's deadlines: each with its date and its state, with a timeline.

A deadline's state is the core's (s47desk.deadlines): met on time, met late (never shown as
met), due, overdue, not applicable (and why), not known (and what is missing). Each state has
its words, its icon and its colour; the colour is never the only cue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QListView,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from s47desk.deadlines import LABELS, Deadline, DeadlineState, Timescales
from s47desk.ui.icons import state_icon
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
    "assessment_by": "Assessment",
}

#: Each state's icon (its shape says it as well as its colour) and its name for a screen reader.
ICON = {
    DeadlineState.MET_ON_TIME: "complete",
    DeadlineState.MET_LATE: "warning",
    DeadlineState.DUE: "in_progress",
    DeadlineState.OVERDUE: "blocker",
    DeadlineState.NOT_APPLICABLE: "not_started",
    DeadlineState.NOT_KNOWN: "not_known",
}


@dataclass(frozen=True)
class DeadlineRow:
    """One deadline as the window shows it: its name, its date (if it has one) and its state
    in words (the core's), with the state itself for the colour and icon."""

    key: str
    label: str
    when: str  # "" when it has no date (not applicable, not known)
    words: str
    state: DeadlineState
    detail: str  # what follows the state's name when it is spoken
    basis: str = ""

    def colour(self, palette: QPalette) -> QColor | None:
        """Never the only cue: the words and the icon say the same."""
        colours = semantic(palette)
        return {
            DeadlineState.MET_ON_TIME: colours.ok,
            DeadlineState.MET_LATE: colours.warning,
            DeadlineState.OVERDUE: colours.blocker,
            DeadlineState.NOT_APPLICABLE: palette.color(QPalette.ColorRole.PlaceholderText),
        }.get(self.state)

    def spoken_state(self) -> str:
        """The state named once, then its detail ("Met late: 1 working day after…")."""
        return self.state.label + (f": {self.detail}" if self.detail else "")

    def spoken(self) -> str:
        """For a screen reader: the deadline, its date, its state."""
        when = f": {self.when}" if self.when else ""
        return f"{self.label}{when}. {self.spoken_state()}"


def deadline_rows(
    timescales: Timescales, today: date, calendar: WorkingCalendar
) -> tuple[list[DeadlineRow], list[DeadlineRow]]:
    """The deadlines with a date, by date; then those without one (not applicable, not yet
    known), in the order of LABELS, each with the reason the core gives."""
    dated = [
        DeadlineRow(
            d.key,
            d.label,
            d.when(),
            d.state(today, calendar),
            d.status(today),
            d.detail(today, calendar),
            d.basis,
        )
        for d in sorted(timescales.deadlines.values(), key=lambda d: (d.due, d.key))
    ]
    undated = [
        DeadlineRow(
            key, LABELS[key], "", f"not applicable: {why}", DeadlineState.NOT_APPLICABLE, why
        )
        for key, why in timescales.not_applicable.items()
    ] + [
        DeadlineRow(key, LABELS[key], "", f"not known: {what}", DeadlineState.NOT_KNOWN, what)
        for key, what in timescales.not_known.items()
    ]
    undated.sort(key=lambda r: list(LABELS).index(r.key))
    return dated, undated


def show_row(item: QTreeWidgetItem, row: DeadlineRow, palette: QPalette) -> None:
    """Fill a tree item (Deadline | Due | State) from *row* (the new-meeting dialog)."""
    item.setText(0, row.label)
    item.setText(1, row.when or "—")
    item.setText(2, row.words)
    item.setIcon(2, state_icon(ICON[row.state]))
    for column in range(3):
        item.setToolTip(column, row.basis or row.words)
    colour = row.colour(palette)
    if colour is not None:
        item.setForeground(2, colour)
    item.setData(0, Qt.ItemDataRole.AccessibleTextRole, row.spoken())
    item.setData(2, Qt.ItemDataRole.AccessibleTextRole, row.spoken_state())
    if not row.when:
        item.setData(1, Qt.ItemDataRole.AccessibleTextRole, "no date")


class WrappingDelegate(QStyledItemDelegate):
    """Rows of a tree as tall as their wrapped text (a tree does not measure it itself)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree
        tree.header().sectionResized.connect(lambda *_: tree.doItemsLayout())

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        icon = opt.decorationSize.width() + 6 if not opt.icon.isNull() else 0
        width = max(self.tree.columnWidth(index.column()) - icon - 10, 20)
        drawn = opt.fontMetrics.boundingRect(
            QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), opt.text
        )
        return QSize(hint.width(), max(hint.height(), drawn.height() + 4))


def list_text(row: DeadlineRow) -> str:
    """Two lines that wrap in a narrow panel: the deadline, then its date and state."""
    words = row.words[:1].upper() + row.words[1:]
    return f"{row.label}\n{row.when} — {words}" if row.when else f"{row.label}\n{words}"


class DeadlinesPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        left = QVBoxLayout()
        # One item a deadline, its lines wrapping to the panel's width: beside the meeting
        # the panel is narrow, and a state with its reason is a sentence.
        self.list = QListWidget()
        self.list.setAccessibleName("Deadlines")
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setUniformItemSizes(False)
        self.list.setSpacing(2)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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
        self.states: dict[str, DeadlineState] = {}

    def clear_meeting(self) -> None:
        self.list.clear()
        self.rows, self.states = [], {}
        self.timeline.set_data(None, date.today(), [], WorkingCalendar())
        self.holidays.setText("")

    def set_deadlines(
        self,
        deadlines: Timescales | dict[str, Deadline],
        referral: date | None,
        today: date,
        calendar: WorkingCalendar,
    ) -> None:
        timescales = deadlines if isinstance(deadlines, Timescales) else Timescales(deadlines)
        self.list.clear()
        dated, undated = deadline_rows(timescales, today, calendar)
        #: The deadlines with a date (also on the timeline); after them the list shows those
        #: without one, with why.
        self.rows = [(r.label, r.when, r.words) for r in dated]
        self.states = timescales.states(today)
        size = self.list.fontMetrics().height()
        self.list.setIconSize(QSize(size, size))
        for row in dated + undated:
            item = QListWidgetItem(state_icon(ICON[row.state]), list_text(row), self.list)
            item.setToolTip(row.basis or row.words)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, row.spoken())
            colour = row.colour(self.palette())
            if colour is not None:
                item.setForeground(colour)
        marks = [
            Mark(d.due, SHORT.get(d.key, d.label), d.status(today))
            for d in timescales.deadlines.values()
        ]
        self.timeline.set_data(referral, today, marks, calendar)
        names = "; ".join(f"{n} ({d:%a} {d.day} {d:%b})" for d, n in self.timeline.holidays)
        self.holidays.setText(
            f"Referral {referral:%d %b}; weekends shaded grey; bank holidays in amber: {names}."
            if names and referral
            else "Weekends shaded; no bank holidays in this period."
            if referral
            else ""
        )
