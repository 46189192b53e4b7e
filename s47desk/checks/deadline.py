"""Timeliness: a late strategy discussion or LADO notification is explained on the record."""

from __future__ import annotations

from collections.abc import Iterator

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check


@check(
    "deadline.late",
    Severity.BLOCKER,
    "A strategy discussion held after its timescale records why.",
    "guidance 000, 002, 004",
)
def late(ctx: CheckContext) -> Iterator[Problem]:
    meeting = ctx.meeting
    if meeting.held_at is None or meeting.late_reason.strip():
        return
    by = ctx.deadlines.get("strategy_discussion_by")
    if by is not None and meeting.held_at.date() > by.due:
        yield Problem(
            f"The discussion was held on {meeting.held_at:%d/%m/%Y}, after its deadline of "
            f"{by.due:%d/%m/%Y} ({by.basis}). Record the reason.",
            "meeting.late_reason",
        )
    whereabouts = ctx.deadlines.get("whereabouts_discussion_by")
    if whereabouts is not None and whereabouts.due_at and meeting.held_at > whereabouts.due_at:
        yield Problem(
            "The child's whereabouts are unknown and the discussion with the police was held "
            f"after {whereabouts.due_at:%d/%m/%Y %H:%M} ({whereabouts.basis}). Record the reason.",
            "meeting.late_reason",
        )


@check(
    "deadline.lado",
    Severity.WARNING,
    "The LADO is notified within 1 working day of the referral.",
    "guidance 000",
)
def lado(ctx: CheckContext) -> Iterator[Problem]:
    by = ctx.deadlines.get("lado_notification_by")
    notified = ctx.meeting.lado_notified_on
    if by is not None and notified is not None and notified > by.due:
        yield Problem(
            f"The LADO was notified on {notified:%d/%m/%Y}, after {by.due:%d/%m/%Y} ({by.basis}).",
            "meeting.lado_notified_on",
        )
