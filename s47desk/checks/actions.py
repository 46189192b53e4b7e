"""The action plan: every action has a named owner, an agency and a timescale (guidance 000)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check
from s47desk.vocab import ActionStatus

if TYPE_CHECKING:
    from s47desk.models import Action

REQUIREMENT = "All actions include timescales, agency and individual responsibility."


def _live(ctx: CheckContext) -> Iterator[tuple[int, Action]]:
    for index, action in enumerate(ctx.meeting.actions):
        if action.status is not ActionStatus.CANCELLED:
            yield index, action


@check("action.text", Severity.BLOCKER, "Every action says what is to be done.", "guidance 000")
def text(ctx: CheckContext) -> Iterator[Problem]:
    for index, action in _live(ctx):
        if not action.text.strip():
            yield Problem(f"Action {index + 1} does not say what is to be done.", "actions", index)


@check("action.owner", Severity.BLOCKER, REQUIREMENT, "guidance 000")
def owner(ctx: CheckContext) -> Iterator[Problem]:
    for index, action in _live(ctx):
        if not action.owner.strip():
            yield Problem(f"Action {index + 1} has no named owner.", "actions", index)


@check("action.agency", Severity.BLOCKER, REQUIREMENT, "guidance 000")
def agency(ctx: CheckContext) -> Iterator[Problem]:
    for index, action in _live(ctx):
        if action.agency is None:
            yield Problem(f"Action {index + 1} has no agency.", "actions", index)


@check("action.due", Severity.BLOCKER, REQUIREMENT, "guidance 000")
def due(ctx: CheckContext) -> Iterator[Problem]:
    held = ctx.meeting.held_on
    for index, action in _live(ctx):
        if action.due is None:
            yield Problem(f"Action {index + 1} has no due date.", "actions", index)
        elif held is not None and action.due < held and action.status is ActionStatus.OPEN:
            yield Problem(
                f"Action {index + 1} is due {action.due:%d/%m/%Y}, before the discussion was held.",
                "actions",
                index,
                Severity.WARNING,
            )


@check(
    "action.plan",
    Severity.BLOCKER,
    "The discussion agrees who will do what by when.",
    "guidance 000, 002, 003",
)
def plan(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.actions:
        yield Problem("The action plan is empty: agree who will do what, by when.", "actions")
