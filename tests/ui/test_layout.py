"""What is drawn at half a laptop screen (683×768) and a whole one (1366×768) with 200% text:
on every step, no label cut off, no date elided ("Wed 2…"), no control outside the window, no
sideways scrolling; the side panels fold into tabs when the window is narrow."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QDockWidget,
    QLabel,
    QStyle,
    QWidget,
)

from s47desk.models import Action
from s47desk.ui.date_field import DateField, DateLineEdit, widest_date
from s47desk.ui.editors.table import RowTableView
from s47desk.ui.theme import set_text_scale
from s47desk.ui.undo import InsertRow
from tests.ui.conftest import meeting_id


def settle(window, width: int, height: int) -> None:
    for _ in range(3):
        QApplication.processEvents()
        window.resize(width, height)
    QApplication.processEvents()
    QApplication.processEvents()


def inside_scroller(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return True
        parent = parent.parentWidget()
    return False


def drawn_problems(window) -> list[str]:
    problems = []
    frame = window.rect()
    behind_tabs = [d for d in window.findChildren(QDockWidget) if d.visibleRegion().isEmpty()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        if any(dock.isAncestorOf(widget) for dock in behind_tabs):
            continue  # a panel behind its tab is not drawn (Qt lays it out when it is raised)
        top_left = widget.mapTo(window, QPoint(0, 0))
        if isinstance(widget, QLabel) and widget.text().strip() and widget.pixmap().isNull():
            if widget.wordWrap():
                if widget.heightForWidth(widget.width()) > widget.height() + 2:
                    problems.append(f"label cut off below: {widget.text()[:50]!r}")
            elif widget.sizeHint().width() > widget.width() + 2:
                problems.append(f"label cut off: {widget.text()[:50]!r}")
        if isinstance(widget, DateLineEdit) and widget.text():
            room = widget.contentsRect().width() - 6
            if widget.fontMetrics().horizontalAdvance(widget.text()) > room:
                problems.append(f"date elided: {widget.text()!r}")
        if isinstance(widget, RowTableView):
            problems += date_cells_cut(widget)
            columns = range(widget.model().columnCount())
            wide = sum(widget.columnWidth(i) for i in columns if not widget.isColumnHidden(i))
            if wide > widget.viewport().width() + 1:
                problems.append(f"table wider than its frame: {widget.accessibleName()}")
        if widget.focusPolicy() and widget.isEnabled() and widget.focusProxy() is None:
            right = top_left.x() + widget.width()
            if right <= 0:
                continue  # parked by Qt (the hidden docks' tab bar), not drawn
            if top_left.x() < -1 or right > frame.width() + 1:
                problems.append(f"outside the window: {type(widget).__name__} {right}")
            if not inside_scroller(widget) and top_left.y() + widget.height() > frame.height() + 1:
                problems.append(f"below the window: {type(widget).__name__}")
        if isinstance(widget, QAbstractScrollArea) and widget.horizontalScrollBar().isVisible():
            problems.append(f"sideways scrolling: {type(widget).__name__}")
    return problems


def date_cells_cut(table: RowTableView) -> list[str]:
    """A date cell that does not show its whole date: a word wider than the column, or more
    lines than the row has room for."""
    problems = []
    model, fm = table.model(), table.fontMetrics()
    margin = 2 * (
        table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    )
    for column, spec in enumerate(table.model_.columns):
        if spec.kind != "date" or table.isColumnHidden(column):
            continue
        room = table.columnWidth(column) - margin
        for row in range(model.rowCount()):
            text = model.index(row, column).data()
            if not text:
                continue
            drawn = fm.boundingRect(QRect(0, 0, room, 10_000), int(Qt.TextFlag.TextWordWrap), text)
            if drawn.width() > room or drawn.height() > table.rowHeight(row):
                problems.append(f"date cut in a table: {text!r}")
    return problems


@pytest.fixture
def large_text():
    app = QApplication.instance()
    set_text_scale(app, 2.0)
    yield
    set_text_scale(app, 1.0)


@pytest.mark.parametrize("size", [(683, 768), (1366, 768)], ids=["half", "laptop"])
def test_every_step_at_200_percent_text_fits(qtbot, window, large_text, size):
    width, height = size
    settle(window, width, height)
    assert window.width() == width, "the window grew wider than asked"
    assert window.compact  # 200% text at 1366 or less: the panels are tabs
    # lado and missing show the fields that depend on a concern (the LADO, the whereabouts)
    for form in ("exploitation", "initial", "pre_birth", "lado", "missing"):
        window.open_meeting(meeting_id(window, form))
        for index, page in enumerate(window.view.pages):
            window.view.show_step(index)
            settle(window, width, height)
            assert window.width() == width
            problems = drawn_problems(window)
            assert not problems, (form, page.step.id, problems)


def test_a_full_hd_window_at_normal_text_keeps_the_panels_beside(qtbot, window):
    settle(window, 1366, 768)
    assert (not window.compact and window.readiness_dock.isVisible()) or (
        window.readiness_dock.isHidden() and not window.compact
    )
    window.open_meeting(meeting_id(window, "exploitation"))
    for index in range(len(window.view.pages)):
        window.view.show_step(index)
        settle(window, 1366, 768)
        assert not drawn_problems(window), window.view.pages[index].step.id
    settle(window, 683, 768)
    assert window.compact and window.tabs.count() == 4
    assert window.tabs.tabText(1).startswith("Readiness")


def test_the_longest_date_fits_a_date_field_and_a_table_column_at_200_percent(
    qtbot, window, large_text
):
    """Measured, not guessed: "Wed 30 September 2026" is wider than "Mon 23 November 2026".
    A table with room shows it on one line; one too narrow, on two, never a word cut."""
    longest = "Wed 30 September 2026"
    field = DateField(window.app.protocol.calendar(), window.app.today, name="Due")
    qtbot.addWidget(field)
    field.show()
    field.set_date(date(2026, 9, 30))
    QApplication.processEvents()
    assert field.edit.text() == longest
    fm = field.edit.fontMetrics()
    assert widest_date(field.edit) >= fm.horizontalAdvance(longest)
    assert fm.horizontalAdvance(longest) <= field.edit.contentsRect().width() - 6
    window.open_meeting(meeting_id(window, "exploitation"))
    doc = window.doc
    doc.push(InsertRow(doc, "actions", Action(text="Visit", due=date(2026, 9, 30)), "action"))
    window.view.show_step(window.view.step_index("actions"))
    table = window.view.current_page().editor("actions").view
    due = next(i for i, c in enumerate(table.model_.columns) if c.attr == "due")
    for width, lines in ((1366, 1), (683, 2)):
        settle(window, width, 768)
        assert table.model().index(0, due).data() == longest
        assert not date_cells_cut(table)
        assert table.rowHeight(0) >= lines * table.fontMetrics().lineSpacing()
        if lines == 1:
            assert table.columnWidth(due) >= table.fontMetrics().horizontalAdvance(longest)
