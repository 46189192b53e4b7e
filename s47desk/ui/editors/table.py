"""A table editor for a meeting's rows (children, attendees, information, dissents, actions).

Columns are declared as data; the model is a thin QAbstractTableModel over the ORM list, every
cell edit is an undoable command, and the delegate is built for the keyboard: typing starts an
edit, Enter stores the cell and moves to the next one, Insert (or Ctrl+Enter) adds a row.
"""

# ruff: noqa: N802  (Qt's method names are camelCase)

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from s47desk.fields import FieldDef
from s47desk.ui.combo import ValueCombo
from s47desk.ui.date_field import DateLineEdit, format_date
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors import FieldEditor
from s47desk.ui.editors.scalar import NOT_RECORDED, UndoAwareLineEdit
from s47desk.ui.icons import severity_icon
from s47desk.ui.undo import InsertRow, RemoveRow, set_row

Options = Callable[[MeetingDocument, Any], list[tuple[str, Any]]]
_ROW = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column:
    attr: str
    header: str
    kind: str = "text"  # text, vocab, date, bool, options, readonly
    vocab: Any = None
    optional: bool = True
    options: Options | None = None  # for "options": (label, value) pairs for a row
    stretch: bool = False
    fixes: tuple[str, ...] = ()  # finding codes fixed in this column
    display: Callable[[Any], str] | None = None  # for "readonly"
    width: int = 0  # in average characters; 0: by kind

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
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header if 0 <= section < len(self.columns) else None
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
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and problems:
            return "; ".join(m for _, m in problems)
        if role == _ROW:
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
        set_row(
            self.doc,
            self.rows[index.row()],
            column.attr,
            value,
            self.field_id,
            column.header.lower(),
        )
        return True


# -- cell editors, by column kind ----------------------------------------------------------------
def _text_editor(view: RowTableView, column: Column, parent: QWidget, row: Any) -> QWidget:
    return UndoAwareLineEdit(parent)


def _date_editor(view: RowTableView, column: Column, parent: QWidget, row: Any) -> QWidget:
    doc = view.doc
    return DateLineEdit(doc.protocol.calendar(), doc.base_date, parent)


def _combo(parent: QWidget, items: list[tuple[str, Any]]) -> QComboBox:
    combo = ValueCombo(parent)
    for label, value in items:
        combo.addItem(label, value)
    return combo


def _vocab_editor(view: RowTableView, column: Column, parent: QWidget, row: Any) -> QWidget:
    items = [(NOT_RECORDED, None)] if column.optional else []
    return _combo(parent, items + [(m.label, m) for m in column.vocab])


def _options_editor(view: RowTableView, column: Column, parent: QWidget, row: Any) -> QWidget:
    assert column.options is not None
    return _combo(parent, column.options(view.doc, row))


CELL_EDITORS: dict[str, Callable[[RowTableView, Column, QWidget, Any], QWidget]] = {
    "text": _text_editor,
    "date": _date_editor,
    "vocab": _vocab_editor,
    "options": _options_editor,
}


class ColumnDelegate(QStyledItemDelegate):
    def __init__(self, view: RowTableView) -> None:
        super().__init__(view)
        self.view = view

    def _column(self, index: QModelIndex | QPersistentModelIndex) -> Column:
        return self.view.model_.columns[index.column()]

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        column = self._column(index)
        editor = CELL_EDITORS[column.kind](self.view, column, parent, index.data(_ROW))
        editor.setAccessibleName(column.header)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, DateLineEdit):
            editor.setText(format_date(value))
        elif isinstance(editor, UndoAwareLineEdit):
            editor.setText(value or "")

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        elif isinstance(editor, DateLineEdit):
            try:
                model.setData(index, editor.value())
            except ValueError as exc:
                self.view.problem.emit(str(exc))
        elif isinstance(editor, UndoAwareLineEdit):
            model.setData(index, editor.text())

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        """Enter stores the cell and moves on to the next editable cell of the row."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and isinstance(editor, QWidget)
        ):
            self.commitData.emit(editor)
            last = self.view.currentIndex().column() >= self.view.last_editable_column()
            hint = (
                QAbstractItemDelegate.EndEditHint.NoHint
                if last
                else QAbstractItemDelegate.EndEditHint.EditNextItem
            )
            self.closeEditor.emit(editor, hint)
            return True
        return super().eventFilter(editor, event)


class RowTableView(QTableView):
    """A table that sizes itself to its rows and says what to do when it is empty."""

    problem = Signal(str)

    def __init__(
        self,
        doc: MeetingDocument,
        model: RowTableModel,
        empty_text: str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.doc, self.model_, self.empty_text = doc, model, empty_text
        self.setModel(model)
        self.setItemDelegate(ColumnDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows and Enter move within
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        self.size_columns()
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.dataChanged):
            signal.connect(self.updateGeometry)

    def size_columns(self) -> None:
        """Column widths in characters, so they follow the text size."""
        header = self.horizontalHeader()
        char = self.fontMetrics().averageCharWidth()
        default = {"date": 16, "vocab": 18, "options": 18, "bool": 9}
        for i, column in enumerate(self.model_.columns):
            stretch = QHeaderView.ResizeMode.Stretch
            header.setSectionResizeMode(
                i, stretch if column.stretch else QHeaderView.ResizeMode.Interactive
            )
            if not column.stretch:
                chars = column.width or default.get(column.kind, 14)
                self.setColumnWidth(
                    i, max(chars * char, self.fontMetrics().horizontalAdvance(column.header) + 24)
                )

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.size_columns()

    def last_editable_column(self) -> int:
        editable = [i for i, c in enumerate(self.model_.columns) if c.kind != "readonly"]
        return editable[-1] if editable else 0

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        rows = self.model_.rowCount()
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(rows)) if rows else 0
        height += max(0, 2 - rows) * (self.fontMetrics().lineSpacing() + 12)
        if self.horizontalScrollBar().isVisible():
            height += self.horizontalScrollBar().height()
        hint.setHeight(height + 2)
        return hint

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if self.model_.rowCount() == 0 and self.empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(self.palette().ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(8, 0, -8, 0),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.empty_text,
            )
            painter.end()


class TableEditor(FieldEditor):
    """A collection field: a table, an Add button and a Remove button."""

    label_mode = "above"
    columns: list[Column] = []
    row_label = "row"
    empty_text = ""
    add_text = "Add"
    wrap = True  # long cells wrap onto more lines (False: one line each, full text in a tooltip)

    def __init__(self, doc: MeetingDocument, field: FieldDef, parent: QWidget | None = None):
        super().__init__(doc, field, parent)
        self.model = RowTableModel(
            doc,
            self.collection(),
            self.make_columns(),
            field_id=field.id,
            also_watch=self.also_watch(),
            parent=self,
        )
        self.view = RowTableView(doc, self.model, self.empty_text)
        self.view.setAccessibleName(field.label)
        self.view.setWordWrap(self.wrap)
        self.add_button = QPushButton(self.add_text)
        self.add_button.setAccessibleName(self.add_text)
        self.add_button.setToolTip(f"{self.add_text} (Insert or Ctrl+Enter in the table)")
        self.remove_button = QPushButton(f"Remove {self.row_label}")
        self.remove_button.setAccessibleName(f"Remove the selected {self.row_label}")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_current)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.build_top()
        self.layout_.addWidget(self.view)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.layout_.addLayout(buttons)
        for keys in (
            QKeySequence(Qt.Key.Key_Insert),
            QKeySequence("Ctrl+Return"),
            QKeySequence("Ctrl+Enter"),
        ):
            QShortcut(
                keys, self.view, self.add_row, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
        QShortcut(
            QKeySequence("Ctrl+Delete"),
            self.view,
            self.remove_current,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.setFocusProxy(self.view)

    # hooks for subclasses
    def collection(self) -> str:
        return self.field.id

    def make_columns(self) -> list[Column]:
        return list(self.columns)

    def also_watch(self) -> tuple[str, ...]:
        return ()

    def build_top(self) -> None:
        """Add widgets above the table (quick entry, banners)."""

    def new_row(self) -> Any:
        raise NotImplementedError

    # actions
    def add_row(self, obj: Any = None) -> int:
        if self.doc.locked:
            return -1
        row = obj if obj is not None else self.new_row()
        self.doc.push(InsertRow(self.doc, self.collection(), row, self.row_label))
        index = len(self.model.rows) - 1
        if obj is None:
            self.edit_cell(index, self.first_editable())
        return index

    def first_editable(self) -> int:
        return next(
            (i for i, c in enumerate(self.model.columns) if c.kind not in ("readonly", "bool")), 0
        )

    def edit_cell(self, row: int, column: int) -> None:
        index = self.model.index(row, column)
        self.view.setFocus()
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        if self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            self.view.edit(index)

    def remove_current(self) -> None:
        index = self.view.currentIndex()
        if self.doc.locked or not index.isValid():
            return
        self.doc.push(
            RemoveRow(self.doc, self.collection(), self.model.rows[index.row()], self.row_label)
        )

    def column_for(self, code: str) -> int:
        tail = code.rsplit(".", 1)[-1]
        for i, column in enumerate(self.model.columns):
            if code in column.fixes or column.attr == tail:
                return i
        return self.first_editable()

    def focus_item(self, item: int | None, code: str = "") -> None:
        if item is None or not 0 <= item < len(self.model.rows):
            self.view.setFocus()
            if self.model.rows:
                self.view.setCurrentIndex(self.model.index(0, self.first_editable()))
            else:
                self.add_button.setFocus()
            return
        self.edit_cell(item, self.column_for(code))

    def show_findings(self, findings: list[Any]) -> None:
        rows: dict[int, list[tuple[str, str]]] = {}
        for f in findings:
            if f.item is not None:
                rows.setdefault(f.item, []).append((f.severity.value, f.message))
        self.model.set_findings(rows)

    def set_read_only(self, read_only: bool) -> None:
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)
