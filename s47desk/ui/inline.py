"""Messages shown beside the controls they are about, instead of message boxes.

A problem, a success or a plain note (progress). The colour is chosen when the text is set, so it
suits the palette in use then; the words alone carry the meaning, the colour only repeats it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

from s47desk.ui.theme import semantic


class InlineMessage(QLabel):
    """Hidden while there is nothing to say."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setObjectName(name)  # (not its accessible name: that would hide the text)
        self.kind = ""
        self.hide()

    def problem(self, text: str) -> None:
        self._say("problem", text)

    def success(self, text: str) -> None:
        self._say("success", text)

    def note(self, text: str) -> None:
        self._say("note", text)

    def clear_message(self) -> None:
        self._say("", "")

    def _say(self, kind: str, text: str) -> None:
        self.kind = kind if text else ""
        palette = self.palette()
        colours = semantic(palette)
        colour = {"problem": colours.blocker, "success": colours.ok}.get(
            kind, QPalette().color(QPalette.ColorRole.WindowText)
        )
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.setPalette(palette)
        self.setText(text)
        self.setVisible(bool(text))
        if text and kind != "note":
            from s47desk.ui.a11y import announce

            announce(self, text, assertive=kind == "problem")
