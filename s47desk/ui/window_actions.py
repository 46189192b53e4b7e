"""The window's actions, declared once: name, text, shortcut, handler (a MainWindow method), menu.

Kept apart from the window so that the list of what the user can do (and its shortcuts) reads
as one table. Names are an enum (:class:`Act`), so a typo is a type error, not a KeyError.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtGui import QAction, QKeySequence


class Act(StrEnum):
    NEW = "new"
    FIND = "find"
    ADD_ACTION = "add_action"
    CLOCK = "clock"
    HISTORY = "history"
    AMEND = "amend"
    SETTINGS = "settings"
    RESTORE = "restore"
    QUIT = "quit"
    UNDO = "undo"
    REDO = "redo"
    NEXT_STEP = "next_step"
    PREVIOUS_STEP = "previous_step"
    NEXT_PROBLEM = "next_problem"
    AGENDA = "agenda"
    READINESS = "readiness"
    DEADLINES = "deadlines"
    MEETINGS = "meetings"
    BIGGER = "bigger"
    SMALLER = "smaller"
    DARK = "dark"


#: Actions that change an open meeting: enabled only while it is open and not signed.
EDIT_ACTIONS = (Act.ADD_ACTION, Act.CLOCK, Act.UNDO, Act.REDO)
#: Actions that read or move about an open meeting, signed or not (business support reaches
#: the export on a signed record with Ctrl+9, the last step, or Ctrl+PgDown).
MEETING_ACTIONS = (
    Act.NEXT_STEP,
    Act.PREVIOUS_STEP,
    Act.NEXT_PROBLEM,
    Act.AGENDA,
    Act.HISTORY,
)


@dataclass(frozen=True)
class ActionSpec:
    name: Act
    text: str
    shortcut: str | QKeySequence.StandardKey | None
    handler: str  # a MainWindow method name
    menu: str
    checkable: bool = False
    separator_after: bool = False


ACTIONS = (
    ActionSpec(Act.NEW, "&New meeting…", QKeySequence.StandardKey.New, "new_meeting", "&Meeting"),
    ActionSpec(
        Act.FIND,
        "&Find a meeting",
        QKeySequence.StandardKey.Find,
        "focus_search",
        "&Meeting",
        separator_after=True,
    ),
    ActionSpec(Act.ADD_ACTION, "&Add an action…", "Ctrl+Shift+A", "add_action", "&Meeting"),
    ActionSpec(
        Act.CLOCK,
        "Start or pause the meeting &clock",
        "Ctrl+Shift+T",
        "toggle_clock",
        "&Meeting",
    ),
    ActionSpec(Act.HISTORY, "&History…", "Ctrl+H", "show_history", "&Meeting"),
    ActionSpec(Act.AMEND, "A&mend…", None, "amend_meeting", "&Meeting", separator_after=True),
    ActionSpec(Act.SETTINGS, "&Settings…", "Ctrl+,", "open_settings", "&Meeting"),
    ActionSpec(Act.RESTORE, "&Restore from a backup…", None, "restore_backup", "&Meeting"),
    ActionSpec(Act.QUIT, "&Quit", QKeySequence.StandardKey.Quit, "close", "&Meeting"),
    ActionSpec(Act.UNDO, "&Undo", QKeySequence.StandardKey.Undo, "undo", "&Edit"),
    ActionSpec(Act.REDO, "&Redo", QKeySequence.StandardKey.Redo, "redo", "&Edit"),
    ActionSpec(Act.NEXT_STEP, "&Next step", "Ctrl+PgDown", "next_step", "&Go"),
    ActionSpec(Act.PREVIOUS_STEP, "&Previous step", "Ctrl+PgUp", "previous_step", "&Go"),
    ActionSpec(Act.NEXT_PROBLEM, "Next &blocker or warning", "F8", "next_problem", "&Go"),
    ActionSpec(
        Act.AGENDA, "The &agenda", "Ctrl+Shift+G", "focus_agenda", "&Go", separator_after=True
    ),
    ActionSpec(Act.READINESS, "&Readiness to sign", "Ctrl+Shift+R", "show_readiness", "&Go"),
    ActionSpec(Act.DEADLINES, "&Deadlines", "Ctrl+Shift+D", "show_deadlines", "&Go"),
    ActionSpec(Act.MEETINGS, "&Meetings list", "Ctrl+Shift+L", "show_meetings", "&Go"),
    ActionSpec(Act.BIGGER, "&Larger text", QKeySequence.StandardKey.ZoomIn, "bigger_text", "&View"),
    ActionSpec(
        Act.SMALLER, "&Smaller text", QKeySequence.StandardKey.ZoomOut, "smaller_text", "&View"
    ),
    ActionSpec(Act.DARK, "&Dark palette", None, "toggle_dark", "&View", checkable=True),
)


def build_actions(window: Any) -> tuple[dict[Act, QAction], list[QAction]]:
    """The window's actions by name, and its "Step N" actions; menus are filled on the way."""
    actions: dict[Act, QAction] = {}
    menus: dict[str, Any] = {}
    for spec in ACTIONS:
        if spec.menu not in menus:
            menus[spec.menu] = window.menuBar().addMenu(spec.menu)
        action = QAction(spec.text, window)
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        action.setCheckable(spec.checkable)
        action.triggered.connect(getattr(window, spec.handler))
        menus[spec.menu].addAction(action)
        actions[spec.name] = action
        window.addAction(action)
        if spec.separator_after or spec.name is Act.REDO:
            menus[spec.menu].addSeparator()
    # The platform's redo keys and both common ones, each once: a key listed twice for one
    # action is "ambiguous" to Qt and does nothing (on Windows and Linux, Redo is Ctrl+Y).
    redo = [*QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)]
    redo += [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")]
    actions[Act.REDO].setShortcuts(list({k.toString(): k for k in redo}.values()))
    actions[Act.BIGGER].setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
    actions[Act.DARK].setChecked(bool(window.state.value("dark", False, type=bool)))
    go = menus["&Go"]
    go.addSeparator()
    step_actions: list[QAction] = []
    for n in range(1, STEP_KEYS + 1):
        action = QAction(f"Step {n}", window)
        action.setShortcut(QKeySequence(f"Ctrl+{n}"))
        action.triggered.connect(lambda _=False, n=n: _go_to_step(window, n))
        go.addAction(action)
        window.addAction(action)
        step_actions.append(action)
    return actions, step_actions


#: Ctrl+1 … Ctrl+8 go to steps 1 to 8 and Ctrl+9 to the last step, review and sign, however
#: many steps a form has (as Ctrl+9 goes to the last tab in a web browser).
STEP_KEYS = 9


def step_for_key(n: int, steps: int) -> int | None:
    """The step index Ctrl+*n* goes to in a form of *steps* steps (None: no such step)."""
    if n == STEP_KEYS and steps:
        return steps - 1
    return n - 1 if n <= steps else None


def _go_to_step(window: Any, n: int) -> None:
    view = window.view
    if view is None:
        return
    index = step_for_key(n, len(view.pages))
    if index is not None:
        view.show_step(index)


def name_steps(step_actions: list[QAction], titles: list[str]) -> None:
    """The Go menu names the open meeting's steps ("9. Review and sign", Ctrl+9); a key with
    no step in this form is disabled ("Step 7", greyed), so no shortcut does nothing unsaid."""
    for n, action in enumerate(step_actions, start=1):
        index = step_for_key(n, len(titles))
        if index is None:
            action.setText(f"Step {n}")
            action.setEnabled(False)
        elif n == STEP_KEYS and index + 1 < STEP_KEYS:  # a short form: its last step again
            action.setText(f"Last step ({index + 1}. {titles[index]})")
            action.setEnabled(True)
        else:
            mnemonic = "&" if index < STEP_KEYS else ""  # "&1" is Ctrl+1's, not step 12's
            action.setText(f"{mnemonic}{index + 1}. {titles[index]}")
            action.setEnabled(True)
