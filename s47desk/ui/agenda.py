"""The agenda navigator: the form's steps, each with its state and the time spent on it.

A step's state is derived from what is entered and from the core's findings for that step:
not started (nothing entered), has blockers, in progress (only warnings left), complete.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from s47desk.checks import Finding, Severity
from s47desk.fields import FIELDS
from s47desk.forms import FormDefinition, Step
from s47desk.models import Meeting
from s47desk.ui.icons import state_icon

STATE_TEXT = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
    "blockers": "Has blockers",
}


def has_value(meeting: Meeting, field_id: str) -> bool:
    """Whether anything is entered for *field_id* yet."""
    if field_id.startswith("decision."):
        decision = meeting.decision(field_id.removeprefix("decision."))
        return decision is not None and bool(
            decision.choice or decision.rationale.strip() or any(decision.details.values())
        )
    field = FIELDS[field_id]
    if field.attribute:
        value = getattr(meeting, field.attribute)
        return value not in (None, "", [], False)
    rows = meeting.signoffs if field_id == "signoff" else getattr(meeting, field_id)
    return bool(rows)


def step_state(meeting: Meeting, step: Step, findings: list[Finding]) -> str:
    if "signoff" in step.fields and meeting.is_locked:
        return "complete"
    if not any(has_value(meeting, f) for f in step.fields):
        return "not_started"
    mine = [f for f in findings if f.step == step.id]
    if any(f.severity is Severity.BLOCKER for f in mine):
        return "blockers"
    return "in_progress" if mine else "complete"


def minutes(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m}:{s:02d}"


class AgendaNavigator(QListWidget):
    """Steps in order; the current row is the step shown. Ctrl+PgDn/PgUp move between steps."""

    step_chosen = Signal(int)

    def __init__(self, form: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.setAccessibleName("Agenda: the steps of the meeting")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSpacing(2)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.states: list[str] = ["not_started"] * len(form.steps)
        self.counts: list[int] = [0] * len(form.steps)
        self.seconds: list[float] = [0.0] * len(form.steps)
        for _step in form.steps:
            QListWidgetItem(self)
        self.currentRowChanged.connect(self.step_chosen)
        self._render()

    def update_states(self, meeting: Meeting, findings: list[Finding]) -> None:
        for i, step in enumerate(self.form.steps):
            self.states[i] = step_state(meeting, step, findings)
            self.counts[i] = sum(
                1 for f in findings if f.step == step.id and f.severity is Severity.BLOCKER
            )
        self._render()

    def update_times(self, seconds: list[float]) -> None:
        self.seconds = list(seconds)
        self._render()

    def _render(self) -> None:
        size = self.fontMetrics().height() + 4
        self.setIconSize(QSize(size, size))
        for i, step in enumerate(self.form.steps):
            item = self.item(i)
            state = self.states[i]
            detail = STATE_TEXT[state]
            if state == "blockers":
                detail += f" ({self.counts[i]})"
            if self.seconds[i] >= 1:
                detail += f" · {minutes(self.seconds[i])}"
            item.setText(f"{i + 1}. {step.title}\n{detail}")
            item.setIcon(state_icon(state))
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole, f"Step {i + 1}: {step.title}, {detail}"
            )
            item.setToolTip(step.purpose)

    def state(self, index: int) -> str:  # type: ignore[override]  # (a step's, not the view's)
        return self.states[index]

    def changeEvent(self, event: Any) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (event.Type.FontChange, event.Type.PaletteChange):
            self._render()
