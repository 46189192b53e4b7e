"""An inline banner: messages with their severity and a button or two that fix each one.

Used instead of dialogs, so nothing interrupts the minute-taker's typing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from s47desk.ui.icons import severity_icon
from s47desk.ui.theme import semantic


@dataclass
class BannerLine:
    severity: str  # "blocker", "warning" or "info"
    message: str
    buttons: Sequence[tuple[str, Callable[[], None]]] = field(default_factory=tuple)


class Banner(QFrame):
    """Hidden when there is nothing to say."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAutoFillBackground(True)
        self.title = title
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
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = []
        if not lines:
            self.hide()
            return
        colours = semantic(self.palette())
        worst = "blocker" if any(x.severity == "blocker" for x in lines) else lines[0].severity
        background = {
            "blocker": colours.blocker_bg,
            "warning": colours.warning_bg,
        }.get(worst, colours.info_bg)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, background)
        self.setPalette(palette)
        row = 0
        if self.title:
            heading = QLabel(f"<b>{self.title}</b>")
            self.grid.addWidget(heading, row, 0, 1, 3)
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
            actions = QHBoxLayout()
            for caption, callback in line.buttons:
                button = QPushButton(caption)
                button.setAccessibleName(f"{caption}: {line.message[:80]}")
                button.clicked.connect(lambda _=False, c=callback: c())
                actions.addWidget(button)
                self.buttons.append(button)
            holder = QWidget()
            holder.setLayout(actions)
            actions.setContentsMargins(0, 0, 0, 0)
            self.grid.addWidget(holder, row, 2, Qt.AlignmentFlag.AlignTop)
            row += 1
        self.setAccessibleName(self.title or "Messages")
        self.setAccessibleDescription(" ".join(x.message for x in lines))
        self.show()

    def messages(self) -> list[str]:
        return [x.message for x in self.lines]
