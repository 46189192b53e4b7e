"""A short note after something that can be taken back (a removal): what happened, and Undo.

Shown at the foot of the meeting, said to a screen reader, and gone after a while or on
Dismiss. It never takes the focus: the person carries on where they were.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from s47desk.ui.a11y import announce
from s47desk.ui.theme import semantic, tint

SHOWN_MS = 15000


class Toast(QFrame):
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toast")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.action = QPushButton()
        self.dismiss = QPushButton("Dismiss")
        row.addWidget(self.text, 1)
        row.addWidget(self.action)
        row.addWidget(self.dismiss)
        self._callback: Callable[[], None] | None = None
        self._timer = QTimer(self, singleShot=True, interval=SHOWN_MS)
        self._timer.timeout.connect(self.close_toast)
        self.action.clicked.connect(self._act)
        self.dismiss.clicked.connect(self.close_toast)
        self.hide()

    def show_message(self, message: str, action: str, callback: Callable[[], None]) -> None:
        colours = semantic(self.palette())
        tint(self, colours.info_bg, colours.today)
        self.text.setText(f"{message} Press Ctrl+Z, or {action}, to take it back.")
        self.action.setText(action)
        self.action.setAccessibleName(f"{action}: {message}")
        self._callback = callback
        self.show()
        self._timer.start()
        announce(self, f"{message} Press Control Z to undo.")

    def _act(self) -> None:
        callback, self._callback = self._callback, None
        self.close_toast()
        if callback is not None:
            callback()

    def close_toast(self) -> None:
        if self.isHidden():
            return
        self._timer.stop()
        self.hide()
        self.closed.emit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.isVisible():
            colours = semantic(self.palette())
            tint(self, colours.info_bg, colours.today)

    def buttons(self) -> list[QWidget]:
        return [self.action, self.dismiss]
