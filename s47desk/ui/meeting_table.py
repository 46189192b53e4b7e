"""The meeting list's model: plain rows, sorted and filtered in Python, asked only for what shows.

Built for 10,000 meetings. Each row's texts, sort keys and search text are worked out once, on
the worker thread that reads the list (:func:`cells_of`, plain Python values, no Qt objects),
so showing the list is handing over two lists. The model holds no Qt items: Qt asks ``data``
only for the cells on screen. Sorting is Python's own sort over the precomputed keys and
filtering a scan of precomputed lower-case texts (each a few milliseconds at 10,000, in C),
then the view is told once — ``layoutChanged`` for a new order (the selection kept),
a reset when rows come or go. One model, no proxies: a proxy would ask Python for every row's
value, and a chain of two re-maps rows range by range.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from s47desk.ui.deadlines_panel import SHORT
from s47desk.vocab import MeetingStatus

if TYPE_CHECKING:
    from s47desk.meetings import MeetingSummary

ID = Qt.ItemDataRole.UserRole + 2  # the meeting's id, from any cell of its row
_DISPLAY = Qt.ItemDataRole.DisplayRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_TIP = Qt.ItemDataRole.ToolTipRole
_CENTRE = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class MeetingRow:
    summary: MeetingSummary
    search: str  # lower-case: names, references, id


def row_of(summary: MeetingSummary) -> MeetingRow:
    words = [summary.child, str(summary.id), summary.reference, *summary.children]
    return MeetingRow(summary, " ".join(words).lower())


@lru_cache(maxsize=4096)
def _day(day: date) -> str:
    """E.g. "Tue 24 Nov" (strftime is slow once Qt is loaded: each call imports a module)."""
    return f"{day:%a} {day.day} {day:%b}"


def _deadline_text(s: MeetingSummary, today: date) -> str:
    d = s.next_deadline
    if d is None:
        return "—"
    late = " (overdue)" if d.due < today else ""
    return f"{SHORT.get(d.key, d.label)}: {_day(d.due)}{late}"


@dataclass(frozen=True)
class ListColumn:
    header: str
    text: Callable[[MeetingSummary, date], str]
    key: Callable[[MeetingSummary], Any]
    overdue: Callable[[MeetingSummary, date], bool] = lambda _s, _t: False
    centred: bool = False
    width: int = 10  # in average characters


_STATUS_ORDER = {status: i for i, status in enumerate(MeetingStatus)}

COLUMNS = (
    ListColumn("Child", lambda s, _t: s.child, lambda s: s.child.lower(), width=24),
    ListColumn("Form", lambda s, _t: s.form_title, lambda s: s.form_title, width=18),
    ListColumn("Status", lambda s, _t: s.status.label, lambda s: _STATUS_ORDER[s.status]),
    ListColumn(
        "Next deadline",
        _deadline_text,
        lambda s: s.next_deadline.due.isoformat() if s.next_deadline else "9999",
        lambda s, t: s.next_deadline is not None and s.next_deadline.due < t,
        width=26,
    ),
    ListColumn(
        "Open actions",
        lambda s, _t: str(s.open_actions),
        lambda s: s.open_actions,
        centred=True,
        width=8,
    ),
    ListColumn(
        "Overdue",
        lambda s, _t: str(s.overdue_actions) if s.overdue_actions else "—",
        lambda s: s.overdue_actions,
        lambda s, _t: s.overdue_actions > 0,
        centred=True,
        width=6,
    ),
    ListColumn("Reference", lambda s, _t: s.reference, lambda s: s.reference, width=15),
    ListColumn(
        "Held",
        lambda s, _t: f"{s.held_at:%d %b %Y %H:%M}" if s.held_at else "—",
        lambda s: s.held_at.isoformat() if s.held_at else "",
        width=17,
    ),
)
STATUS, DEADLINE = 2, 3
_CENTRED = frozenset(i for i, c in enumerate(COLUMNS) if c.centred)


@dataclass(frozen=True, slots=True)
class Cells:
    """One row as the list shows, sorts and filters it."""

    id: int
    texts: tuple[str, ...]
    keys: tuple[Any, ...]
    alerts: frozenset[int]  # the columns shown in the alert colour
    tip: str  # the next deadline's basis
    status: str  # MeetingStatus value, for the status filter
    form_id: str
    search: str


def cells_of(row: MeetingRow, today: date) -> Cells:
    """What the list shows of *row* (plain values: made on the worker thread that reads it)."""
    s = row.summary
    texts = [column.text(s, today) for column in COLUMNS]
    alerts = {i for i, column in enumerate(COLUMNS) if column.overdue(s, today)}
    if s.altered:
        texts[STATUS] = "Altered after signing"
        alerts.add(STATUS)
    d = s.next_deadline
    return Cells(
        id=s.id,
        texts=tuple(texts),
        keys=tuple(column.key(s) for column in COLUMNS),
        alerts=frozenset(alerts),
        tip=f"{d.label}: {d.basis}" if d is not None else "",
        status=s.status.value,
        form_id=s.form_id,
        search=row.search,
    )


@dataclass(frozen=True)
class Filter:
    """Status, form and the search's words (each somewhere in the names, references or id)."""

    words: tuple[str, ...] = ()
    status: str | None = None
    form_id: str = ""

    def keeps(self, cells: Cells) -> bool:
        if self.status is not None and cells.status != self.status:
            return False
        if self.form_id and cells.form_id != self.form_id:
            return False
        return all(word in cells.search for word in self.words)


class MeetingTable(QAbstractTableModel):
    """Every meeting's cells (in the order read), and the rows shown (sorted, filtered)."""

    def __init__(self, alert: Callable[[], QColor], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.alert = alert  # asked as a cell is drawn: the palette in use now (dark or light)
        self.cells: list[Cells] = []
        self.shown: list[int] = []  # positions in ``cells``, in the order on screen
        self.sort_column, self.sort_order = DEADLINE, Qt.SortOrder.AscendingOrder
        self.filter = Filter()

    # -- what Qt asks ---------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        row = index.row()
        if not 0 <= row < len(self.shown):
            return None
        cells = self.cells[self.shown[row]]
        column = index.column()
        if role == _DISPLAY:
            return cells.texts[column]
        if role == _FOREGROUND:
            return self.alert() if column in cells.alerts else None
        if role == _ALIGN:
            return _CENTRE if column in _CENTRED else None
        if role == ID:
            return cells.id
        if role == _TIP and column == DEADLINE:
            return cells.tip or None
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> Any:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section].header if 0 <= section < len(COLUMNS) else None
        return super().headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by *column* (the header's click): the same rows in a new order, selection kept."""
        self.sort_column, self.sort_order = column, order
        self._reorder(self._order(sorted(self.shown)))

    # -- what the list does ---------------------------------------------------------------------
    def replace(self, cells: list[Cells]) -> None:
        """Every row anew (the list read again)."""
        self.beginResetModel()
        self.cells = cells
        self.shown = self._order(self._kept())
        self.endResetModel()

    def set_filter(self, wanted: Filter) -> None:
        if wanted == self.filter:
            return
        self.beginResetModel()
        self.filter = wanted
        self.shown = self._order(self._kept())
        self.endResetModel()

    def put(self, cells: Cells, place: int | None) -> None:
        """One meeting's row, changed in place (or a new one added when *place* is None): the
        one row repainted, unless it moves in the order or the filter shows or hides it."""
        if place is None:
            self.cells.append(cells)
        else:
            self.cells[place] = cells
        kept = self._kept()
        if place is None or len(kept) != len(self.shown):
            self.beginResetModel()
            self.shown = self._order(kept)
            self.endResetModel()
            return
        order = self._order(kept)
        if order != self.shown:
            self._reorder(order)
            return
        row = self.shown.index(place)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def row_of_place(self, place: int) -> int | None:
        """The row on screen of ``cells[place]`` (None when filtered out)."""
        try:
            return self.shown.index(place)
        except ValueError:
            return None

    # -- the order ------------------------------------------------------------------------------
    def _kept(self) -> list[int]:
        keeps, cells = self.filter.keeps, self.cells
        if self.filter == Filter():
            return list(range(len(cells)))
        return [i for i in range(len(cells)) if keeps(cells[i])]

    def _order(self, places: Sequence[int]) -> list[int]:
        """*places* (in the order read) sorted by the sort column's key; equal keys stay in
        the order read (newest first), either way round, as Qt's own sort keeps them."""
        column, cells = self.sort_column, self.cells
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        return sorted(places, key=lambda i: cells[i].keys[column], reverse=descending)

    def _reorder(self, shown: list[int]) -> None:
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        where = {place: row for row, place in enumerate(shown)}
        new = [
            self.index(where[self.shown[index.row()]], index.column())
            if 0 <= index.row() < len(self.shown)
            else QModelIndex()
            for index in old
        ]
        self.shown = shown
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
