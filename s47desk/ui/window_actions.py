"""The window's actions, declared once: name, text, shortcut, handler (a MainWindow method), menu.

Kept apart from the window so that the list of what the user can do (and its shortcuts) reads
as one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QAction, QKeySequence

#: Actions that only make sense in an open, unsigned meeting.
MEETING_ACTIONS = (
    "add_action",
    "clock",
    "next_step",
    "previous_step",
    "next_problem",
    "agenda",
    "undo",
    "redo",
)


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    shortcut: str | QKeySequence.StandardKey | None
    handler: str  # a MainWindow method name
    menu: str
    checkable: bool = False


ACTIONS = (
    ActionSpec("new", "&New meeting…", QKeySequence.StandardKey.New, "new_meeting", "&Meeting"),
    ActionSpec(
        "find", "&Find a meeting", QKeySequence.StandardKey.Find, "focus_search", "&Meeting"
    ),
    ActionSpec("add_action", "&Add an action…", "Ctrl+Shift+A", "add_action", "&Meeting"),
    ActionSpec(
        "clock", "Start or pause the meeting &clock", "Ctrl+Shift+T", "toggle_clock", "&Meeting"
    ),
    ActionSpec("settings", "&Settings…", "Ctrl+,", "open_settings", "&Meeting"),
    ActionSpec("restore", "&Restore from a backup…", None, "restore_backup", "&Meeting"),
    ActionSpec("quit", "&Quit", QKeySequence.StandardKey.Quit, "close", "&Meeting"),
    ActionSpec("undo", "&Undo", QKeySequence.StandardKey.Undo, "undo", "&Edit"),
    ActionSpec("redo", "&Redo", QKeySequence.StandardKey.Redo, "redo", "&Edit"),
    ActionSpec("next_step", "&Next step", "Ctrl+PgDown", "next_step", "&Go"),
    ActionSpec("previous_step", "&Previous step", "Ctrl+PgUp", "previous_step", "&Go"),
    ActionSpec("next_problem", "Next &blocker or warning", "F8", "next_problem", "&Go"),
    ActionSpec("agenda", "The &agenda", "Ctrl+Shift+G", "focus_agenda", "&Go"),
    ActionSpec("bigger", "&Larger text", QKeySequence.StandardKey.ZoomIn, "bigger_text", "&View"),
    ActionSpec(
        "smaller", "&Smaller text", QKeySequence.StandardKey.ZoomOut, "smaller_text", "&View"
    ),
    ActionSpec("dark", "&Dark palette", None, "toggle_dark", "&View", checkable=True),
)


def build_actions(window: Any) -> tuple[dict[str, QAction], list[QAction]]:
    """The window's actions by name, and its "Step N" actions; menus are filled on the way."""
    actions: dict[str, QAction] = {}
    menus: dict[str, object] = {}
    for spec in ACTIONS:
        if spec.menu not in menus:
            menus[spec.menu] = window.menuBar().addMenu(spec.menu)
        action = QAction(spec.text, window)
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        action.setCheckable(spec.checkable)
        action.triggered.connect(getattr(window, spec.handler))
        menus[spec.menu].addAction(action)  # type: ignore[attr-defined]
        actions[spec.name] = action
        window.addAction(action)
        if spec.name in ("find", "clock", "redo", "agenda"):
            menus[spec.menu].addSeparator()  # type: ignore[attr-defined]
    view = menus["&View"]
    view.addSeparator()  # type: ignore[attr-defined]
    for dock in (window.list_dock, window.readiness_dock, window.deadlines_dock):
        view.addAction(dock.toggleViewAction())  # type: ignore[attr-defined]
    actions["redo"].setShortcuts(
        [QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")]
    )
    actions["bigger"].setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
    actions["dark"].setChecked(window.state.value("dark", False, type=bool))
    go = menus["&Go"]
    go.addSeparator()  # type: ignore[attr-defined]
    step_actions: list[QAction] = []
    for n in range(1, 10):
        action = QAction(f"Step {n}", window)
        action.setShortcut(QKeySequence(f"Ctrl+{n}"))
        action.triggered.connect(lambda _=False, i=n - 1: window.view and window.view.show_step(i))
        go.addAction(action)  # type: ignore[attr-defined]
        window.addAction(action)
        step_actions.append(action)
    return actions, step_actions
