"""An inline banner: messages with their severity and a button or two that fix each one.

Used instead of dialogs, so nothing interrupts the minute-taker's typing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from s47desk.ui.a11y import announce
from s47desk.ui.icons import severity_icon
from s47desk.ui.theme import semantic, tint


@dataclass
class BannerLine:
    severity: str  # "blocker", "warning" or "info"
    message: str
    buttons: Sequence[tuple[str, Callable[[], None]]] = field(default_factory=tuple)


class Banner(QFrame):
    """Hidden when there is nothing to say. With *announced*, a new message is also said to a
    screen reader (a save failure, a conflict): the banner appears without moving the focus."""

    def __init__(
        self, title: str = "", parent: QWidget | None = None, *, announced: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.title = title
        self.announced = announced
        self._tinting = False
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(10, 8, 10, 8)
        self.grid.setHorizontalSpacing(8)
        self.grid.setColumnStretch(1, 1)
        self.lines: list[BannerLine] = []
        self.buttons: list[QPushButton] = []
        self.hide()

    def set_lines(self, lines: Sequence[BannerLine]) -> None:
        self.lines = list(lines)
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        self.buttons = []
        if not lines:
            self._said = []
            self.hide()
            return
        said = [x.message for x in self.lines]
        self._tint()
        row = 0
        if self.title:
            heading = QLabel(f"<b>{self.title}</b>")
            self.grid.addWidget(heading, row, 0, 1, 2)
            row += 1
        for line in lines:
            if line.severity in ("blocker", "warning"):
                icon = QLabel()
                size = self.fontMetrics().height()
                icon.setPixmap(severity_icon(line.severity).pixmap(size, size))
                icon.setAccessibleName(line.severity.capitalize())
                self.grid.addWidget(icon, row, 0, Qt.AlignmentFlag.AlignTop)
            text = QLabel(line.message)
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.grid.addWidget(text, row, 1)
            row += 1
            if not line.buttons:
                continue
            buttons = []
            for caption, callback in line.buttons:
                button = QPushButton(caption)
                button.setAccessibleName(f"{caption}: {line.message[:80]}")
                button.clicked.connect(lambda _=False, c=callback: c())
                buttons.append(button)
                self.buttons.append(button)
            # under the message, where a narrow window still has room for them
            holder = QWidget()
            actions = QHBoxLayout(holder)
            actions.setContentsMargins(0, 0, 0, 0)
            for button in buttons:
                actions.addWidget(button)
            actions.addStretch(1)
            self.grid.addWidget(holder, row, 1)
            row += 1
        self.setAccessibleName(self.title or "Messages")
        self.setAccessibleDescription(" ".join(x.message for x in lines))
        self.show()
        if self.announced and said != getattr(self, "_said", None):
            worst = any(x.severity == "blocker" for x in lines)
            announce(self, " ".join(said), assertive=worst)
        self._said = said

    def _tint(self) -> None:
        if not self.lines:
            return
        colours = semantic(self.palette())
        worst = (
            "blocker"
            if any(x.severity == "blocker" for x in self.lines)
            else self.lines[0].severity
        )
        background, edge = {
            "blocker": (colours.blocker_bg, colours.blocker),
            "warning": (colours.warning_bg, colours.warning),
        }.get(worst, (colours.info_bg, colours.today))
        self._tinting = True
        try:
            tint(self, background, edge)
        finally:
            self._tinting = False

    def changeEvent(self, event: Any) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._tinting:
            self._tint()

    def messages(self) -> list[str]:
        return [x.message for x in self.lines]
