"""The list of meetings: search by child's name, reference or meeting id; filter by status and form.

Built for 10,000 meetings. The rows come from the core's bulk ``summaries`` (plain rows, read
on a worker thread when the window starts) and are held by Qt itself — a QStandardItemModel —
so that sorting and filtering run in C++ on cheap values, never calling Python per row or per
comparison. Two plain Qt proxies sit on it: one sorts (once, and again only when a header is
clicked), the other filters by status, form and the search words at once (one pattern); typing
a search or clearing it re-filters in C++ and sorts nothing. When a meeting changes, its one row is updated in place
(:meth:`MeetingList.update_summary`); the list is never reloaded on typing.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    QThread,
    Signal,
)
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from s47desk.ui.combo import ValueCombo
from s47desk.ui.deadlines_panel import SHORT
from s47desk.ui.theme import semantic
from s47desk.vocab import MeetingStatus

if TYPE_CHECKING:
    from s47desk.forms import FormRegistry
    from s47desk.meetings import MeetingSummary
    from s47desk.protocol import Protocol
    from s47desk.storage import Database

SORT = Qt.ItemDataRole.UserRole + 1
ID = Qt.ItemDataRole.UserRole + 2
FILTER = Qt.ItemDataRole.UserRole + 3  # "status form\x1fnames references id" (lower-case)
_SEP = "\x1f"


@dataclass(frozen=True)
class MeetingRow:
    summary: MeetingSummary
    search: str  # lower-case: names, references, id


def row_of(summary: MeetingSummary) -> MeetingRow:
    words = [summary.child, str(summary.id), summary.reference, *summary.children]
    return MeetingRow(summary, " ".join(words).lower())


def load_rows(
    db: Database,
    forms: FormRegistry,
    protocol: Protocol,
    today: date,
    ids: Iterable[int] | None = None,
) -> list[MeetingRow]:
    """The list's rows (safe on a worker thread: a session of its own)."""
    from s47desk.meetings import summaries

    with db.sessions() as session:
        found = summaries(session, forms, protocol, today, ids=ids)
    return [row_of(s) for s in found]


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
#: The columns a narrow list keeps, most needed first: whose meeting, where it stands, what is
#: due next. Beside a video call the list shows the first few; widened, all of them.
NARROW_KEEPS = (0, STATUS, DEADLINE, 1, 5, 4, 7, 6)
_CENTRED = [i for i, c in enumerate(COLUMNS) if c.centred]


def _fill_items(items: list[QStandardItem], row: MeetingRow, today: date, alert: QColor) -> None:
    """The row's texts and the few values Qt sorts and filters on (as few calls as may be:
    the list of 10,000 is built on a worker thread, but it should be there within a second)."""
    s = row.summary
    for item, column in zip(items, COLUMNS, strict=True):
        item.setText(column.text(s, today))
        item.setData(column.key(s), SORT)
        if column.overdue(s, today):
            item.setForeground(alert)
        elif item.data(Qt.ItemDataRole.ForegroundRole) is not None:
            item.setData(None, Qt.ItemDataRole.ForegroundRole)
    if s.altered:
        items[STATUS].setText("Altered after signing")
        items[STATUS].setForeground(alert)
    d = s.next_deadline
    items[DEADLINE].setToolTip(f"{d.label}: {d.basis}" if d is not None else "")
    first = items[0]
    first.setData(s.id, ID)
    first.setData(f"{s.status.value} {s.form_id}{_SEP}{row.search}", FILTER)


def _new_items() -> list[QStandardItem]:
    items = [QStandardItem() for _ in COLUMNS]
    for index in _CENTRED:
        items[index].setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    return items


def build_model(rows: list[MeetingRow], today: date, alert: QColor) -> QStandardItemModel:
    """A model holding *rows* (made on any thread; move it to the GUI thread to show it)."""
    model = QStandardItemModel(0, len(COLUMNS))
    model.setHorizontalHeaderLabels([c.header for c in COLUMNS])
    for row in rows:
        items = _new_items()
        _fill_items(items, row, today, alert)
        model.appendRow(items)
    return model


class _Loader(QThread):
    """Reads the list and builds its model off the GUI thread."""

    loaded = Signal(object, object)  # rows, model (moved to the GUI thread)
    failed = Signal(str)

    def __init__(
        self,
        work: Callable[[], list[MeetingRow]],
        today: date,
        alert: QColor,
        parent: QObject | None,
    ) -> None:
        super().__init__(parent)
        self.work, self.today, self.alert = work, today, alert
        self.gui = QCoreApplication.instance().thread()  # type: ignore[union-attr]

    def run(self) -> None:
        # The collector is paused while the list is made, and what is in memory then (the
        # list, the modules) is set aside for good: otherwise a full collection over it all
        # stops every thread, the window's too, for a quarter of a second.
        was = gc.isenabled()
        gc.disable()
        try:
            rows = self.work()
            model = build_model(rows, self.today, self.alert)
            model.moveToThread(self.gui)
        except Exception as exc:  # shown in the list's place; never a crash at start-up
            self.failed.emit(str(exc) or type(exc).__name__)
            return
        finally:
            gc.freeze()
            if was:
                gc.enable()
        self.loaded.emit(rows, model)


_RUNNING: set[_Loader] = set()


def wait_for_loaders() -> None:
    """Before the program ends: no thread is left reading the list."""
    for loader in list(_RUNNING):
        loader.wait()


class MeetingList(QWidget):
    open_meeting = Signal(int)
    new_meeting = Signal()
    filled = Signal()  # the rows are in (after set_rows or a load in the background)

    def __init__(self, forms: FormRegistry, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.rows: list[MeetingRow] = []  # in the model's row order
        self._place: dict[int, int] = {}  # meeting id -> model row
        self._loader: _Loader | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search: child's name, reference or meeting number")
        self.search.setAccessibleName("Search meetings")
        self.search.setClearButtonEnabled(True)
        self.status = ValueCombo()
        self.status.setAccessibleName("Filter by status")
        self.status.addItem("Any status", None)
        for status in MeetingStatus:
            self.status.addItem(status.label, status)
        self.form = ValueCombo()
        self.form.setAccessibleName("Filter by form")
        self.form.addItem("Any form", "")
        for form in forms:
            self.form.addItem(form.title, form.id)
        self.form.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.form.setMinimumContentsLength(10)
        self.new_button = QPushButton("New meeting…")
        self.new_button.clicked.connect(self.new_meeting)
        filters = QHBoxLayout()
        filters.addWidget(self.status)
        filters.addWidget(self.form, 1)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        # Plain Qt classes throughout (a Python subclass would be asked, per row, whether it
        # overrides filterAcceptsRow, lessThan, data...).
        self.model = build_model([], today, QColor())
        self.model.setParent(self)
        self.sorter = QSortFilterProxyModel(self)
        self.sorter.setSortRole(SORT)
        self.sorter.setDynamicSortFilter(True)
        # One filter proxy for status, form and words together: a chain of two made every
        # change of one filter re-map the other's rows range by range (a tenth of a second).
        self.proxy = QSortFilterProxyModel(self)  # what the view shows
        self.proxy.setFilterRole(FILTER)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setSourceModel(self.sorter)
        self.filter = MeetingFilter(self.proxy)
        self.sorter.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Meetings")
        self.view.setSortingEnabled(False)  # the header sorts the sorter, below the filters
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows = self.view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # one height: nothing measured
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never measures rows
        header.setStretchLastSection(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.sortIndicatorChanged.connect(self._sort)
        header.setSortIndicator(DEADLINE, Qt.SortOrder.AscendingOrder)
        self._fit_widths()
        self.view.viewport().installEventFilter(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.new_button)
        self.search.textChanged.connect(lambda t: self.filter.set_filter(text=t))
        self.status.currentIndexChanged.connect(
            lambda _i: self.filter.set_filter(status=self.status.currentData())
        )
        self.form.currentIndexChanged.connect(
            lambda _i: self.filter.set_filter(form_id=self.form.currentData())
        )
        self.view.activated.connect(
            lambda index: self.open_meeting.emit(index.siblingAtColumn(0).data(ID))
        )

    def _fit_widths(self) -> None:
        average = self.view.fontMetrics().averageCharWidth()
        self._widths = [column.width * average + 16 for column in COLUMNS]
        for index, width in enumerate(self._widths):
            self.view.setColumnWidth(index, width)
        self._child_fits = 20 * average + 16  # "Baby Carter (unborn)": room kept for the status

    def fit_columns(self) -> None:
        """Show the columns that fit the list's width, in the order of ``NARROW_KEEPS``, so it
        never scrolls sideways to say whose meeting a row is: the child's column always shows,
        narrowed (to about 20 characters, then to the room) only when that keeps a column more."""
        room = self.view.viewport().width()

        def kept(child: int) -> list[int]:
            used, shown = min(child, room), [0]
            for index in NARROW_KEEPS[1:]:
                if used + self._widths[index] > room:
                    break
                used += self._widths[index]
                shown.append(index)
            return shown

        child = self._widths[0]
        shown = kept(child)
        if len(kept(self._child_fits)) > len(shown):
            child = self._child_fits
            shown = kept(child)
        for index in NARROW_KEEPS:
            self.view.setColumnHidden(index, index not in shown)
        self.view.setColumnWidth(0, max(40, min(child, room)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # The viewport narrows when the vertical scroll bar appears (rows loaded): refit then.
        if event.type() == QEvent.Type.Resize and watched is self.view.viewport():
            self.fit_columns()
        return False

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_widths()
            self.fit_columns()

    def _sort(self, column: int, order: Qt.SortOrder) -> None:
        self.sorter.sort(column, order)

    # -- filling ---------------------------------------------------------------------------
    def _alert(self) -> QColor:
        return semantic().blocker

    def set_rows(self, rows: list[MeetingRow], today: date) -> None:
        """Replace every row (here, on the GUI thread)."""
        self._show(rows, build_model(rows, today, self._alert()), today)

    def load_in_background(self, work: Callable[[], list[MeetingRow]], today: date) -> None:
        """Read the rows with *work* and build them on a worker thread; ``filled`` when in."""
        if self._loader is not None and self._loader.isRunning():
            self._loader.loaded.disconnect()
        loader = _Loader(work, today, self._alert(), None)  # not owned: the list may close first
        _RUNNING.add(loader)

        def loaded(rows: list[MeetingRow], model: QStandardItemModel) -> None:
            if isValid(self):
                self._show(rows, model, today)

        loader.loaded.connect(loaded)
        loader.failed.connect(
            lambda why: self.search.setPlaceholderText(f"The list could not be read: {why}")
        )
        loader.finished.connect(lambda: self._done(loader))
        self._loader = loader
        loader.start()

    def _done(self, loader: _Loader) -> None:
        if isValid(self) and self._loader is loader:
            self._loader = None
        _RUNNING.discard(loader)
        loader.deleteLater()

    def loading(self) -> bool:
        return self._loader is not None and self._loader.isRunning()

    def wait_loaded(self, msecs: int = 60000) -> None:
        if self._loader is not None:
            self._loader.wait(msecs)
            QCoreApplication.sendPostedEvents(self)

    def _show(self, rows: list[MeetingRow], model: QStandardItemModel, today: date) -> None:
        old = self.model
        model.setParent(self)
        self.model, self.rows, self.today = model, rows, today
        self._place = {r.summary.id: i for i, r in enumerate(rows)}
        self.sorter.setSourceModel(model)
        header = self.view.horizontalHeader()
        self.sorter.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        old.deleteLater()
        gc.freeze()  # the list stays: a full collection need not look at it (or stall typing)
        self.filled.emit()

    def update_summary(self, summary: MeetingSummary) -> None:
        """The one row of this meeting, updated in place (or added, for a new meeting)."""
        row = row_of(summary)
        place = self._place.get(summary.id)
        if place is None:
            items = _new_items()
            _fill_items(items, row, self.today, self._alert())
            self._place[summary.id] = len(self.rows)
            self.rows.append(row)
            self.model.appendRow(items)
            return
        if self.rows[place] == row:
            return
        self.rows[place] = row
        items = [self.model.item(place, c) for c in range(len(COLUMNS))]
        _fill_items(items, row, self.today, self._alert())

    def summary_of(self, meeting_id: int) -> MeetingSummary | None:
        place = self._place.get(meeting_id)
        return None if place is None else self.rows[place].summary

    # -- reading ---------------------------------------------------------------------------
    def visible_children(self) -> list[str]:
        return [self.proxy.index(r, 0).data() for r in range(self.proxy.rowCount())]

    def _view_index(self, meeting_id: int) -> QModelIndex:
        place = self._place.get(meeting_id)
        if place is None:
            return QModelIndex()
        index = self.sorter.mapFromSource(self.model.index(place, 0))
        return self.proxy.mapFromSource(index)

    def select_meeting(self, meeting_id: int) -> None:
        index = self._view_index(meeting_id)
        if index.isValid():
            self.view.selectRow(index.row())


class MeetingFilter:
    """The status, form and search filters, as one pattern the filter proxy matches in C++:
    the row's status and form, then every word of the search somewhere in its names,
    references or number."""

    def __init__(self, proxy: QSortFilterProxyModel) -> None:
        self.proxy = proxy
        self.text = ""
        self.status: MeetingStatus | None = None
        self.form_id = ""

    def set_filter(
        self, text: str | None = None, status: Any = "", form_id: str | None = None
    ) -> None:
        if text is not None:
            self.text = text.strip().lower()
        if status != "":
            self.status = status
        if form_id is not None:
            self.form_id = form_id
        words = "".join(f"(?=.*{QRegularExpression.escape(w)})" for w in self.text.split())
        if not words and self.status is None and not self.form_id:
            pattern = ""
        else:
            status_part = QRegularExpression.escape(self.status.value) if self.status else r"\S+"
            form_part = QRegularExpression.escape(self.form_id) if self.form_id else r"\S+"
            pattern = f"^{status_part} {form_part}{_SEP}{words}"
        if pattern != self.proxy.filterRegularExpression().pattern():
            self.proxy.setFilterRegularExpression(QRegularExpression(pattern))
