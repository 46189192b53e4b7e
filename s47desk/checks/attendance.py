"""Who must attend: the minimum agencies and those the case needs (guidance 000, 002, 003, 004)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check
from s47desk.vocab import Agency, Attendance, ChildRole, Concern, Service

if TYPE_CHECKING:
    from s47desk.models import Attendee

B = Severity.BLOCKER


def _attendance(
    ctx: CheckContext, who: str, why: str, matches: Callable[[Attendee], bool]
) -> Iterator[Problem]:
    """Nothing when someone matching is present; a warning once an absence is explained and
    escalated; otherwise a blocker."""
    people = [a for a in ctx.meeting.attendees if matches(a)]
    if any(a.attendance is Attendance.PRESENT for a in people):
        return
    explained = [a for a in people if a.absence_reason.strip() and a.escalation.strip()]
    if explained:
        a = explained[0]
        yield Problem(
            f"{who} is not present ({a.attendance.label.lower()}): reason and escalation recorded. "
            f"{why}",
            "attendees",
            ctx.meeting.attendees.index(a),
            Severity.WARNING,
        )
        return
    if people:
        yield Problem(
            f"{who} is not present and the reason or the escalation is not recorded. {why}",
            "attendees",
            ctx.meeting.attendees.index(people[0]),
        )
    else:
        yield Problem(
            f"No {who.lower()} is recorded. {why} Add them, or record why they are absent "
            "and how it was escalated.",
            "attendees",
        )


@check(
    "attendance.chair",
    B,
    "A children's social care team manager chairs the strategy discussion.",
    "guidance 000, 004",
)
def chair(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.chair_name.strip():
        yield Problem(
            "No chair is recorded. A children's social care team manager chairs the strategy "
            "discussion.",
            "meeting.chair_name",
        )


MINIMUM = "The guidance requires a local authority social worker, health and police as a minimum."


@check(
    "attendance.social_worker",
    B,
    "A local authority social worker attends.",
    "guidance 000, 002, 003",
)
def social_worker(ctx: CheckContext) -> Iterator[Problem]:
    yield from _attendance(
        ctx,
        "A local authority social worker",
        MINIMUM,
        lambda a: a.agency is Agency.SOCIAL_CARE and a.service is Service.SOCIAL_WORKER,
    )


@check("attendance.health", B, "Health practitioners attend.", "guidance 000, 002, 003")
def health(ctx: CheckContext) -> Iterator[Problem]:
    yield from _attendance(ctx, "Health", MINIMUM, lambda a: a.agency is Agency.HEALTH)


@check("attendance.police", B, "A police representative attends.", "guidance 000, 002, 003")
def police(ctx: CheckContext) -> Iterator[Problem]:
    yield from _attendance(ctx, "Police", MINIMUM, lambda a: a.agency is Agency.POLICE)


EXPLOITATION = {Concern.EXPLOITATION.value, Concern.TRAFFICKING.value}


@check(
    "attendance.complex_safeguarding",
    B,
    "Where a child is at risk of exploitation, a complex safeguarding worker always attends.",
    "guidance 000",
)
def complex_safeguarding(ctx: CheckContext) -> Iterator[Problem]:
    if ctx.concerns & EXPLOITATION:
        yield from _attendance(
            ctx,
            "A complex safeguarding worker",
            "Where a child is at risk of exploitation, a worker from the complex safeguarding "
            "team should always attend.",
            lambda a: a.agency is Agency.COMPLEX_SAFEGUARDING,
        )


@check(
    "attendance.midwifery",
    B,
    "A pre-birth strategy discussion involves midwifery services.",
    "guidance 002",
)
def midwifery(ctx: CheckContext) -> Iterator[Problem]:
    unborn = any(c.role is ChildRole.UNBORN for c in ctx.meeting.children)
    if Concern.PRE_BIRTH.value in ctx.concerns or unborn:
        yield from _attendance(
            ctx,
            "Midwifery",
            "A pre-birth strategy discussion should involve the midwifery services.",
            lambda a: a.agency is Agency.HEALTH and a.service is Service.MIDWIFERY,
        )


@check(
    "attendance.lado",
    B,
    "Where a professional is alleged to have harmed, the LADO attends or is notified within 1 "
    "working day.",
    "guidance 000",
)
def lado(ctx: CheckContext) -> Iterator[Problem]:
    if Concern.PROFESSIONAL_ALLEGATION.value not in ctx.concerns:
        return
    if ctx.meeting.lado_notified_on is not None:
        return
    if any(
        a.agency is Agency.LADO and a.attendance is Attendance.PRESENT
        for a in ctx.meeting.attendees
    ):
        return
    yield Problem(
        "A professional is alleged to have harmed a child, and the LADO is neither present nor "
        "recorded as notified. The LADO should be notified within 1 working day.",
        "meeting.lado_notified_on",
    )


@check(
    "attendance.absence_reason",
    Severity.WARNING,
    "Every absent or apologising agency has its reason recorded.",
    "guidance 003; domain notes (absences unrecorded)",
)
def absence_reason(ctx: CheckContext) -> Iterator[Problem]:
    for index, a in enumerate(ctx.meeting.attendees):
        if a.attendance is not Attendance.PRESENT and not a.absence_reason.strip():
            yield Problem(
                f"{a.name or a.agency.label} ({a.agency.label}) is recorded as "
                f"{a.attendance.label.lower()} with no reason.",
                "attendees",
                index,
            )
