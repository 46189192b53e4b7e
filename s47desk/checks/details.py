"""The meeting's own details: when and how it was held, and why."""

from __future__ import annotations

from collections.abc import Iterator

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check


@check(
    "details.held_at",
    Severity.BLOCKER,
    "The record says when the discussion was held.",
    "guidance 002",
)
def held_at(ctx: CheckContext) -> Iterator[Problem]:
    if ctx.meeting.held_at is None:
        yield Problem(
            "The date and time the discussion was held are not recorded.", "meeting.held_at"
        )


@check(
    "details.mode",
    Severity.BLOCKER,
    "The record says how the discussion was held (in person, virtual, telephone).",
    "guidance 002; domain notes (record templates)",
)
def mode(ctx: CheckContext) -> Iterator[Problem]:
    if ctx.meeting.mode is None:
        yield Problem("How the discussion was held is not recorded.", "meeting.mode")


@check(
    "details.referral",
    Severity.BLOCKER,
    "The date the referral was received is recorded: the assessment clock runs from it.",
    "guidance 000, 002",
)
def referral(ctx: CheckContext) -> Iterator[Problem]:
    if ctx.meeting.referral_received is None:
        yield Problem(
            "The date the referral was received is not recorded, so no deadline can be worked out.",
            "meeting.referral_received",
        )


@check(
    "details.reason",
    Severity.BLOCKER,
    "The record gives the reason for the discussion and the concerns.",
    "domain notes (record templates)",
)
def reason(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.reason.strip():
        yield Problem("The reason for the strategy discussion is not recorded.", "meeting.reason")
    if not ctx.concerns:
        yield Problem("No category of concern is recorded.", "meeting.concerns")


@check(
    "details.minute_taker", Severity.WARNING, "The record names its minute-taker.", "domain notes"
)
def minute_taker(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.minute_taker.strip():
        yield Problem("No minute-taker is recorded.", "meeting.minute_taker")
