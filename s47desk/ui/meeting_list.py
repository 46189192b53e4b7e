"""The list of meetings: search by child's name, reference or meeting id; filter by status and form.

A thin table model over the core's ``summaries`` (attributes: child, form, status, held, next
deadline, open and overdue actions), loaded with a short session per refresh.
"""

# ruff: noqa: N802  (Qt's method names are camelCase)

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
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
from sqlalchemy import select

from s47desk.forms import FormRegistry
from s47desk.meetings import MeetingSummary, summaries
from s47desk.models import Child
from s47desk.protocol import Protocol
from s47desk.storage import Database
from s47desk.ui.combo import ValueCombo
from s47desk.ui.deadlines_panel import SHORT
from s47desk.ui.theme import semantic
from s47desk.vocab import MeetingStatus

SORT = Qt.ItemDataRole.UserRole + 1
ID = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class MeetingRow:
    summary: MeetingSummary
    search: str  # lower-case: names, references, id


def load_rows(
    db: Database, forms: FormRegistry, protocol: Protocol, today: date
) -> list[MeetingRow]:
    with db.sessions() as session:
        found = summaries(session, forms, protocol, today)
        extra: dict[int, list[str]] = {}
        for meeting_id, name, reference in session.execute(
            select(Child.meeting_id, Child.name, Child.reference)
        ):
            extra.setdefault(meeting_id, []).extend([name or "", reference or ""])
    return [
        MeetingRow(s, " ".join([s.child, str(s.id), *extra.get(s.id, [])]).lower()) for s in found
    ]


def _deadline_text(s: MeetingSummary, today: date) -> str:
    d = s.next_deadline
    if d is None:
        return "—"
    late = " (overdue)" if d.due < today else ""
    return f"{SHORT.get(d.key, d.label)}: {d.due:%a} {d.due.day} {d.due:%b}{late}"


@dataclass(frozen=True)
class ListColumn:
    header: str
    text: Callable[[MeetingSummary, date], str]
    key: Callable[[MeetingSummary], Any]
    overdue: Callable[[MeetingSummary, date], bool] = lambda _s, _t: False
    centred: bool = False


COLUMNS = (
    ListColumn("Child", lambda s, _t: s.child, lambda s: s.child.lower()),
    ListColumn(
        "Status", lambda s, _t: s.status.label, lambda s: list(MeetingStatus).index(s.status)
    ),
    ListColumn(
        "Next deadline",
        _deadline_text,
        lambda s: s.next_deadline.due.isoformat() if s.next_deadline else "9999",
        lambda s, t: s.next_deadline is not None and s.next_deadline.due < t,
    ),
    ListColumn(
        "Open actions", lambda s, _t: str(s.open_actions), lambda s: s.open_actions, centred=True
    ),
    ListColumn(
        "Overdue",
        lambda s, _t: str(s.overdue_actions) if s.overdue_actions else "—",
        lambda s: s.overdue_actions,
        lambda s, _t: s.overdue_actions > 0,
        centred=True,
    ),
    ListColumn("Form", lambda s, _t: s.form_title, lambda s: s.form_title),
    ListColumn(
        "Held",
        lambda s, _t: f"{s.held_at:%d %b %Y %H:%M}" if s.held_at else "—",
        lambda s: s.held_at.isoformat() if s.held_at else "",
    ),
)


class MeetingTableModel(QAbstractTableModel):
    def __init__(self, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self.today = today
        self.rows: list[MeetingRow] = []

    def set_rows(self, rows: list[MeetingRow], today: date) -> None:
        self.beginResetModel()
        self.rows, self.today = rows, today
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section].header
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        s, column = self.rows[index.row()].summary, COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(s, self.today)
        if role == SORT:
            return column.key(s)
        if role == ID:
            return s.id
        if role == Qt.ItemDataRole.ForegroundRole and column.overdue(s, self.today):
            return semantic().blocker
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and s.next_deadline is not None
            and index.column() == 2
        ):
            return f"{s.next_deadline.label}: {s.next_deadline.basis}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column.centred:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class MeetingFilter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.status: MeetingStatus | None = None
        self.form_id = ""
        self.setSortRole(SORT)

    def set_filter(
        self, text: str | None = None, status: Any = "", form_id: str | None = None
    ) -> None:
        self.beginFilterChange()
        if text is not None:
            self.text = text.strip().lower()
        if status != "":
            self.status = status
        if form_id is not None:
            self.form_id = form_id
        self.endFilterChange()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, MeetingTableModel)
        row = model.rows[source_row]
        s = row.summary
        if self.status is not None and s.status is not self.status:
            return False
        if self.form_id and s.form_id != self.form_id:
            return False
        return all(word in row.search for word in self.text.split())


class MeetingList(QWidget):
    open_meeting = Signal(int)
    new_meeting = Signal()

    def __init__(self, forms: FormRegistry, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self.model = MeetingTableModel(today, self)
        self.proxy = MeetingFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Meetings")
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.new_button)
        self.search.textChanged.connect(lambda t: self.proxy.set_filter(text=t))
        self.status.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filter(status=self.status.currentData())
        )
        self.form.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filter(form_id=self.form.currentData())
        )
        self.view.activated.connect(lambda index: self.open_meeting.emit(index.data(ID)))

    def set_rows(self, rows: list[MeetingRow], today: date) -> None:
        self.model.set_rows(rows, today)

    def visible_children(self) -> list[str]:
        return [self.proxy.index(r, 0).data() for r in range(self.proxy.rowCount())]

    def select_meeting(self, meeting_id: int) -> None:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(ID) == meeting_id:
                self.view.selectRow(r)
                return
