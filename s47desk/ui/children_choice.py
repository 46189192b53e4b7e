"""Choosing which children an action is for: one, several or all, from the keyboard.

A checkable list in a popup: "All children" first, then each child in scope. Up and Down move,
Space ticks (on "All children" it ticks or clears every child), a letter jumps to the child
whose name starts with it, Enter is done and Escape puts back what was ticked before. The
action stores the children by uid (``Action.for_children``); none ticked means the action is
not for a particular child. Where room is short, every child ticked reads "All children"
(the tooltip and a screen reader say who). The action plan's "Children" cell opens it as its editor, and
the quick-action bar has a button for it (Space or Alt+Down opens it; Enter moves on).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from s47desk import present
from s47desk.models import Child
from s47desk.ui.theme import muted

ALL = "All children"
NONE = "Not for a particular child"
UID_ROLE = Qt.ItemDataRole.UserRole + 1


def names(children: Sequence[Child], uids: Sequence[str]) -> str:
    """The children chosen by name, in the meeting's order, as the record prints them."""
    wanted = set(uids)
    chosen = [present.child_name(c, i) for i, c in enumerate(children) if c.uid in wanted]
    return ", ".join(chosen) or NONE


def summary(children: Sequence[Child], uids: Sequence[str]) -> str:
    """What a choice reads as where room is short (a cell, a button): "All children" when
    every one of several is ticked, else their names, or "Not for a particular child"."""
    wanted = set(uids)
    if len(children) > 1 and all(c.uid in wanted for c in children):
        return ALL
    return names(children, uids)


class ChildrenPopup(QFrame):
    """The checkable list; ``done`` carries the uids ticked (None: cancelled with Escape) and
    whether it was closed from the keyboard (Enter or Escape: True) or by a click elsewhere
    (False: the person has gone on to what they clicked, so nothing takes the focus back)."""

    done = Signal(object, bool)  # list[str] | None, closed by a key
    ticked = Signal(object)  # list[str]: the ticks as they are now, on every change

    def __init__(
        self, children: Sequence[Child], uids: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.children_ = list(children)
        self.before = [c.uid for c in self.children_ if c.uid in set(uids)]
        self._finished = False
        self._syncing = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        hint = muted(
            "Space ticks; Enter when done; Escape to cancel"
            if self.children_
            else "No children in scope yet: add them at the first step."
        )
        self.list = QListWidget()
        self.list.setAccessibleName("Children this action is for")
        self.list.setAccessibleDescription(
            "Space ticks a child, or every child on All children; Enter when done"
        )
        self.all_item = QListWidgetItem(ALL, self.list)
        self.all_item.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            if self.children_
            else Qt.ItemFlag.NoItemFlags
        )
        for i, child in enumerate(self.children_):
            item = QListWidgetItem(present.child_name(child, i), self.list)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setData(UID_ROLE, child.uid)
            item.setCheckState(
                Qt.CheckState.Checked if child.uid in self.before else Qt.CheckState.Unchecked
            )
        self._sync_all()
        self.list.itemChanged.connect(self._changed)
        self.list.installEventFilter(self)
        layout.addWidget(self.list)
        layout.addWidget(hint)
        rows = self.list.count()
        self.list.setFixedHeight(
            sum(self.list.sizeHintForRow(r) for r in range(min(rows, 10)))
            + 2 * self.list.frameWidth()
            + 4
        )
        hint.setMaximumWidth(
            max(self.list.sizeHintForColumn(0), 30 * self.fontMetrics().averageCharWidth())
        )
        self.list.setMinimumWidth(self.list.sizeHintForColumn(0) + 2 * self.list.frameWidth() + 24)
        # the keyboard starts on the first child ticked, else the first child
        ticked = [
            i
            for i, item in enumerate(self.child_items(), start=1)
            if item.checkState() == Qt.CheckState.Checked
        ]
        self.list.setCurrentRow(ticked[0] if ticked else min(1, rows - 1))

    def _item(self, row: int) -> QListWidgetItem:
        item = self.list.item(row)
        assert item is not None
        return item

    def child_items(self) -> list[QListWidgetItem]:
        return [self._item(i) for i in range(1, self.list.count())]

    def uids(self) -> list[str]:
        """The ticked children, in the meeting's order."""
        return [
            str(item.data(UID_ROLE))
            for item in self.child_items()
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _changed(self, item: QListWidgetItem) -> None:
        if self._syncing:
            return
        if item is self.all_item:
            state = item.checkState()
            on = state != Qt.CheckState.Unchecked
            self._syncing = True
            try:
                for child in self.child_items():
                    child.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            finally:
                self._syncing = False
        self._sync_all()
        self.ticked.emit(self.uids())

    def _sync_all(self) -> None:
        """ "All children" is ticked when every child is, half-ticked when some are."""
        items = self.child_items()
        ticked = sum(i.checkState() == Qt.CheckState.Checked for i in items)
        state = (
            Qt.CheckState.Checked
            if items and ticked == len(items)
            else Qt.CheckState.PartiallyChecked
            if ticked
            else Qt.CheckState.Unchecked
        )
        self._syncing = True
        try:
            self.all_item.setCheckState(state)
        finally:
            self._syncing = False

    def open_at(self, anchor: QWidget) -> None:
        """Below *anchor* (above it when there is no room below), inside the screen."""
        self.adjustSize()
        size = self.sizeHint().expandedTo(self.minimumSizeHint())
        below = anchor.mapToGlobal(QPoint(0, anchor.height()))
        screen = anchor.screen().availableGeometry() if anchor.screen() else None
        x, y = below.x(), below.y()
        if screen is not None:
            if y + size.height() > screen.bottom():
                y = anchor.mapToGlobal(QPoint(0, 0)).y() - size.height()
            x = max(screen.left(), min(x, screen.right() - size.width()))
            y = max(screen.top(), y)
        self.move(x, y)
        self.show()
        self.list.setFocus(Qt.FocusReason.PopupFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.finish(self.uids(), by_key=True)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.finish(None, by_key=True)
                return True
            if event.key() == Qt.Key.Key_Space and self.list.currentItem() is self.all_item:
                # "All children" is tri-state for display; Space makes it all or none
                ticked = self.all_item.checkState() == Qt.CheckState.Checked
                self.all_item.setCheckState(
                    Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked
                )
                return True
        return super().eventFilter(watched, event)

    def finish(self, uids: list[str] | None, by_key: bool) -> None:
        if self._finished:
            return
        self._finished = True
        self.hide()
        self.done.emit(uids, by_key)
        self.deleteLater()

    def hideEvent(self, event: object) -> None:  # noqa: N802
        """Closed by a click elsewhere: what is ticked stands (as a drop-down's choice does),
        and the focus stays where the person clicked."""
        super().hideEvent(event)  # type: ignore[arg-type]
        if not self._finished:
            QTimer.singleShot(0, self, lambda: self.finish(self.uids(), by_key=False))


class ChildrenButton(QPushButton):
    """Shows the children chosen; Space (or a click, or Alt+Down) opens the list."""

    chosen = Signal(object)  # list[str]: the user changed the choice

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.children_: list[Child] = []
        self._uids: list[str] = []
        self.popup: ChildrenPopup | None = None
        self.setAccessibleName(name)
        self.clicked.connect(self.open_list)
        self._show()

    def set_children(self, children: Sequence[Child], uids: Sequence[str] = ()) -> None:
        self.children_ = list(children)
        self.set_uids(uids)

    def uids(self) -> list[str]:
        return list(self._uids)

    def set_uids(self, uids: Sequence[str]) -> None:
        wanted = set(uids)
        self._uids = [c.uid for c in self.children_ if c.uid in wanted]
        self._show()

    def _show(self) -> None:
        text = summary(self.children_, self._uids)
        self.setText(f"{text} ▾")
        named = names(self.children_, self._uids)
        self.setToolTip(f"{named}. Space or Alt+Down opens the list of children.")
        self.setAccessibleDescription(f"{named}. Space opens the list of children.")

    def open_list(self) -> None:
        if not self.isEnabled():
            return
        self.popup = ChildrenPopup(self.children_, self._uids, self)
        self.popup.done.connect(self._done)
        self.popup.open_at(self)

    def _done(self, uids: list[str] | None, by_key: bool) -> None:
        """Enter or Escape puts the keyboard back on the button; after a click elsewhere it
        stays on what was clicked."""
        self.popup = None
        if uids is not None and uids != self._uids:
            self.set_uids(uids)
            self.chosen.emit(self.uids())
        if by_key:
            self.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.open_list()
            return
        super().keyPressEvent(event)


class ChildrenCellEditor(ChildrenButton):
    """The action plan's "Children" cell while it is edited: the list opens at once, and
    Enter there stores the cell and moves on, as in every other cell; a click elsewhere
    stores it and goes no further."""

    finished = Signal(bool, bool)  # done (store it; False: cancelled), closed by a key

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self._opened = False

    def showEvent(self, event: object) -> None:  # noqa: N802
        super().showEvent(event)  # type: ignore[arg-type]
        if not self._opened:
            self._opened = True
            QTimer.singleShot(0, self.open_list)

    def open_list(self) -> None:
        """The cell holds the ticks as they change: a click elsewhere that the platform passes
        on takes the focus from the cell, which stores it, before the list says it closed."""
        super().open_list()
        if self.popup is not None:
            self.popup.ticked.connect(self.set_uids)

    def _done(self, uids: list[str] | None, by_key: bool) -> None:
        self.popup = None
        if uids is not None:
            self.set_uids(uids)
        self.finished.emit(uids is not None, by_key)

    def _show(self) -> None:
        """In a narrow cell the choice is elided ("Leo Th…"), never cut mid-letter."""
        super()._show()
        text = summary(self.children_, self._uids)
        room = max(self.width() - 3 * self.fontMetrics().averageCharWidth(), 0)
        self.setText(self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, room))

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._show()
