"""A table editor for a meeting's rows (children, attendees, information, dissents, actions).

Columns are declared as data; the model (table_model) is a thin QAbstractTableModel over the ORM
list, every cell edit is an undoable command, and the delegate (table_delegate) is built for the
keyboard: typing starts an edit, Enter stores the cell and moves to the next one, Insert (or
Ctrl+Enter) adds a row. This module holds the view and the editor that put them together.
"""

# ruff: noqa: N802  (Qt's method names are camelCase)

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from s47desk.fields import FieldDef
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors.base import FieldEditor
from s47desk.ui.editors.table_delegate import ColumnDelegate
from s47desk.ui.editors.table_model import Column, Options, RowTableModel
from s47desk.ui.undo import InsertRow, RemoveRow

__all__ = ["Column", "ColumnDelegate", "Options", "RowTableModel", "RowTableView", "TableEditor"]


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
