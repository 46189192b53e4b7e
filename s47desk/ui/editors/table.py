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
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from s47desk.fields import FieldDef
from s47desk.ui.date_field import widest_date
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors.base import FieldEditor, local_shortcut
from s47desk.ui.editors.table_delegate import ColumnDelegate
from s47desk.ui.editors.table_model import Column, Options, RowTableModel
from s47desk.ui.flow import button_row
from s47desk.ui.undo import InsertRow, RemoveRow

__all__ = ["Column", "ColumnDelegate", "Options", "RowTableModel", "RowTableView", "TableEditor"]


LEAST_NEEDED = ("email", "organisation", "withhold_note", "reference", "gender", "status")


class WrapHeader(QHeaderView):
    """Column headings that wrap onto a second line rather than being cut off."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        )
        self.setSectionsClickable(False)

    def sectionSizeFromContents(self, logical: int) -> QSize:
        hint = super().sectionSizeFromContents(logical)
        model = self.model()
        if model is None:
            return hint
        text = str(model.headerData(logical, self.orientation()) or "")
        width = max(self.sectionSize(logical) - 12, 20)
        rect = self.fontMetrics().boundingRect(
            0, 0, width, 10_000, int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(hint.width(), max(hint.height(), rect.height() + 10))


class RowTableView(QTableView):
    """A table that sizes itself to its rows and says what to do when it is empty.

    Its columns always fit its width (long cells wrap instead of being cut short), so there is
    never a sideways scroll that hides whose row it is.
    """

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
        self.setHorizontalHeader(WrapHeader(self))
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
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        self._needed = tuple(c.needed(model.rows) for c in model.columns)
        self.size_columns()
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.dataChanged):
            signal.connect(self.updateGeometry)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._columns_needed)

    def natural_widths(self) -> list[int]:
        """Each column's width in characters, so they follow the text size."""
        char = self.fontMetrics().averageCharWidth()
        default = {"date": 16, "vocab": 18, "options": 18, "bool": 9}
        widths = []
        for column in self.model_.columns:
            chars = column.width or (30 if column.stretch else default.get(column.kind, 14))
            if column.kind == "date":  # a whole date, never "Wed 2…"
                widths.append(max(chars * char, self.date_width()))
            else:
                widths.append(chars * char)
        return widths

    def date_width(self, lines: int = 1) -> int:
        """Room for the longest date a cell shows ("Wed 30 September 2026") and its margins;
        with *lines* = 2, for the date wrapped once at a space."""
        return widest_date(self, lines) + 2 * self.fontMetrics().averageCharWidth()

    def header_floor(self, column: Column) -> int:
        """The narrowest a column may be: its heading's longest word whole (headings wrap)."""
        fm = self.horizontalHeader().fontMetrics()
        words = column.header.replace("/", "/ ").split()
        longest = max((fm.horizontalAdvance(w) for w in words), default=0)
        return max(4 * self.fontMetrics().averageCharWidth(), longest + 14)

    def size_columns(self) -> None:
        """Fit the columns to the width: the stretching ones take what is left over; when even
        the natural widths do not fit, every column narrows in proportion and its text wraps.
        A date column keeps room for a whole date on one line, or, when the table is too
        narrow even for that, on two ("Wed 30" over "September 2026"): never a cut word."""
        header = self.horizontalHeader()
        avail = self.viewport().width() or self.width()
        natural = self.natural_widths()
        columns = self.model_.columns
        if not natural:
            return
        char = self.fontMetrics().averageCharWidth()
        dates = [i for i, c in enumerate(columns) if c.kind == "date"]
        floor = [self.header_floor(c) for c in columns]  # a heading's longest word stays whole
        narrowest = [
            self.date_width(2) if i in dates else max(10 * char, floor[i], natural[i] * 7 // 10)
            for i in range(len(columns))
        ]
        # Columns no row needs yet (a reason not present while everyone is) are left out as
        # soon as the natural widths do not fit, so the others need not wrap mid-word; when
        # even the narrowest widths do not fit, the least needed (contact details, notes) go
        # too, until the window is wider: who, which agency, what and when stay.
        for i, _column in enumerate(columns):
            self.setColumnHidden(i, False)
        hidden: set[int] = set()
        rows = self.model_.rows

        def fits(widths: list[int]) -> bool:
            return sum(widths[i] for i in range(len(columns)) if i not in hidden) <= avail

        for i in [i for i, c in enumerate(columns) if not c.needed(rows)]:
            if fits(natural):
                break
            hidden.add(i)
        for attr in LEAST_NEEDED:
            if fits(narrowest):
                break
            hidden |= {i for i, c in enumerate(columns) if c.attr == attr}
        for i in hidden:
            self.setColumnHidden(i, True)
            natural[i] = 0
        shown_dates = [i for i in dates if i not in hidden]
        total = sum(natural)
        if total <= avail:
            extra = avail - total
            stretch = [i for i, c in enumerate(columns) if c.stretch] or [len(columns) - 1]
            widths = list(natural)
            for i in stretch:
                widths[i] += extra // len(stretch)
        else:
            rest = [i for i in range(len(columns)) if i not in hidden and i not in dates]
            one_line = self.date_width()
            others = sum(floor[i] for i in rest)
            date_w = (
                one_line if len(shown_dates) * one_line + others <= avail else self.date_width(2)
            )
            if len(shown_dates) * date_w + others > avail:  # too narrow for whole headings
                floor = [4 * char] * len(columns)
            fixed = {i: date_w for i in shown_dates}
            fixed.update({i: 0 for i in hidden})
            room = max(avail - sum(fixed.values()), len(rest) * 4 * char)
            share = sum(natural[i] for i in rest) or 1
            widths = [fixed.get(i, int(natural[i] * room / share)) for i in range(len(columns))]
            widths = [0 if i in hidden else max(w, floor[i]) for i, w in enumerate(widths)]
            over = sum(widths) - avail
            while over > 0 and rest:  # the widest other columns give way; never a date's
                big = max(rest, key=lambda i: widths[i] - floor[i])
                if widths[big] <= floor[big]:
                    break
                give = min(over, widths[big] - floor[big])
                widths[big] -= give
                over -= give
        for i, width in enumerate(widths):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(i, width)
        self.resizeRowsToContents()
        self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.size_columns()

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.size_columns()

    def dataChanged(
        self,
        top_left: QModelIndex | QPersistentModelIndex,
        bottom_right: QModelIndex | QPersistentModelIndex,
        roles: Any = (),
    ) -> None:
        super().dataChanged(top_left, bottom_right, roles)
        self._columns_needed()
        self.resizeRowsToContents()

    def _columns_needed(self) -> None:
        """A column no row needed is needed now (a child's role set to unborn): fit again."""
        needed = tuple(c.needed(self.model_.rows) for c in self.model_.columns)
        if needed != self._needed:
            self._needed = needed
            self.size_columns()

    def last_editable_column(self) -> int:
        editable = [
            i
            for i, c in enumerate(self.model_.columns)
            if c.kind != "readonly" and not self.isColumnHidden(i)
        ]
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
        hint = self.sizeHint()
        hint.setWidth(24 * self.fontMetrics().averageCharWidth())  # the columns fit any width
        return hint

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
        self.layout_.addWidget(button_row(self.add_button, self.remove_button))
        for keys in (
            QKeySequence(Qt.Key.Key_Insert),
            QKeySequence("Ctrl+Return"),
            QKeySequence("Ctrl+Enter"),
        ):
            local_shortcut(keys, self.view, self.add_row)
        local_shortcut(QKeySequence("Ctrl+Delete"), self.view, self.remove_current)
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

    def describe_row(self, row: int) -> str:
        """A row in words, to say which one was removed ("action 2: Visit Amy at school")."""
        obj = self.model.rows[row]
        texts = [c.text(obj) for c in self.model.columns if c.kind in ("text", "readonly")]
        first = next((t for t in texts if t.strip()), "")
        if len(first) > 60:
            first = first[:57].rstrip() + "…"
        return f"{self.row_label} {row + 1}" + (f": {first}" if first else " (empty)")

    def remove_current(self) -> None:
        """Remove the selected row; say which (with Undo), and keep the keyboard in the table
        on the row that took its place, so a second key press never removes another."""
        index = self.view.currentIndex()
        if self.doc.locked or not index.isValid():
            return
        row, column = index.row(), index.column()
        what = self.describe_row(row)
        self.doc.push(RemoveRow(self.doc, self.collection(), self.model.rows[row], self.row_label))
        if self.model.rows:
            self.view.setFocus()
            self.view.setCurrentIndex(self.model.index(min(row, len(self.model.rows) - 1), column))
        else:
            self.add_button.setFocus()
        self.removed.emit(what)

    def top_chain(self) -> list[QWidget]:
        """The widgets above the table (quick entry), in reading order."""
        return []

    def tab_chain(self) -> list[QWidget]:
        return [*self.top_chain(), self.view, self.add_button, self.remove_button]

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
