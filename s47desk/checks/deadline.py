"""Timeliness: what was late is explained on the record, and the clocks can be worked out.

Every state comes from s47desk.deadlines (met on time, met late, due, overdue, not applicable,
not known), so a check never judges a deadline the window shows differently.
"""

from __future__ import annotations

from collections.abc import Iterator

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check
from s47desk.deadlines import DeadlineState
from s47desk.present import day, moment
from s47desk.vocab import Concern


@check(
    "deadline.late",
    Severity.BLOCKER,
    "A strategy discussion held after its timescale records why (“must be held within one "
    "working day”, “no later than 3 working days”, “within 2 working days”, “within a maximum "
    "of five working days”; with the police “within 24 hours” when a child subject to section "
    "47 enquiries is missing).",
    "guidance 000 (when should a strategy meeting be convened?), 002 section 5, 004 section 4",
    fields=("meeting.late_reason",),
)
def late(ctx: CheckContext) -> Iterator[Problem]:
    meeting = ctx.meeting
    if meeting.held_at is None or meeting.late_reason.strip():
        return
    today = meeting.held_at.date()
    by = ctx.deadlines.get("strategy_discussion_by")
    if by is not None and by.status(today) is DeadlineState.MET_LATE:
        yield Problem(
            f"The discussion was held on {day(meeting.held_at.date())}, {by.late_by} after its "
            f"deadline of {by.when()} ({by.basis}). Record the reason.",
            "meeting.late_reason",
        )
    whereabouts = ctx.deadlines.get("whereabouts_discussion_by")
    if whereabouts is not None and whereabouts.status(today) is DeadlineState.MET_LATE:
        yield Problem(
            "The child's whereabouts are unknown and the discussion with the police was held "
            f"{whereabouts.late_by} after {moment(whereabouts.due_at)} ({whereabouts.basis}). "
            "Record the reason.",
            "meeting.late_reason",
        )


@check(
    "deadline.lado",
    Severity.WARNING,
    "“Where professional abuse is suspected the LADO should be notified within 1 working day.”",
    "guidance 000 (when should a strategy meeting be convened?)",
    fields=("meeting.lado_notified_on",),
)
def lado(ctx: CheckContext) -> Iterator[Problem]:
    by = ctx.deadlines.get("lado_notification_by")
    notified = ctx.meeting.lado_notified_on
    if by is not None and notified is not None and by.late_by:
        yield Problem(
            f"The LADO was notified on {day(notified)}, {by.late_by} after {by.when()} "
            f"({by.basis}).",
            "meeting.lado_notified_on",
        )


@check(
    "lado.suspected_on",
    Severity.BLOCKER,
    "The LADO clock runs from when professional abuse was suspected: “where professional abuse "
    "is suspected the LADO should be notified within 1 working day”.",
    "guidance 000 (when should a strategy meeting be convened?)",
    fields=("meeting.abuse_suspected_on",),
)
def suspected_on(ctx: CheckContext) -> Iterator[Problem]:
    if Concern.PROFESSIONAL_ALLEGATION.value not in ctx.concerns:
        return
    if ctx.meeting.abuse_suspected_on is None:
        yield Problem(
            "A professional is alleged to have harmed a child: record when professional abuse "
            "was first suspected (the LADO is notified within 1 working day of it).",
            "meeting.abuse_suspected_on",
        )


@check(
    "deadline.assessment",
    Severity.BLOCKER,
    "“If … an assessment exceeds 45 working days, the Lead Practitioner should record the "
    "reasons for exceeding the time limit.”",
    "guidance 002 section 9, 000 section 2, 003 section 4",
    fields=("meeting.assessment_over_reason",),
)
def assessment(ctx: CheckContext) -> Iterator[Problem]:
    by = ctx.deadlines.get("assessment_by")
    held = ctx.meeting.held_on
    if by is None or held is None or ctx.meeting.assessment_over_reason.strip():
        return
    if held > by.due:
        yield Problem(
            f"The assessment has run past 45 working days from the referral ({by.when()}): "
            "record the reasons for exceeding the time limit.",
            "meeting.assessment_over_reason",
        )


@check(
    "review.initiating",
    Severity.BLOCKER,
    "A follow-up discussion names the strategy discussion that initiated section 47 enquiries: "
    "the conference is due “15 working days from the strategy discussion/meeting which "
    "initiated the Section 47 Enquiries”.",
    "guidance 002 section 9, 000 section 4.2",
    fields=("meeting.initiating_held_on",),
)
def initiating(ctx: CheckContext) -> Iterator[Problem]:
    if "icpc_by" in ctx.timescales.not_known and ctx.form.follow_up:
        yield Problem(
            "Record the date of the strategy discussion that initiated section 47 enquiries "
            "(or link it): until then no conference date can be worked out.",
            "meeting.initiating_held_on",
        )
