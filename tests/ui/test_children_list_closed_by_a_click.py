"""The children's list closed by a click elsewhere: what is ticked is stored, and the keyboard
is not moved on (to the next cell) nor taken back (to the button). By mouse and keyboard as
a person does, reading back what is stored."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from tests.ui.conftest import editor, meeting_id, open_step, saved
from tests.ui.keys import CTRL, SHIFT, Keyboard, activate
from tests.ui.test_guidance_in_the_window import stored

LEFT = Qt.MouseButton.LeftButton
NO_KEYS = Qt.KeyboardModifier.NoModifier


class PassedOn(QObject):
    """Passes the click that closed the popup on to *target*, as a platform that replays it
    does (Qt's ReplayMousePressOutsidePopup): once the popup has gone, and before the list
    has said it closed. The press takes the focus as a click does (Qt gives it for the
    mouse, then delivers the press)."""

    def __init__(self, target: QWidget, spot: QPoint) -> None:
        super().__init__()
        self.target, self.spot = target, spot

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Hide:  # (before the popup's hideEvent queues its done)
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.press)
        return False

    def press(self) -> None:
        self.target.setFocus(Qt.FocusReason.MouseFocusReason)
        press = QMouseEvent(
            QEvent.Type.MouseButtonPress,
            QPointF(self.spot),
            QPointF(self.target.mapToGlobal(self.spot)),
            LEFT,
            LEFT,
            NO_KEYS,
        )
        QApplication.sendEvent(self.target, press)


def click_beside_the_popup(qtbot: Any, win: QWidget, target: QWidget, passed_on: bool) -> None:
    """A click on *target* where the open popup does not cover it, through the window system
    (as the mouse does: the popup sees it first, and closes). Some platforms then pass the
    click on to what is under the mouse; the offscreen one does not, so with *passed_on* the
    click reaches *target* as it would there, before the list has said it closed."""
    popup = QApplication.activePopupWidget()
    assert popup is not None, "the children's list is not open"
    covered = popup.frameGeometry()
    rect = target.rect()
    spots = [
        QPoint(x, y)
        for y in (rect.center().y(), rect.top() + 4, rect.bottom() - 4)
        for x in (rect.left() + 12, rect.center().x(), rect.right() - 12)
    ]
    spot = next(p for p in spots if not covered.contains(target.mapToGlobal(p)))
    passer = PassedOn(target, spot)
    if passed_on:
        popup.installEventFilter(passer)
    qtbot.mousePress(win.windowHandle(), LEFT, NO_KEYS, target.mapTo(win, spot))
    assert QApplication.activePopupWidget() is None  # closed by the press
    if passed_on:
        qtbot.mouseRelease(target, LEFT, NO_KEYS, spot)
    else:
        qtbot.mouseRelease(win.windowHandle(), LEFT, NO_KEYS, target.mapTo(win, spot))
    for _ in range(3):  # the list reports its choice once it has closed
        QApplication.processEvents()


def open_the_children_list(qtbot: Any, win: Any) -> tuple[Any, Keyboard, Any]:
    """The review demo with one action, its Children cell opened by keyboard (Tab to the
    plan, Right to the cell, F2): the action plan's editor, the keyboard, and Maya."""
    from s47desk.models import Action
    from s47desk.ui.undo import InsertRow

    win.open_meeting(meeting_id(win, "review"))
    activate(qtbot, win)
    doc = win.doc
    maya, _leo = doc.meeting.children
    doc.push(InsertRow(doc, "actions", Action(text="Visit Maya", owner="Tom"), "action"))
    actions = editor(win, "actions")
    open_step(win, "actions")
    view = actions.view
    column = next(i for i, c in enumerate(actions.model.columns) if c.attr == "for_children")
    keys = Keyboard(qtbot)
    win.view.focus_agenda()
    keys.tab_to(view)
    while view.currentIndex().column() != column:
        keys.key(Qt.Key.Key_Right)
    keys.key(Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: keys.focus().accessibleName() == "Children this action is for")
    return actions, keys, maya


@pytest.mark.parametrize("passed_on", [False, True], ids=["click-eaten", "click-passed-on"])
def test_a_click_elsewhere_stores_the_children_cell_and_does_not_move_on(
    qtbot, window, db_url, passed_on
):
    """Review demo, the action plan: F2 on an action's children opens the list; Space ticks
    Maya; a click into the contingency plan closes the list and stores Maya, and goes no
    further: the next cell (the kind) is not opened. Where the platform passes the click on,
    the contingency plan has the keyboard; where it does not, the keyboard is back on the
    cell, and a second click goes into the contingency plan. Typing goes where clicked."""
    win = window
    actions, keys, maya = open_the_children_list(qtbot, win)
    view = actions.view
    column = view.currentIndex().column()  # the Children cell, being edited
    doc, mid = win.doc, win.doc.meeting_id
    page = win.view.current_page()
    [text_box] = page.editor("meeting.contingency").findChildren(QPlainTextEdit)
    keys.key(Qt.Key.Key_Space)  # Maya (the list starts on the first child)
    click_beside_the_popup(qtbot, win, text_box.viewport(), passed_on)
    qtbot.waitUntil(lambda: actions.model.rows[0].for_children == [maya.uid])
    assert actions.model.index(0, column).data() == "Maya Thompson"
    qtbot.wait(50)  # time for a next cell to open, if one were going to
    assert view.state() != view.State.EditingState  # the kind's list is not open
    assert view.currentIndex().column() == column
    assert keys.focus().accessibleName() != "Kind"
    if passed_on:
        assert text_box.hasFocus()  # where the person clicked
    else:
        assert view.hasFocus()  # back on the cell; the click only closed the list
        qtbot.mouseClick(text_box.viewport(), LEFT)
        assert text_box.hasFocus()
    keys.type("Ring the grandmother.")
    assert "Ring the grandmother." in doc.meeting.contingency
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert next(a for a in meeting.actions if a.text == "Visit Maya").for_children == [maya.uid]
        assert "Ring the grandmother." in meeting.contingency


def test_enter_in_the_children_cell_still_moves_on_to_the_kind(qtbot, window, db_url):
    """Enter stores the ticks and opens the next cell (the kind), as in every cell."""
    win = window
    actions, keys, maya = open_the_children_list(qtbot, win)
    view = actions.view
    column = view.currentIndex().column()  # the Children cell, being edited
    mid = win.doc.meeting_id
    keys.key(Qt.Key.Key_Space)
    keys.enter()
    qtbot.waitUntil(lambda: actions.model.rows[0].for_children == [maya.uid])
    qtbot.waitUntil(lambda: keys.focus().accessibleName() == "Kind")
    assert view.currentIndex().column() == column + 1
    assert view.state() == view.State.EditingState
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert next(a for a in meeting.actions if a.text == "Visit Maya").for_children == [maya.uid]


def test_a_click_elsewhere_leaves_the_quick_bar_s_children_button_for_what_was_clicked(
    qtbot, window, db_url
):
    """The quick-action bar: Space on the children's button opens the list; Down, Space ticks
    Leo; a click back into "What" closes it with Leo chosen, and the keyboard is in "What",
    not back on the button (where the platform passes the click on). Enter and Escape in the
    list still return to the button."""
    win = window
    mid = meeting_id(win, "review")
    win.open_meeting(mid)
    activate(qtbot, win)
    _maya, leo = win.doc.meeting.children
    bar = win.view.quick_action
    keys = Keyboard(qtbot)
    win.view.focus_agenda()
    keys.key(Qt.Key.Key_A, CTRL | SHIFT)
    keys.tab()
    keys.type("See Leo at his grandmother's home")
    keys.tab()
    keys.type("Tom Okafor")
    keys.tab()
    keys.letters("c")  # Children's social care
    keys.tab()
    assert bar.for_children.hasFocus()
    keys.key(Qt.Key.Key_Space)
    assert bar.for_children.popup is not None and bar.for_children.popup.list.hasFocus()
    keys.key(Qt.Key.Key_Escape)  # cancelled: back on the button
    qtbot.waitUntil(lambda: bar.for_children.hasFocus())
    keys.key(Qt.Key.Key_Space)
    keys.key(Qt.Key.Key_Down)
    keys.key(Qt.Key.Key_Space)  # Leo
    click_beside_the_popup(qtbot, win, bar.what, passed_on=True)
    assert bar.for_children.text() == "Leo Thompson ▾"
    assert bar.what.hasFocus()  # where the person clicked
    keys.key(Qt.Key.Key_End)
    keys.type(" after school")
    assert bar.what.text() == "See Leo at his grandmother's home after school"
    keys.tab_to(bar.due.edit)
    keys.type("+3")
    keys.enter()  # added
    action = win.doc.meeting.actions[-1]
    assert action.text == "See Leo at his grandmother's home after school"
    assert action.for_children == [leo.uid]
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert next(
            a for a in meeting.actions if a.text.startswith("See Leo at his grandmother")
        ).for_children == [leo.uid]
