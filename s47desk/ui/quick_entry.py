"""A row of fields typed in order: Enter moves on, and adds the item only from the last field.

So natural typing — name, Enter, role, Enter, the attendance choice, Enter — records what was
chosen, never the default of a choice that was skipped. Enter on the submit button adds too
(the button is an auto-default one, as in a dialog).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QAbstractButton, QGridLayout, QLabel, QPushButton, QWidget

from s47desk.ui.editors.base import is_enter


class EnterChain(QObject):
    """Enter in *fields* (in Tab order) moves to the next; in the last one, *submit* runs."""

    def __init__(
        self,
        fields: Sequence[QWidget],
        submit: Callable[[], None],
        buttons: Sequence[QPushButton] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or fields[0])
        self.fields, self.submit = list(fields), submit
        for widget in self.fields:
            widget.installEventFilter(self)
        for button in buttons:
            button.setAutoDefault(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not is_enter(event) or watched not in self.fields:
            return False
        shown = [w for w in self.fields if w.isVisible() and w.isEnabled()]
        if watched is shown[-1] if shown else False:
            self.submit()
            return True
        later = shown[shown.index(watched) + 1 :] if watched in shown else []
        if later:
            target = later[0]
            if not isinstance(target, QAbstractButton):
                target.setFocus()
                return True
        self.submit()
        return True


def chain(widgets: Sequence[QWidget]) -> None:
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


class QuickGrid(QWidget):
    """Labelled quick-entry fields that wrap onto two rows when the width is short (half a
    screen, large text), rather than squeezing each field until its text is cut off."""

    def __init__(
        self, title: str, fields: list[tuple[str, QWidget]], *buttons: QPushButton
    ) -> None:
        super().__init__()
        self.title = QLabel(title)
        self.title.setWordWrap(True)
        self.fields, self.buttons = fields, buttons
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(2)
        self.labels: list[QLabel] = []
        for text, widget in fields:
            label = QLabel(text)
            label.setBuddy(widget)
            self.labels.append(label)
        self._per_row = 0
        self.field_chars = 18
        self._place(len(fields))

    def _place(self, per_row: int) -> None:
        if per_row == self._per_row:
            return
        self._per_row = per_row
        while self.grid.count():
            self.grid.takeAt(0)
        self.grid.addWidget(self.title, 0, 0, 1, per_row + 1)
        for i, ((_text, widget), label) in enumerate(zip(self.fields, self.labels, strict=True)):
            row, col = divmod(i, per_row)
            self.grid.addWidget(label, 1 + row * 2, col)
            self.grid.addWidget(widget, 2 + row * 2, col)
        last_row = 2 + ((len(self.fields) - 1) // per_row) * 2
        holder_col = per_row if len(self.fields) % per_row == 0 else len(self.fields) % per_row
        for j, button in enumerate(self.buttons):
            self.grid.addWidget(button, last_row, holder_col + j)
        for col in range(per_row + len(self.buttons) + 1):
            self.grid.setColumnStretch(col, 1 if col < per_row else 0)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """One field a row is always possible: the grid re-flows as it is resized."""
        hint = super().minimumSizeHint()
        widest = max(
            [w.minimumSizeHint().width() for _t, w in self.fields]
            + [b.sizeHint().width() for b in self.buttons]
        )
        return QSize(widest + sum(b.sizeHint().width() for b in self.buttons), hint.height())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place(self.per_row_for(self.width()))

    def per_row_for(self, width: int) -> int:
        """As many fields a row as fit at about 18 characters each, rows evened out."""
        char = self.fontMetrics().averageCharWidth()
        n = len(self.fields)
        buttons = sum(b.sizeHint().width() for b in self.buttons)
        fits = max(1, min(n, (width - buttons) // (self.field_chars * char)))
        rows = -(-n // fits)
        return -(-n // rows)
