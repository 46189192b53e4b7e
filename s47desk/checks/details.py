"""The meeting's own details: when and how it was held, and why."""

from __future__ import annotations

from collections.abc import Iterator

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check
from s47desk.present import duration


@check(
    "details.held_at",
    Severity.BLOCKER,
    "The record says when the discussion was held.",
    "guidance 002 section 10 (recording: strategy discussion/meeting notes)",
    fields=("meeting.held_at",),
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
    "guidance 002 section 3 (“for telephone strategy discussions, all agencies should make a "
    "record”); domain notes (record templates)",
    fields=("meeting.mode",),
)
def mode(ctx: CheckContext) -> Iterator[Problem]:
    if ctx.meeting.mode is None:
        yield Problem("How the discussion was held is not recorded.", "meeting.mode")


@check(
    "details.referral",
    Severity.BLOCKER,
    "The date the referral was received is recorded: the assessment is “no longer than 45 "
    "working days from the point of referral”.",
    "guidance 002 section 9, 003 section 4",
    fields=("meeting.referral_received",),
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
    "guidance 002 section 10 (“content of contact”); domain notes (record templates)",
    fields=("meeting.reason", "meeting.concerns"),
)
def reason(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.reason.strip():
        yield Problem("The reason for the strategy discussion is not recorded.", "meeting.reason")
    if not ctx.concerns:
        yield Problem("No category of concern is recorded.", "meeting.concerns")


@check(
    "details.minute_taker",
    Severity.WARNING,
    "The record names its minute-taker.",
    "domain notes (record templates)",
    fields=("meeting.minute_taker",),
)
def minute_taker(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.minute_taker.strip():
        yield Problem("No minute-taker is recorded.", "meeting.minute_taker")


@check(
    "details.ended_at",
    Severity.WARNING,
    "The record gives the time the discussion ended and its duration.",
    "guidance 002 section 10 (recording: strategy discussion/meeting notes); domain notes "
    "(record templates: date, time)",
    fields=("meeting.ended_at",),
)
def ended_at(ctx: CheckContext) -> Iterator[Problem]:
    m = ctx.meeting
    if m.ended_at is None:
        yield Problem("The time the discussion ended is not recorded.", "meeting.ended_at")
    elif m.held_at is not None and not duration(m.held_at, m.ended_at):
        yield Problem(
            "The discussion is recorded as ending before it started.",
            "meeting.ended_at",
            severity=Severity.BLOCKER,
        )


@check(
    "details.referrer",
    Severity.BLOCKER,
    "The record says who made the referral, so that they can be told the outcome: “seek to "
    "communicate the outcome and rationale to the referring practitioner or agency”.",
    "guidance 002 section 8; 000 (the strategy meeting: “the practitioner or agency which made "
    "the referral”)",
    fields=("meeting.referrer", "meeting.referrer_kind"),
)
def referrer(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.referrer.strip():
        yield Problem("Who made the referral is not recorded.", "meeting.referrer")
    elif ctx.meeting.referrer_kind is None:
        yield Problem(
            "Record whether the referrer is a practitioner or agency, or a member of the public "
            "or of the family: feedback to a non-professional “respects the confidentiality "
            "and welfare of the child”.",
            "meeting.referrer_kind",
        )
