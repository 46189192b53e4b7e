"""Removing a child from the table of seeing each child removes that child (not the upper
table's row), by the Remove button or Ctrl+Delete in a cell, says so with Undo, and keeps
the keyboard in that table; Undo brings the child back, as stored."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.ui.conftest import editor, meeting_id, saved
from tests.ui.keys import CTRL, Keyboard, activate
from tests.ui.test_guidance_in_the_window import stored

LEFT = Qt.MouseButton.LeftButton


def _seeing_leo(qtbot: Any, win: Any, keys: Keyboard) -> Any:
    """The children's editor with the keyboard on Leo's row of seeing each child."""
    children = editor(win, "children")
    win.view.focus_agenda()
    keys.tab_to(children.view)
    assert children.view.currentIndex().row() == 0  # Maya, in the upper table
    keys.tab()
    assert children.seen_view.hasFocus()
    keys.key(Qt.Key.Key_Down)
    assert children.seen_view.currentIndex().row() == 1
    assert children.seen_view.currentIndex().data() == "Leo Thompson"
    return children


def test_remove_child_clicked_from_seeing_each_child_removes_that_child(qtbot, window, db_url):
    """Review demo: the keyboard on Leo in "Seeing each child"; a click on "Remove child"
    removes Leo (not Maya, the upper table's row), says so with Undo, and leaves the keyboard
    in the table of seeing each child. Undo brings Leo back, as stored."""
    win = window
    mid = meeting_id(win, "review")
    win.open_meeting(mid)
    activate(qtbot, win)
    keys = Keyboard(qtbot)
    children = _seeing_leo(qtbot, win, keys)
    qtbot.mouseClick(children.remove_button, LEFT)
    assert [c.name for c in win.doc.meeting.children] == ["Maya Thompson"]
    toast = win.view.toast
    assert toast.isVisible() and "Removed child 2: Leo Thompson." in toast.text.text()
    assert children.seen_view.hasFocus()
    assert children.seen_view.currentIndex().data() == "Maya Thompson"
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert [c.name for c in meeting.children] == ["Maya Thompson"]
    qtbot.mouseClick(toast.action, LEFT)  # Undo
    assert [c.name for c in win.doc.meeting.children] == ["Maya Thompson", "Leo Thompson"]
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert [c.name for c in meeting.children] == ["Maya Thompson", "Leo Thompson"]


def test_ctrl_delete_while_typing_in_seeing_each_child_removes_that_child(qtbot, window, db_url):
    """Typing who saw Leo, Ctrl+Delete removes Leo (not Maya): what was typed is stored on
    Leo first, as leaving a cell stores it; Ctrl+Z brings him back, and again takes back
    the typing."""
    win = window
    mid = meeting_id(win, "review")
    win.open_meeting(mid)
    activate(qtbot, win)
    keys = Keyboard(qtbot)
    children = _seeing_leo(qtbot, win, keys)
    seen = children.seen_view
    by = next(i for i, c in enumerate(children.seen_model.columns) if c.attr == "seen_by")
    while seen.currentIndex().column() != by:
        keys.key(Qt.Key.Key_Right)
    maya, leo = win.doc.meeting.children
    seen_by = (maya.seen_by, leo.seen_by)
    keys.letters("T")  # typing starts an edit of who saw Leo
    assert seen.state() == seen.State.EditingState
    keys.key(Qt.Key.Key_Delete, CTRL)
    assert [c.name for c in win.doc.meeting.children] == ["Maya Thompson"]
    assert maya.seen_by == seen_by[0]  # what was being typed went nowhere else
    assert "Removed child 2: Leo Thompson." in win.view.toast.text.text()
    qtbot.waitUntil(lambda: seen.hasFocus())
    assert seen.currentIndex().row() == 0
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert [c.name for c in meeting.children] == ["Maya Thompson"]
    keys.key(Qt.Key.Key_Z, CTRL)  # Leo is back, with what was typed before the removal
    assert [c.name for c in win.doc.meeting.children] == ["Maya Thompson", "Leo Thompson"]
    assert (maya.seen_by, leo.seen_by) == (seen_by[0], "T")
    keys.key(Qt.Key.Key_Z, CTRL)  # and then without it
    assert (maya.seen_by, leo.seen_by) == seen_by
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert [c.name for c in meeting.children] == ["Maya Thompson", "Leo Thompson"]
        assert (meeting.children[0].seen_by, meeting.children[1].seen_by) == seen_by


def test_remove_child_reached_by_tab_from_seeing_each_child_removes_that_child(
    qtbot, window, db_url
):
    """By keyboard: on Leo in "Seeing each child", Tab to "Remove child" and Space removes
    Leo; the keyboard is back in that table, so a second Space removes nothing."""
    win = window
    mid = meeting_id(win, "review")
    win.open_meeting(mid)
    activate(qtbot, win)
    keys = Keyboard(qtbot)
    children = _seeing_leo(qtbot, win, keys)
    keys.tab_to(children.remove_button)
    keys.key(Qt.Key.Key_Space)
    assert [c.name for c in win.doc.meeting.children] == ["Maya Thompson"]
    assert "Removed child 2: Leo Thompson." in win.view.toast.text.text()
    assert children.seen_view.hasFocus()
    keys.key(Qt.Key.Key_Space)
    assert [c.name for c in win.doc.meeting.children] == ["Maya Thompson"]
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert [c.name for c in meeting.children] == ["Maya Thompson"]
