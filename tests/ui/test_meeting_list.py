"""The meeting list as people use it: sorting by a header, searching, a changed meeting's row,
with the selected meeting kept and the keyboard where it was; and what each cell says."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import QPoint, Qt

from s47desk.ui.meeting_list import COLUMNS, ID, MeetingList
from tests.ui.conftest import meeting_id

CHILD, STATUS, DEADLINE = 0, 2, 3


def _shown(listing: MeetingList, column: int = CHILD) -> list[str]:
    model = listing.view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _selected_id(listing: MeetingList) -> int | None:
    rows = listing.view.selectionModel().selectedRows()
    return rows[0].data(ID) if rows else None


def _click_header(qtbot, listing: MeetingList, column: int) -> None:
    header = listing.view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_a_header_click_sorts_and_the_selected_meeting_stays_selected(qtbot, window):
    listing = window.meeting_list
    listing.view.setFocus()
    qtbot.keyClick(listing.view, Qt.Key.Key_Home)
    qtbot.keyClick(listing.view, Qt.Key.Key_Down)  # the second meeting by next deadline
    chosen = _selected_id(listing)
    assert chosen is not None
    _click_header(qtbot, listing, CHILD)
    names = _shown(listing)
    assert names == sorted(names, key=str.lower)  # A to Z by the child's name
    assert _selected_id(listing) == chosen
    _click_header(qtbot, listing, CHILD)  # again: Z to A
    assert _shown(listing) == sorted(names, key=str.lower, reverse=True)
    assert _selected_id(listing) == chosen
    # the keyboard goes on from the selected meeting, in the order now shown
    row = listing.view.currentIndex().row()
    qtbot.keyClick(listing.view, Qt.Key.Key_Down)
    assert listing.view.currentIndex().row() == row + 1
    assert _selected_id(listing) == listing.view.model().index(row + 1, 0).data(ID)


def test_a_search_keeps_the_selected_meeting_while_it_still_matches(qtbot, window):
    listing = window.meeting_list
    maya = next(r.summary.id for r in listing.rows if r.summary.child == "Maya Thompson")
    listing.select_meeting(maya)
    qtbot.keyClicks(listing.search, "may")
    assert _shown(listing) == ["Maya Thompson", "Maya Thompson"]
    assert _selected_id(listing) == maya
    qtbot.keyClicks(listing.search, "x")  # matches nothing
    assert _shown(listing) == []
    listing.search.clear()
    assert len(_shown(listing)) == 6
    assert _selected_id(listing) == maya  # back in view, still selected
    qtbot.keyClick(listing.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.doc is not None and window.doc.meeting_id == maya)


def test_a_changed_meeting_moves_to_its_place_and_the_row_says_so(qtbot, window):
    listing = window.meeting_list
    _click_header(qtbot, listing, CHILD)
    mid = meeting_id(window, "lado")
    window.open_meeting(mid)
    listed = listing.summary_of(mid)
    assert listed is not None
    listing.update_summary(replace(listed, child="Aaron Zed"))
    assert _shown(listing)[0] == "Aaron Zed"
    assert _selected_id(listing) == mid  # the open meeting's row, selected where it went
    # overdue: the deadline cell in the alert colour with its basis as the tooltip
    due = listed.next_deadline
    assert due is not None
    late = replace(due, due=window.app.today() - timedelta(days=3))
    listing.update_summary(replace(listed, child="Aaron Zed", next_deadline=late))
    index = listing.view.model().index(0, DEADLINE)
    assert index.data().endswith("(overdue)")
    assert index.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert index.data(Qt.ItemDataRole.ToolTipRole) == f"{late.label}: {late.basis}"
    assert listing.view.model().index(0, STATUS).data(Qt.ItemDataRole.ForegroundRole) is None


def test_a_new_meeting_joins_the_list_in_its_place(qtbot, window):
    listing = window.meeting_list
    before = len(_shown(listing))
    mid = meeting_id(window, "lado")
    listed = listing.summary_of(mid)
    assert listed is not None
    listing.update_summary(replace(listed, id=999, child="New Child", reference="NEW-1"))
    assert len(_shown(listing)) == before + 1
    qtbot.keyClicks(listing.search, "new-1")
    assert _shown(listing) == ["New Child"]


def test_the_list_of_many_sorts_and_filters_as_the_few(qtbot, qtmodeltester, window):
    """Two hundred rows made from the demo's: every column sorts both ways as its key says,
    ties keep the order read, and the model tester watches throughout."""
    listing = window.meeting_list
    rows = listing.rows * 40
    listing.set_rows(rows, window.app.today())
    qtmodeltester.check(listing.model)
    for column in range(len(COLUMNS)):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            listing.view.horizontalHeader().setSortIndicator(column, order)
            keys = [COLUMNS[column].key(r.summary) for r in rows]
            expected = sorted(
                range(len(rows)),
                key=keys.__getitem__,
                reverse=order == Qt.SortOrder.DescendingOrder,
            )
            model = listing.view.model()
            assert [model.index(r, 0).data(ID) for r in range(model.rowCount())] == [
                rows[i].summary.id for i in expected
            ]
    qtbot.keyClicks(listing.search, "thompson nb")
    matching = [r for r in rows if "thompson" in r.search and "nb" in r.search]
    assert 0 < len(matching) < len(rows)
    assert len(_shown(listing)) == len(matching)


def test_the_window_reads_its_list_as_the_command_line_does_once_compiled(app):
    """The first read goes through SQLAlchemy and keeps the compiled statements; the next (the
    next start) is sqlite3 alone, with the same rows, and does not mark the open file closed."""
    from sqlalchemy import event

    from s47desk import sqlite_file
    from s47desk.ui.app import load_demo_if_empty
    from s47desk.ui.meeting_list import load_rows

    load_demo_if_empty(app)
    first = load_rows(app.db, app.forms, app.protocol, app.today())
    statements: list[str] = []
    event.listen(app.db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    again = load_rows(app.db, app.forms, app.protocol, app.today())
    assert statements == []  # not through SQLAlchemy
    assert again == first and len(again) == 6
    path = app.db.sqlite_path
    assert path is not None and not sqlite_file.untouched_since_we_closed_it(path)
    one = load_rows(app.db, app.forms, app.protocol, app.today(), ids=[first[0].summary.id])
    assert one == [first[0]] and statements  # one meeting: through SQLAlchemy, as before


def test_an_overdue_cell_takes_the_alert_colour_of_the_palette_in_use(qtbot, window):
    """Switched to dark after light, an overdue deadline is drawn in dark's alert colour
    (light's red on a dark window is not what the palette chose)."""
    from PySide6.QtWidgets import QApplication

    from s47desk.ui.theme import apply_theme, semantic

    listing = window.meeting_list
    listed = listing.summary_of(meeting_id(window, "lado"))
    assert listed is not None and listed.next_deadline is not None
    late = replace(listed.next_deadline, due=window.app.today() - timedelta(days=3))
    listing.update_summary(replace(listed, next_deadline=late))
    model = listing.view.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(ID) == listed.id)
    light = model.index(row, DEADLINE).data(Qt.ItemDataRole.ForegroundRole)
    assert light == semantic().blocker
    app = QApplication.instance()
    try:
        apply_theme(app, dark=True)
        dark = model.index(row, DEADLINE).data(Qt.ItemDataRole.ForegroundRole)
        assert dark == semantic().blocker and dark != light
    finally:
        apply_theme(app, dark=False)
