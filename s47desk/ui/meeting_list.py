"""The list of meetings: search by child's name, reference or meeting id; filter by status and form.

Built for 10,000 meetings. The rows come from the core's bulk ``summaries`` (plain rows, read
on a worker thread when the window starts, with what each row shows worked out there too) and
are held by a model of plain values (``meeting_table.MeetingTable``) that Qt asks only for the
cells on screen; sorting and filtering are Python's own sort and a scan of precomputed texts.
When a meeting changes, its one row is updated in place (:meth:`MeetingList.update_summary`);
the list is never reloaded on typing.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt, QThread, Signal
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
from s47desk.ui.meeting_table import (
    COLUMNS,
    DEADLINE,
    ID,
    STATUS,
    Cells,
    Filter,
    MeetingRow,
    MeetingTable,
    cells_of,
    row_of,
)
from s47desk.ui.theme import semantic
from s47desk.vocab import MeetingStatus

if TYPE_CHECKING:
    from s47desk.forms import FormRegistry
    from s47desk.meetings import MeetingSummary
    from s47desk.protocol import Protocol
    from s47desk.storage import Database

__all__ = ["COLUMNS", "ID", "MeetingFilter", "MeetingList", "MeetingRow", "load_rows", "row_of"]


def load_rows(
    db: Database,
    forms: FormRegistry,
    protocol: Protocol,
    today: date,
    ids: Iterable[int] | None = None,
) -> list[MeetingRow]:
    """The list's rows (safe on a worker thread: a session of its own). The whole list of a
    SQLite file is read as the command line reads it, with sqlite3 alone once the statements
    are compiled (by the first read through SQLAlchemy, kept for the next start)."""
    from s47desk import list_read
    from s47desk.meetings import summaries

    plain = list_read.read_meetings_of_open(db) if ids is None else None
    if plain is not None:
        found = summaries(plain, forms, protocol, today)
    else:
        with db.sessions() as session:
            found = summaries(session, forms, protocol, today, ids=ids)
        if ids is None:
            list_read.remember_plan(db)
    return [row_of(s) for s in found]


#: The columns a narrow list keeps, most needed first: whose meeting, where it stands, what is
#: due next. Beside a video call the list shows the first few; widened, all of them.
NARROW_KEEPS = (0, STATUS, DEADLINE, 1, 5, 4, 7, 6)


class _Loader(QThread):
    """Reads the list, and works out what each row shows, off the GUI thread."""

    loaded = Signal(object, object)  # rows, their cells
    failed = Signal(str)

    def __init__(
        self, work: Callable[[], list[MeetingRow]], today: date, parent: QObject | None
    ) -> None:
        super().__init__(parent)
        self.work, self.today = work, today

    def run(self) -> None:
        # The collector is paused while the list is made, and what is in memory then (the
        # list, the modules) is set aside for good: otherwise a full collection over it all
        # stops every thread, the window's too, for a quarter of a second.
        was = gc.isenabled()
        gc.disable()
        try:
            rows = self.work()
            cells = [cells_of(row, self.today) for row in rows]
        except Exception as exc:  # shown in the list's place; never a crash at start-up
            self.failed.emit(str(exc) or type(exc).__name__)
            return
        finally:
            gc.freeze()
            if was:
                gc.enable()
        self.loaded.emit(rows, cells)


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
        self.model = MeetingTable(lambda: semantic().blocker, self)
        self.filter = MeetingFilter(self.model)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Meetings")
        self.view.setSortingEnabled(False)  # the header's indicator sorts the model (below)
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
        self.view.activated.connect(lambda index: self.open_meeting.emit(index.data(ID)))
        # A reset (a filter, the list read again) clears the selection: the meeting last
        # chosen is selected again whenever it is listed (a search that hid it, cleared).
        self._selected: int | None = None
        self.view.selectionModel().selectionChanged.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)

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
        self.model.sort(column, order)

    def _remember_selection(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:  # (a reset clears the selection without a word: the choice stays known)
            self._selected = rows[0].data(ID)

    def _restore_selection(self) -> None:
        if self._selected is not None:
            self.select_meeting(self._selected)

    # -- filling ---------------------------------------------------------------------------
    def set_rows(self, rows: list[MeetingRow], today: date) -> None:
        """Replace every row (here, on the GUI thread)."""
        self._show(rows, [cells_of(row, today) for row in rows], today)

    def load_in_background(self, work: Callable[[], list[MeetingRow]], today: date) -> None:
        """Read the rows with *work* on a worker thread; ``filled`` when they are in."""
        if self._loader is not None and self._loader.isRunning():
            self._loader.loaded.disconnect()
        loader = _Loader(work, today, None)  # not owned: the list may close first
        _RUNNING.add(loader)

        def loaded(rows: list[MeetingRow], cells: list[Cells]) -> None:
            if isValid(self):
                self._show(rows, cells, today)

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

    def _show(self, rows: list[MeetingRow], cells: list[Cells], today: date) -> None:
        self.rows, self.today = rows, today
        self._place = {r.summary.id: i for i, r in enumerate(rows)}
        self.model.replace(cells)
        gc.freeze()  # the list stays: a full collection need not look at it (or stall typing)
        self.filled.emit()

    def update_summary(self, summary: MeetingSummary) -> None:
        """The one row of this meeting, updated in place (or added, for a new meeting)."""
        row = row_of(summary)
        place = self._place.get(summary.id)
        if place is not None and self.rows[place] == row:
            return
        if place is None:
            self._place[summary.id] = len(self.rows)
            self.rows.append(row)
        else:
            self.rows[place] = row
        self.model.put(cells_of(row, self.today), place)

    def summary_of(self, meeting_id: int) -> MeetingSummary | None:
        place = self._place.get(meeting_id)
        return None if place is None else self.rows[place].summary

    # -- reading ---------------------------------------------------------------------------
    def visible_children(self) -> list[str]:
        """The child's column, top to bottom, as the list shows it."""
        return [self.model.index(r, 0).data() for r in range(self.model.rowCount())]

    def _view_index(self, meeting_id: int) -> QModelIndex:
        place = self._place.get(meeting_id)
        row = None if place is None else self.model.row_of_place(place)
        return QModelIndex() if row is None else self.model.index(row, 0)

    def select_meeting(self, meeting_id: int) -> None:
        index = self._view_index(meeting_id)
        if index.isValid():
            self.view.selectRow(index.row())


class MeetingFilter:
    """The status, form and search filters, held together: each change filters once."""

    def __init__(self, model: MeetingTable) -> None:
        self.model = model
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
        self.model.set_filter(
            Filter(
                words=tuple(self.text.split()),
                status=self.status.value if self.status is not None else None,
                form_id=self.form_id or "",
            )
        )
