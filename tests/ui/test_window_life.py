"""The window lives through a whole day: no reference to ``None`` is lost on its hot paths.

Some PySide6 releases drop a reference to ``None`` on every call that returns nothing; on Python
3.11 (where ``None`` is not immortal) the interpreter aborts with ``none_dealloc`` once the count
reaches zero, after minutes of real use. These tests fail on such a release.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt

from s47desk.ui import clock as clock_module
from tests.ui.conftest import editor, meeting_id, saved

# A count that only wobbles (caches, interned objects) stays within a few dozen; a leaking
# release loses one per call, thousands here.
TOLERANCE = 100


def test_hot_paths_keep_their_references_to_none(qtbot, window):
    window.open_meeting(meeting_id(window, "initial"))
    view = window.view
    reason = editor(window, "meeting.reason")
    clock = view.clock
    before = sys.getrefcount(None)
    for i in range(500):
        clock.ticked.emit()  # what the clock timer does every second: header and agenda
        view.navigator.update_times(clock.per_step)
        window.update_title()
        window.doc.recheck()
        if i % 50 == 0:
            qtbot.keyClicks(reason.edit, "x")
            saved(qtbot, window)
    assert sys.getrefcount(None) - before > -TOLERANCE


def test_soak_the_clock_ticks_and_people_type_for_simulated_minutes(qtbot, window, monkeypatch):
    """Ten simulated meeting-minutes (one clock tick per simulated second) with typing and
    autosave pauses in between, as a minute-taker types while the chair talks."""
    monkeypatch.setattr(clock_module, "TICK_MS", 5)
    window.open_meeting(meeting_id(window, "review"))
    view = window.view
    qtbot.keyClick(
        window,
        Qt.Key.Key_T,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: view.clock.running, timeout=1000)
    reason = editor(window, "meeting.reason")
    reason.edit.setFocus()
    before = sys.getrefcount(None)
    ticks_before = view.clock.ticks
    for sentence in range(20):
        qtbot.keyClicks(reason.edit, f" Sentence {sentence} as the chair dictates it.")
        qtbot.wait(150)  # the clock keeps ticking while the autosave timer runs out
    saved(qtbot, window)
    assert view.clock.ticks - ticks_before >= 300  # ticks were really delivered meanwhile
    assert sys.getrefcount(None) - before > -TOLERANCE
    assert view.clock.running
