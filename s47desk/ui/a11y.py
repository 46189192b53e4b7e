"""Accessibility helpers: headings with a heading role, announcements, contrast ratios.

- :func:`install` gives every :class:`~s47desk.ui.theme.Heading` the accessible role *heading*
  (WCAG 1.3.1), its text as its name and its level, through a QAccessible factory.
- :func:`announce` tells assistive technology about a status change that does not move the
  focus (WCAG 4.1.3): a ``QAccessibleAnnouncementEvent`` (Qt 6.8+), polite or assertive. Every
  announcement is also kept in :data:`ANNOUNCED` (the last few hundred), so tests can see them.
- :func:`contrast` is the WCAG contrast ratio of two colours (1.4.3, 1.4.11).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QColor
from PySide6.QtWidgets import QAccessibleWidget, QLabel

HEADING_PROPERTY = "s47_heading_level"


@dataclass(frozen=True)
class Announcement:
    message: str
    assertive: bool
    source: str  # the object name or class of the widget it came from


ANNOUNCED: deque[Announcement] = deque(maxlen=500)


def announce(source: QObject, message: str, *, assertive: bool = False) -> None:
    """Say *message* to a screen reader without moving the focus."""
    if not message:
        return
    ANNOUNCED.append(Announcement(message, assertive, source.objectName() or type(source).__name__))
    event = QAccessibleAnnouncementEvent(source, message)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if assertive
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)


class _HeadingInterface(QAccessibleWidget):
    """A label read as a heading: role heading, its visible text as the name."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label, QAccessible.Role.Heading)
        self._label = label

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self._label.accessibleName() or self._label.text()
        return str(super().text(kind))


def _factory(_key: str, obj: QObject) -> QAccessibleWidget | None:
    if isinstance(obj, QLabel) and obj.property(HEADING_PROPERTY):
        return _HeadingInterface(obj)
    return None


_installed = False


def install() -> None:
    """Once per process (idempotent)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


def mark_heading(label: QLabel, level: int = 2) -> None:
    install()
    label.setProperty(HEADING_PROPERTY, level)


def accessible_name(widget: QObject) -> str:
    """What a screen reader hears as *widget*'s name (Qt's own accessible interface)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    return str(iface.text(QAccessible.Text.Name)) if iface is not None else ""


def accessible_role(widget: QObject) -> QAccessible.Role | None:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.role() if iface is not None else None


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG 2 contrast ratio of *a* and *b* (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
