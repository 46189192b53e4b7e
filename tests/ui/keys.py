"""Driving the window as a keyboard user does: keys go to whatever has the focus."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


class Keyboard:
    """Counts the keys pressed beyond the typed text."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.presses = 0

    def focus(self) -> QWidget:
        if QApplication.focusWidget() is None:  # a focus move Qt has posted, on a busy machine
            self.qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def key(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
        self.presses += 1
        self.qtbot.keyClick(self.focus(), key, modifiers)
        QApplication.processEvents()
        QApplication.processEvents()  # a focus move Qt posts (a table cell left by Tab)

    def type(self, text: str) -> None:
        """Typed text (not counted as keystrokes beyond the text)."""
        self.qtbot.keyClicks(self.focus(), text)
        QApplication.processEvents()

    def letters(self, text: str) -> None:
        """Letters that choose something (counted)."""
        self.presses += len(text)
        self.qtbot.keyClicks(self.focus(), text)
        QApplication.processEvents()

    def tab(self, times: int = 1) -> None:
        for _ in range(times):
            self.key(Qt.Key.Key_Tab)

    def enter(self) -> None:
        self.key(Qt.Key.Key_Return)

    def tab_to(self, target: QWidget, limit: int = 150) -> int:
        """Tab forward until *target* has the focus; how many Tabs (fails if never)."""
        for n in range(limit):
            if self.focus() is target or target.isAncestorOf(self.focus()):
                return n
            self.key(Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached {target!r} (stuck at {self.focus()!r})")


def activate(qtbot: Any, win: QWidget) -> None:
    win.activateWindow()
    win.raise_()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
