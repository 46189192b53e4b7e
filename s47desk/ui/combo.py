"""A combo box whose item data stay Python objects, and whose type-ahead reads its labels.

Qt turns a ``str`` subclass (every vocabulary member is a StrEnum) into a plain string on the way
through QVariant, so ``currentData()`` would hand back ``"police"`` instead of ``Agency.POLICE``.
This combo keeps the values in a Python list alongside the items.

Typing picks an item as a person reads the list: letters typed in quick succession match the
start of a label, or else the start of any word in it ("safe" finds "Named or designated
safeguarding nurse", not "School nurse"); the same letter again moves to the next match.
"""

from __future__ import annotations

import re
import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget


def _words(label: str) -> list[str]:
    return [w for w in re.split(r"[^\w']+", label.lower()) if w]


def match_label(labels: list[str], typed: str, start: int = 0) -> int:
    """The index of the first label (from *start*, wrapping) *typed* picks, or -1."""
    typed = typed.lower()
    if not typed or not labels:
        return -1
    order = [(start + i) % len(labels) for i in range(len(labels))]
    for i in order:
        if labels[i].lower().startswith(typed):
            return i
    for i in order:
        if any(w.startswith(typed) for w in _words(labels[i])):
            return i
    return -1


class ValueCombo(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[Any] = []
        # As wide as the space allows, never wider than the window because of a long item.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        self._typed = ""
        self._typed_at = 0.0

    def addItem(self, text: str, data: Any = None) -> None:  # type: ignore[override]  # noqa: N802
        self._values.append(data)
        super().addItem(text)

    def clear(self) -> None:
        self._values.clear()
        self._typed = ""
        super().clear()

    def focusInEvent(self, event: Any) -> None:  # noqa: N802
        self._typed = ""  # type-ahead starts afresh in each visit
        super().focusInEvent(event)

    def itemData(self, index: int, role: int = Qt.ItemDataRole.UserRole) -> Any:  # noqa: N802
        return self._values[index] if 0 <= index < len(self._values) else None

    def currentData(self, role: int = Qt.ItemDataRole.UserRole) -> Any:  # noqa: N802
        return self.itemData(self.currentIndex())

    def findData(self, data: Any, *_args: Any) -> int:  # noqa: N802
        for i, value in enumerate(self._values):
            if value is data or (type(value) is type(data) and value == data):
                return i
        return -1

    def labels(self) -> list[str]:
        return [self.itemText(i) for i in range(self.count())]

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text = event.text()
        plain = not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
        if plain and text and text.isprintable() and not (text == " " and not self._typed):
            now = time.monotonic()
            fresh = now - self._typed_at > QApplication.keyboardInputInterval() / 1000
            self._typed = text if fresh else self._typed + text
            self._typed_at = now
            typed = self._typed
            repeated = len(typed) > 1 and len(set(typed.lower())) == 1
            if repeated:  # "ss": the next item starting with s
                index = match_label(self.labels(), typed[0], self.currentIndex() + 1)
            else:
                start = self.currentIndex() + (1 if len(typed) == 1 else 0)
                index = match_label(self.labels(), typed, max(start, 0))
                if index < 0 and len(typed) > 1:  # a new word: start again from this letter
                    self._typed = text
                    index = match_label(self.labels(), text, self.currentIndex() + 1)
            if index >= 0:
                if index != self.currentIndex():
                    self.setCurrentIndex(index)
                self.activated.emit(index)
            event.accept()
            return
        super().keyPressEvent(event)
