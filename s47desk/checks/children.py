"""Children in scope: the subject child, siblings and others at risk, and the child's voice."""

from __future__ import annotations

from collections.abc import Iterator

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check
from s47desk.vocab import ChildOutcome, ChildRole

OTHER_ROLES = (ChildRole.SIBLING, ChildRole.HOUSEHOLD, ChildRole.CONTACT)


@check(
    "children.subject", Severity.BLOCKER, "The record names the child it is about.", "guidance 002"
)
def subject(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.subject_children():
        yield Problem("No subject child (or unborn child) is recorded.", "children")
    for index, child in enumerate(ctx.meeting.children):
        if not child.name.strip():
            yield Problem(f"Child {index + 1} has no name.", "children", index)


@check(
    "children.other_children",
    Severity.BLOCKER,
    "The scope covers siblings, other children in the household and children in contact with "
    "the alleged abuser.",
    "guidance 000, 002",
)
def other_children(ctx: CheckContext) -> Iterator[Problem]:
    others = [c for c in ctx.meeting.children if c.role in OTHER_ROLES]
    if not others and not ctx.meeting.other_children_note.strip():
        yield Problem(
            "Other children have not been considered: add siblings, other children in the "
            "household and children in contact with the alleged abuser, or record that there are "
            "none.",
            "meeting.other_children_note",
        )


@check(
    "children.expected_date",
    Severity.WARNING,
    "An unborn child's expected date of delivery is recorded.",
    "guidance 002 (pre-birth)",
)
def expected_date(ctx: CheckContext) -> Iterator[Problem]:
    for index, child in enumerate(ctx.meeting.children):
        if child.role is ChildRole.UNBORN and child.expected_date is None:
            yield Problem(
                f"Unborn child {child.name or index + 1}: no expected date.", "children", index
            )


@check(
    "children.outcome",
    Severity.WARNING,
    "Each child in scope has an outcome from the discussion.",
    "domain notes (record templates: outcome per child)",
)
def outcome(ctx: CheckContext) -> Iterator[Problem]:
    for index, child in enumerate(ctx.meeting.children):
        if child.outcome is ChildOutcome.UNDECIDED:
            yield Problem(
                f"{child.name or 'Child ' + str(index + 1)}: no outcome recorded.",
                "children",
                index,
            )


@check(
    "child.voice",
    Severity.BLOCKER,
    "The discussion agrees how the child's wishes, feelings and lived experience will be "
    "ascertained.",
    "guidance 000, 002",
)
def voice(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.child_voice_plan.strip():
        yield Problem(
            "Nothing records how the child's wishes, feelings and lived experience will be "
            "ascertained.",
            "meeting.child_voice_plan",
        )
