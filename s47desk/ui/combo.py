"""A combo box whose item data stay Python objects.

Qt turns a ``str`` subclass (every vocabulary member is a StrEnum) into a plain string on the way
through QVariant, so ``currentData()`` would hand back ``"police"`` instead of ``Agency.POLICE``.
This combo keeps the values in a Python list alongside the items.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget


class ValueCombo(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[Any] = []

    def addItem(self, text: str, data: Any = None) -> None:  # type: ignore[override]  # noqa: N802
        self._values.append(data)
        super().addItem(text)

    def clear(self) -> None:
        self._values.clear()
        super().clear()

    def itemData(self, index: int, role: int = Qt.ItemDataRole.UserRole) -> Any:  # type: ignore[override]  # noqa: N802
        return self._values[index] if 0 <= index < len(self._values) else None

    def currentData(self, role: int = Qt.ItemDataRole.UserRole) -> Any:  # type: ignore[override]  # noqa: N802
        return self.itemData(self.currentIndex())

    def findData(self, data: Any, *_args: Any) -> int:  # type: ignore[override]  # noqa: N802
        for i, value in enumerate(self._values):
            if value is data or (type(value) is type(data) and value == data):
                return i
        return -1
