"""Cell editors and the delegate of the row tables, built for the keyboard.

Typing starts an edit; Enter stores the cell and moves to the next editable one. Each column
kind (text, date, vocabulary, options) has its editor.
"""

# ruff: noqa: N802  (Qt's method names are camelCase)

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from s47desk.ui.children_choice import ChildrenCellEditor
from s47desk.ui.combo import ValueCombo
from s47desk.ui.date_field import DateLineEdit, format_date
from s47desk.ui.editors.scalar import NOT_RECORDED, UndoAwareLineEdit
from s47desk.ui.editors.table_model import ROW_ROLE, Column

if TYPE_CHECKING:
    from s47desk.ui.editors.table import RowTableView


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


def _children_editor(view: RowTableView, column: Column, parent: QWidget, row: Any) -> QWidget:
    editor = ChildrenCellEditor(column.header, parent)
    editor.set_children(view.doc.meeting.children)
    return editor


CELL_EDITORS: dict[str, Callable[[RowTableView, Column, QWidget, Any], QWidget]] = {
    "text": _text_editor,
    "date": _date_editor,
    "vocab": _vocab_editor,
    "options": _options_editor,
    "children": _children_editor,
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
        editor = CELL_EDITORS[column.kind](self.view, column, parent, index.data(ROW_ROLE))
        editor.setAccessibleName(column.header)
        if isinstance(editor, ChildrenCellEditor):
            editor.finished.connect(
                lambda done, by_key, e=editor: self._children_chosen(e, done, by_key)
            )
        return editor

    def _children_chosen(self, editor: ChildrenCellEditor, done: bool, by_key: bool) -> None:
        """The children's list closed: Enter stores the cell and moves on to the next one
        (as Enter does in every cell); Escape leaves the cell as it was. Closed by a click
        elsewhere, it stores the cell and goes no further: the keyboard is where the person
        clicked (or, if the click took no focus, back on the cell)."""
        view = self.view
        if view.indexWidget(view.currentIndex()) is not editor:
            return  # already stored and closed: the focus went elsewhere first
        if not done:  # (the editor closes before the view takes the focus: no commit then)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
        elif not by_key:
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            return
        else:
            self.commitData.emit(editor)
            last = view.currentIndex().column() >= view.last_editable_column()
            hint = (
                QAbstractItemDelegate.EndEditHint.NoHint
                if last
                else QAbstractItemDelegate.EndEditHint.EditNextItem
            )
            self.closeEditor.emit(editor, hint)
        if view.indexWidget(view.currentIndex()) is None and not view.hasFocus():
            view.setFocus(Qt.FocusReason.PopupFocusReason)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, ChildrenCellEditor):
            editor.set_uids(value or [])
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, DateLineEdit):
            editor.setText(format_date(value))
        elif isinstance(editor, UndoAwareLineEdit):
            editor.setText(value or "")

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, ChildrenCellEditor):
            model.setData(index, editor.uids())
        elif isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        elif isinstance(editor, DateLineEdit):
            try:
                model.setData(index, editor.value())
            except ValueError as exc:
                self.view.problem.emit(str(exc))
        elif isinstance(editor, UndoAwareLineEdit):
            model.setData(index, editor.text())

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        """Enter stores the cell and moves on to the next editable cell of the row; Tab and
        Shift+Tab store it and leave the table (never a trap for the keyboard)."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and isinstance(editor, QWidget)
        ):
            forward = event.key() == Qt.Key.Key_Tab and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            view = self.view
            view.setFocus(Qt.FocusReason.OtherFocusReason)
            QTimer.singleShot(0, view, lambda: view.focusNextPrevChild(forward))
            return True
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
