"""Helpers for the window tests that sign: a meeting ready to sign, and the two-step sign."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.factories import complete_meeting


def ready_meeting(win: Any) -> int:
    """A complete meeting (chaired by Chris Chair) stored through the window's application,
    shown in its meeting list; its id."""
    with win.app.db.transaction() as session:
        meeting = complete_meeting()
        session.add(meeting)
        session.flush()
        meeting_id = int(meeting.id)
    win.refresh_list()
    return meeting_id


def confirm_signing(qtbot: Any, sign: Any) -> None:
    """Press "Sign the record…", wait until "Sign now" may be pressed, press it (keyboard)."""
    assert sign.sign_button.isEnabled(), sign.state.text()
    sign.sign_button.setFocus()
    qtbot.keyClick(sign.sign_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: sign.confirm.isEnabled(), timeout=3000)
    sign.confirm.setFocus()
    qtbot.keyClick(sign.confirm, Qt.Key.Key_Space)
