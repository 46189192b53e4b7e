"""Autosave: an edit reaches the database within a second, seen through a fresh session."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from s47desk.meetings import get_meeting
from s47desk.models import Meeting
from s47desk.storage import open_database
from tests.ui.conftest import editor, meeting_id, saved


def read(db_url: str, mid: int) -> Meeting:
    fresh = open_database(db_url)
    try:
        with fresh.sessions() as session:
            meeting = get_meeting(session, mid)
            session.expunge(meeting)
            return meeting
    finally:
        fresh.close()


def test_typing_is_stored_within_a_second(qtbot, window, db_url):
    mid = meeting_id(window, "pre_birth")
    window.open_meeting(mid)
    reason = editor(window, "meeting.minute_taker")
    reason.edit.setFocus()
    qtbot.keyClicks(reason.edit, "Sam Reid")
    typed_at = time.monotonic()
    qtbot.waitUntil(lambda: not window.doc.autosaver.dirty, timeout=1000)
    latency = time.monotonic() - typed_at
    assert latency < 1.0
    assert read(db_url, mid).minute_taker == "Sam Reid"
    assert "saved" in window.windowTitle()
    assert window.save_label.text().startswith("All changes saved")


def test_undo_and_redo_reach_the_database(qtbot, window, db_url):
    mid = meeting_id(window, "pre_birth")
    window.open_meeting(mid)
    minute_taker = editor(window, "meeting.minute_taker")
    minute_taker.edit.setFocus()
    qtbot.keyClicks(minute_taker.edit, "Jo Bloggs")
    saved(qtbot, window)
    qtbot.keyClick(minute_taker.edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert minute_taker.edit.text() == ""
    saved(qtbot, window)
    assert read(db_url, mid).minute_taker == ""
    window.actions_["redo"].trigger()
    assert minute_taker.edit.text() == "Jo Bloggs"
    saved(qtbot, window)
    assert read(db_url, mid).minute_taker == "Jo Bloggs"
