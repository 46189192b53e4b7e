"""Who must attend: the chair, the minimum agencies and those the case needs, as the local
protocol sets them (its defaults are the guidance's: s47desk.protocol.ATTENDANCE)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check
from s47desk.protocol import ATTENDANCE, AttendanceRule, Who
from s47desk.vocab import Agency, Attendance, Concern, Service

if TYPE_CHECKING:
    from s47desk.models import Attendee

B = Severity.BLOCKER
ATTENDEES = ("attendees",)

#: The guidance's named roles each have their own check (the window offers to add them); any
#: other role a local protocol requires is reported by attendance.required.
ROLE_CHECKS: dict[Who, str] = {
    Who(Agency.SOCIAL_CARE, Service.SOCIAL_WORKER): "attendance.social_worker",
    Who(Agency.HEALTH): "attendance.health",
    Who(Agency.POLICE): "attendance.police",
    Who(Agency.COMPLEX_SAFEGUARDING): "attendance.complex_safeguarding",
    Who(Agency.HEALTH, Service.MIDWIFERY): "attendance.midwifery",
}


def _matches(who: Who, a: Attendee) -> bool:
    return a.agency is who.agency and (who.service is None or a.service is who.service)


def _rules(ctx: CheckContext, code: str) -> dict[Who, list[AttendanceRule]]:
    """The protocol's rules that apply to this meeting and that check *code* reports, by role."""
    out: dict[Who, list[AttendanceRule]] = {}
    for rule in ctx.protocol.attendance:
        if rule.when in ctx.circumstances and ROLE_CHECKS.get(rule.who, "") == code:
            out.setdefault(rule.who, []).append(rule)
    return out


def _required(ctx: CheckContext, code: str) -> Iterator[Problem]:
    for who, rules in _rules(ctx, code).items():
        yield from _attendance(ctx, who, rules)


def _attendance(ctx: CheckContext, who: Who, rules: list[AttendanceRule]) -> Iterator[Problem]:
    """Nothing when someone matching is present. Otherwise, where an explained and escalated
    absence is enough, a warning once it is recorded; where it is not (*must_attend*), or until
    it is recorded, a blocker. The message quotes the requirement."""
    people = [a for a in ctx.meeting.attendees if _matches(who, a)]
    if any(a.attendance is Attendance.PRESENT for a in people):
        return
    must = [r for r in rules if r.must_attend]
    rule = must[0] if must else rules[0]
    why = f"{rule.requirement} ({rule.source})"
    explained = [a for a in people if a.absence_reason.strip() and a.escalation.strip()]
    index = ctx.meeting.attendees.index(people[0]) if people else None
    if must:
        state = "is not present" if people else "is not recorded"
        yield Problem(
            f"{who.label} {state}: an explained absence is not enough here. {why} The record "
            "cannot be signed until they take part: reconvene the discussion with them.",
            "attendees",
            index,
            role=who.token,
        )
    elif explained:
        a = explained[0]
        yield Problem(
            f"{who.label} is not present ({a.attendance.label.lower()}): reason and escalation "
            f"recorded. {why}",
            "attendees",
            ctx.meeting.attendees.index(a),
            Severity.WARNING,
            role=who.token,
        )
    elif people:
        yield Problem(
            f"{who.label} is not present and the reason or the escalation is not recorded. {why}",
            "attendees",
            index,
            role=who.token,
        )
    else:
        yield Problem(
            f"{who.label}: nobody is recorded. {why} Add them, or record why they are absent and how "
            "it was escalated.",
            "attendees",
            role=who.token,
        )


@check(
    "attendance.chair",
    B,
    "“A CSC team manager will chair the strategy meeting”; “convened and chaired by the "
    "relevant locality Children's Social Care Team Manager”.",
    "guidance 000 (the strategy meeting), 004 section 3",
    fields=("meeting.chair_name", "meeting.chair_is_team_manager"),
)
def chair(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.chair_name.strip():
        yield Problem(
            "No chair is recorded. “A CSC team manager will chair the strategy meeting.”",
            "meeting.chair_name",
        )
    if not ctx.meeting.chair_is_team_manager:
        yield Problem(
            "The chair is not recorded as a children's social care team manager. “A CSC team "
            "manager will chair the strategy meeting.”",
            "meeting.chair_is_team_manager",
        )


def _role_check(code: str, who: str) -> None:
    @check(
        code,
        B,
        f"{who} takes part as the local protocol requires (by default: {_defaults(code)}).",
        _sources(code),
        fields=ATTENDEES,
    )
    def run(ctx: CheckContext) -> Iterator[Problem]:
        yield from _required(ctx, code)


def _defaults(code: str) -> str:
    rules = [r for r in ATTENDANCE if ROLE_CHECKS.get(r.who) == code]
    return "; ".join(dict.fromkeys(r.requirement for r in rules))


def _sources(code: str) -> str:
    rules = [r for r in ATTENDANCE if ROLE_CHECKS.get(r.who) == code]
    return "; ".join(dict.fromkeys(r.source for r in rules))


for _code, _who in (
    ("attendance.social_worker", "A local authority social worker"),
    ("attendance.health", "Health"),
    ("attendance.police", "A police representative"),
    ("attendance.complex_safeguarding", "A worker from the complex safeguarding team"),
    ("attendance.midwifery", "Midwifery services"),
):
    _role_check(_code, _who)


@check(
    "attendance.required",
    B,
    "Every other agency the local protocol requires takes part (by default: the fostering or "
    "residential service of a looked-after child; legal representation where access to the "
    "child is refused or obstructed).",
    "guidance 002 sections 3 and 5, 003 section 1; the local protocol",
    fields=ATTENDEES,
)
def required(ctx: CheckContext) -> Iterator[Problem]:
    rules: dict[Who, list[AttendanceRule]] = {}
    for rule in ctx.protocol.attendance:
        if rule.when in ctx.circumstances and rule.who not in ROLE_CHECKS:
            rules.setdefault(rule.who, []).append(rule)
    for who, found in rules.items():
        yield from _attendance(ctx, who, found)


@check(
    "attendance.lado",
    B,
    "“Where professional abuse is suspected the LADO should be notified within 1 working day.”",
    "guidance 000 (when should a strategy meeting be convened?)",
    fields=("meeting.lado_notified_on",),
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
        "recorded as notified. “Where professional abuse is suspected the LADO should be "
        "notified within 1 working day.”",
        "meeting.lado_notified_on",
    )


@check(
    "attendance.absence_reason",
    Severity.WARNING,
    "Every absent or apologising agency has its reason recorded.",
    "guidance 003 section 5 (“making sure the relevant practitioner either attends or "
    "contributes relevant agency information”); domain notes (absences unrecorded)",
    fields=ATTENDEES,
)
def absence_reason(ctx: CheckContext) -> Iterator[Problem]:
    for index, a in enumerate(ctx.meeting.attendees):
        if a.absent and not a.absence_reason.strip():
            yield Problem(
                f"{a.name or a.agency.label} ({a.agency.label}) is recorded as "
                f"{a.attendance.label.lower()} with no reason.",
                "attendees",
                index,
            )


SENIORITY = "attendance.seniority"  # the window's "Senior enough" tick answers it


@check(
    SENIORITY,
    Severity.WARNING,
    "“All attendees should be sufficiently senior to make decisions on behalf of their "
    "organisation.”",
    "guidance 000 (the strategy meeting), 002 section 3, 003 section 3",
    fields=ATTENDEES,
)
def seniority(ctx: CheckContext) -> Iterator[Problem]:
    for index, a in enumerate(ctx.meeting.attendees):
        if a.attendance is Attendance.PRESENT and not a.senior_enough:
            yield Problem(
                f"{a.name or a.agency.label} ({a.agency.label}): not confirmed as “sufficiently "
                "senior to make decisions on behalf of their organisation”.",
                "attendees",
                index,
            )
