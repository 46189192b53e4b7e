"""Layouts for a narrow window: a row of buttons that wraps, and choices whose text wraps.

At half a laptop screen with 200% text a row of four buttons, or a radio button with a long
label, is wider than the window: Qt would clip it (or make the window wider than the screen).
``FlowLayout`` puts what does not fit on the next line (Qt's flow-layout example);
``WrappedChoice`` is a radio button or check box whose label wraps like a paragraph.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QWidget,
)


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._do_layout(QRect(0, 0, width, 0), test=True)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._do_layout(rect, test=False)

    def sizeHint(self) -> QSize:  # noqa: N802
        width = sum(i.sizeHint().width() + self._spacing for i in self._visible())
        height = max((i.sizeHint().height() for i in self._visible()), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if (w := i.widget()) is None or not w.isHidden()]

    def _do_layout(self, rect: QRect, test: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._visible():
            hint = item.sizeHint()
            width = min(hint.width(), area.width())
            if x + width > area.right() + 1 and line > 0:
                x, y, line = area.x(), y + line + self._spacing, 0
            if not test:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += width + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


def button_row(*buttons: QWidget) -> QWidget:
    """Buttons side by side while they fit, then on the next line."""
    holder = QWidget()
    flow = FlowLayout(holder)
    for button in buttons:
        flow.addWidget(button)
    holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return holder


class _ClickLabel(QLabel):
    def __init__(self, text: str, button: QAbstractButton) -> None:
        super().__init__(text)
        self.button = button
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setBuddy(button)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.button.isEnabled():
            self.button.setFocus(Qt.FocusReason.MouseFocusReason)
            self.button.click()
        event.accept()


class WrappedChoice(QWidget):
    """*button* (text-less: the label beside it wraps) named *text* for assistive technology."""

    def __init__(self, button: QAbstractButton, text: str) -> None:
        super().__init__()
        self.button = button
        button.setText("")
        button.setAccessibleName(text)
        button.setProperty("choice_text", text)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.label = _ClickLabel(text, button)
        row.addWidget(self.label, 1)

    def set_text(self, text: str) -> None:
        self.button.setAccessibleName(text)
        self.button.setProperty("choice_text", text)
        self.label.setText(text)


def choice_text(button: QAbstractButton) -> str:
    return str(button.property("choice_text") or button.text())
