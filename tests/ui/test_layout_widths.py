"""Widths between half a laptop and a whole one, and a laptop at 150% text (a 1366 screen at
QT_SCALE_FACTOR=1.5 is 911 logical pixels): the window chooses panels beside or tabs so that
nothing on any step is clipped, elided or off the window, whichever it chooses."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from s47desk.ui.theme import set_text_scale
from tests.ui.conftest import meeting_id
from tests.ui.test_layout import drawn_problems, settle


@pytest.mark.parametrize(
    ("width", "scale"),
    [(800, 1.0), (911, 1.0), (1024, 1.0), (1180, 1.0), (1366, 1.5)],
    ids=["800", "911", "1024", "1180", "1366-150"],
)
def test_every_step_fits_at_widths_between(qtbot, window, width, scale):
    app = QApplication.instance()
    set_text_scale(app, scale)
    try:
        settle(window, width, 768)
        for form in ("exploitation", "initial"):
            window.open_meeting(meeting_id(window, form))
            for index, page in enumerate(window.view.pages):
                window.view.show_step(index)
                settle(window, width, 768)
                assert window.width() == width
                problems = drawn_problems(window)
                assert not problems, (width, scale, window.compact, form, page.step.id, problems)
    finally:
        set_text_scale(app, 1.0)


def test_each_panel_fits_when_raised_after_the_window_was_compact(qtbot, window):
    """Narrowed beside a call, then widened again: the panels go back into their tabbed dock
    and each, brought to the front by its tab, is laid out for the dock's width."""
    window.open_meeting(meeting_id(window, "exploitation"))
    settle(window, 683, 768)
    assert window.compact
    settle(window, 1366, 768)
    assert not window.compact
    for dock in (window.readiness_dock, window.deadlines_dock, window.list_dock):
        dock.raise_()
        settle(window, 1366, 768)
        assert not dock.visibleRegion().isEmpty()
        assert not drawn_problems(window), dock.objectName()


def test_the_keyboard_keeps_its_place_when_the_window_widens_or_narrows(qtbot, window):
    """Started beside a call (compact: the step choice has the focus), then widened: the step
    list has it, and Down goes to the next step; narrowed again, the step choice has it."""
    from PySide6.QtCore import Qt

    from tests.ui.keys import activate

    settle(window, 683, 768)
    window.open_meeting(meeting_id(window, "exploitation"))
    activate(qtbot, window)
    assert QApplication.focusWidget() is window.view.step_combo
    settle(window, 1366, 768)
    assert QApplication.focusWidget() is window.view.navigator
    qtbot.keyClick(window.view.navigator, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.view.stack.currentIndex() == 1)
    settle(window, 683, 768)
    assert QApplication.focusWidget() is window.view.step_combo


def test_the_panels_tabs_read_whole_at_a_laptop_width(qtbot, window):
    """Meetings, Readiness (with its count) and Deadlines side by side, no word cut."""
    from PySide6.QtWidgets import QTabBar

    settle(window, 1366, 768)
    window.open_meeting(meeting_id(window, "exploitation"))
    settle(window, 1366, 768)
    bars = [b for b in window.findChildren(QTabBar) if b.isVisible() and b.count() == 3]
    assert bars, "the three panels share one tabbed dock"
    for bar in bars:
        for index in range(bar.count()):
            text = bar.tabText(index)
            assert bar.fontMetrics().horizontalAdvance(text) <= bar.tabRect(index).width(), text
            assert bar.tabRect(index).right() <= bar.width(), text


def test_the_meeting_list_shows_whole_names_when_wide_and_never_scrolls_sideways(qtbot, window):
    """Wide, every column and the child's whole column; narrow, the child and the status; with
    enough rows for a vertical scroll bar, still nothing to scroll sideways."""
    from s47desk.ui.meeting_list import COLUMNS, MeetingList

    listed = MeetingList(window.app.forms, window.app.today())
    qtbot.addWidget(listed)
    listed.set_rows(window.meeting_list.rows * 40, window.app.today())
    listed.resize(1400, 300)
    listed.show()
    qtbot.waitExposed(listed)
    view = listed.view
    QApplication.processEvents()
    assert view.verticalScrollBar().isVisible()
    assert all(not view.isColumnHidden(i) for i in range(len(COLUMNS)))
    average = view.fontMetrics().averageCharWidth()
    assert view.columnWidth(0) >= COLUMNS[0].width * average
    for width in range(240, 1400, 37):
        listed.resize(width, 300)
        QApplication.processEvents()
        assert not view.horizontalScrollBar().isVisible(), width
        assert not view.isColumnHidden(0)
    listed.resize(262, 300)
    QApplication.processEvents()
    assert not view.isColumnHidden(2), "the status beside the child"


def test_a_laptop_attendance_table_leaves_out_what_no_row_needs(qtbot, window):
    """Everyone present: no "Reason not present" or "Escalation" column takes room from the
    names and roles, which then wrap at spaces rather than mid-word."""
    from s47desk.ui.editors.table import RowTableView

    settle(window, 1366, 768)
    window.open_meeting(meeting_id(window, "exploitation"))
    window.view.show_step(window.view.step_index("attendance"))
    settle(window, 1366, 768)
    table = next(
        t
        for t in window.view.current_page().widget().findChildren(RowTableView)
        if t.accessibleName() == "Attendance"
    )
    assert all(not a.absent for a in window.doc.meeting.attendees)
    headers = {
        table.model_.columns[i].header: table.isColumnHidden(i)
        for i in range(len(table.model_.columns))
    }
    assert headers["Reason not present"] and headers["Escalation"]
    assert not headers["Name"] and not headers["Role"] and not headers["Agency"]
