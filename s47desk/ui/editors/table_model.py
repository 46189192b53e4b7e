"""The table model behind every row editor: columns declared as data, rows from the ORM list.

A thin QAbstractTableModel over a meeting's collection (children, attendees, information,
dissents, actions); every cell edit is an undoable command, so undo, autosave and the checks see
it like any other edit.
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
    QObject,
    QPersistentModelIndex,
    Qt,
)

from s47desk.ui.children_choice import names, summary
from s47desk.ui.date_field import format_date
from s47desk.ui.document import MeetingDocument
from s47desk.ui.icons import severity_icon
from s47desk.ui.undo import set_action_children, set_row

Options = Callable[[MeetingDocument, Any], list[tuple[str, Any]]]
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row object itself, for cell editors


@dataclass(frozen=True)
class Column:
    attr: str
    header: str
    kind: str = "text"  # text, vocab, date, bool, options, children, readonly
    vocab: Any = None
    optional: bool = True
    options: Options | None = None  # for "options": (label, value) pairs for a row
    stretch: bool = False
    fixes: tuple[str, ...] = ()  # finding codes fixed in this column
    display: Callable[[Any], str] | None = None  # for "readonly"
    width: int = 0  # in average characters; 0: by kind
    help: str = ""  # the heading's tooltip and the cells' description, when the heading is short
    #: The column matters only for rows where this holds (an unborn child's expected date): a
    #: table too narrow for every column leaves it out while no row needs it.
    only_if: Callable[[Any], bool] | None = None

    def needed(self, rows: list[Any]) -> bool:
        return self.only_if is None or any(self.only_if(r) for r in rows)

    def text(self, row: Any) -> str:
        if self.display is not None:
            return self.display(row)
        value = getattr(row, self.attr)
        if value is None:
            return ""
        if hasattr(value, "label"):
            return str(value.label)
        if isinstance(value, date):
            return format_date(value)
        if hasattr(value, "name") and not isinstance(value, str):  # a related row (a child)
            return str(value.name)
        return str(value)


class RowTableModel(QAbstractTableModel):
    """One row per ORM object in ``meeting.<collection>``; one column per :class:`Column`."""

    def __init__(
        self,
        doc: MeetingDocument,
        collection: str,
        columns: list[Column],
        *,
        field_id: str = "",
        also_watch: tuple[str, ...] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc, self.collection, self.columns = doc, collection, columns
        self.field_id = field_id or collection
        self.watch = {self.field_id, *also_watch}
        self.findings: dict[int, list[tuple[str, str]]] = {}  # row -> (severity, message)
        doc.row_inserting.connect(self._inserting)
        doc.row_inserted.connect(self._inserted)
        doc.row_removing.connect(self._removing)
        doc.row_removed.connect(self._removed)
        doc.value_changed.connect(self._changed)
        doc.reset.connect(self._reset)

    @property
    def rows(self) -> list[Any]:
        return getattr(self.doc.meeting, self.collection)

    # -- document signals -------------------------------------------------------------------
    def _inserting(self, collection: str, index: int) -> None:
        if collection == self.collection:
            self.beginInsertRows(QModelIndex(), index, index)

    def _inserted(self, collection: str, _index: int) -> None:
        if collection == self.collection:
            self.endInsertRows()

    def _removing(self, collection: str, index: int) -> None:
        if collection == self.collection:
            self.beginRemoveRows(QModelIndex(), index, index)

    def _removed(self, collection: str, _index: int) -> None:
        if collection == self.collection:
            self.endRemoveRows()

    def _changed(self, field_id: str, obj: Any) -> None:
        if field_id not in self.watch or not self.rows:
            return
        try:
            row = next(i for i, r in enumerate(self.rows) if r is obj)
            first, last = row, row
        except StopIteration:
            first, last = 0, len(self.rows) - 1
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

    def _reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def set_findings(self, findings: dict[int, list[tuple[str, str]]]) -> None:
        self.findings = findings
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    # -- model ------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns)
        if role == Qt.ItemDataRole.ToolTipRole and horizontal:
            return self.columns[section].help or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header if horizontal else None
        return str(section + 1)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.columns[index.column()]
        if self.doc.locked or column.kind == "readonly":
            return flags
        if column.kind == "bool":
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEditable

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if column.kind == "children":  # an action's children, by uid (for_children, child)
            uids = [c.uid for c in row.children_in(self.doc.meeting)]
            if role == Qt.ItemDataRole.EditRole:
                return uids
            if role == Qt.ItemDataRole.DisplayRole:
                return summary(self.doc.meeting.children, uids) if uids else ""
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                # the children by name; the row's findings are the first column's to say
                return names(self.doc.meeting.children, uids)
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if column.kind == "bool" else column.text(row)
        if role == Qt.ItemDataRole.EditRole:
            return getattr(row, column.attr) if column.kind != "readonly" else column.text(row)
        if role == Qt.ItemDataRole.CheckStateRole and column.kind == "bool":
            return Qt.CheckState.Checked if getattr(row, column.attr) else Qt.CheckState.Unchecked
        problems = self.findings.get(index.row(), []) if index.column() == 0 else []
        if role == Qt.ItemDataRole.DecorationRole and problems:
            worst = "blocker" if any(s == "blocker" for s, _ in problems) else "warning"
            return severity_icon(worst)
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = [m for _, m in problems]
            text = column.text(row)
            if column.kind != "bool" and len(text) > 18:
                tips.insert(0, text)
            return "\n".join(tips) or None
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and (problems or column.help):
            return "; ".join([m for _, m in problems] + ([column.help] if column.help else []))
        if role == ROW_ROLE:
            return row
        return None

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if not index.isValid() or not (
            self.flags(index) & (Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable)
        ):
            return False
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and column.kind == "bool":
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        if column.kind == "text":
            value = str(value or "")
        if column.kind == "children":
            set_action_children(self.doc, self.rows[index.row()], list(value or []))
            return True
        set_row(
            self.doc,
            self.rows[index.row()],
            column.attr,
            value,
            self.field_id,
            column.header.lower(),
        )
        return True
