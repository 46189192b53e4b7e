"""What every field editor is: the field it edits, the document, how the page lays it out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from s47desk.fields import FieldDef
from s47desk.ui.document import MeetingDocument


class FieldEditor(QWidget):
    """Base class: the field it edits, the document, and how the step page lays it out."""

    #: Where the page puts the field's label: "side" (a form row), "above" (a heading), "none".
    label_mode = "side"
    #: True: the editor shows its findings itself (a banner); False: the page lists them under it.
    shows_findings = False
    #: Ask the page to jump to another field (field id, row index or -1, finding code).
    focus_requested = Signal(str, int, str)
    #: Ask the window to take the user to where a finding is fixed.
    finding_activated = Signal(object)
    #: A row was removed (what, in words): the view offers to undo it.
    removed = Signal(str)
    #: The focusable widgets changed (buttons came or went): the Tab order is set again.
    chain_changed = Signal()
    #: Other fields this editor also shows (a page sends their findings and focus here too).
    also_fields: tuple[str, ...] = ()

    def __init__(self, doc: MeetingDocument, field: FieldDef, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.field = field
        self.setAccessibleName(field.label)
        if field.help:
            self.setToolTip(field.help)
            self.setAccessibleDescription(field.help)
        doc.value_changed.connect(self._on_value_changed)
        doc.reset.connect(self.refresh)

    def watches(self, field_id: str) -> bool:
        return field_id == self.field.id

    def _on_value_changed(self, field_id: str, _obj: Any) -> None:
        if self.watches(field_id):
            self.refresh()

    def refresh(self) -> None:
        """Show the value the meeting holds now."""

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)

    def show_findings(self, findings: list[Any]) -> None:
        """The core's findings about this field, e.g. to mark rows (default: nothing)."""

    def focus_item(self, item: int | None, code: str = "") -> None:
        """Put the keyboard focus where the finding *code* (about row *item*) is fixed."""
        self.setFocus()

    def focus_finding(self, finding: Any) -> None:
        """The person went to *finding* (the readiness panel, F8): put the keyboard where it
        is fixed, with anything the finding says filled in (default: its row and code)."""
        self.focus_item(finding.item, finding.code)

    def tab_chain(self) -> list[QWidget]:
        """Its focusable widgets in reading order (default: in the order they were made)."""
        return focusable(self)

    @property
    def value(self) -> Any:
        return getattr(self.doc.meeting, self.field.attribute)


def is_stack_undo(event: QEvent) -> bool:
    """A text field lets Ctrl+Z / Ctrl+Shift+Z reach the meeting's undo stack."""
    return (
        event.type() == QEvent.Type.ShortcutOverride
        and isinstance(event, QKeyEvent)
        and (
            event.matches(QKeySequence.StandardKey.Undo)
            or event.matches(QKeySequence.StandardKey.Redo)
        )
    )


def focusable(root: QWidget) -> list[QWidget]:
    """*root*'s Tab stops, in the order its children were made (focus proxies resolved).

    A scroll area (a table, a list, a text box) is one Tab stop: its insides (viewport,
    header, scroll bars) are not walked. Walking them made Python wrappers for Qt's own
    internal widgets, which the garbage collector later took down with the header of a live
    table (a crash in the next layout); and nothing in there is a Tab stop of its own."""
    found: list[QWidget] = []

    def walk(obj: QObject) -> None:
        for child in obj.children():
            if not isinstance(child, QWidget) or child.isWindow():
                continue
            if child.focusProxy() is None and child.focusPolicy() & Qt.FocusPolicy.TabFocus:
                found.append(child)
            if not isinstance(child, QAbstractScrollArea):
                walk(child)

    walk(root)
    return found


def is_enter(event: QEvent) -> bool:
    return (
        event.type() == QEvent.Type.KeyPress
        and isinstance(event, QKeyEvent)
        and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    )


def local_shortcut(keys: QKeySequence, widget: QWidget, slot: Callable[[], object]) -> QShortcut:
    """A shortcut that works only while the focus is in *widget* (a table's Insert, the quick
    bar's Escape). Set with setContext: PySide ignores a ``context=`` keyword to QShortcut, and
    a window-wide Insert in two tables is ambiguous to Qt, so neither would work."""
    shortcut = QShortcut(keys, widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(slot)
    return shortcut
