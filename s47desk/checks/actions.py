"""The action plan: every action has a named owner, an agency and a timescale (guidance 000),
and the referrer and absent agencies are told the outcome (guidance 002, 003)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check
from s47desk.present import day
from s47desk.vocab import ActionCategory, ActionStatus, Agency, Attendance

if TYPE_CHECKING:
    from s47desk.models import Action

REQUIREMENT = "“All actions will include timescales, agency and individual responsibility.”"
SOURCE = "guidance 000 (the strategy meeting)"
ACTIONS = ("actions",)


def _live(ctx: CheckContext) -> Iterator[tuple[int, Action]]:
    for index, action in enumerate(ctx.meeting.actions):
        if action.status is not ActionStatus.CANCELLED:
            yield index, action


@check(
    "action.text", Severity.BLOCKER, "Every action says what is to be done.", SOURCE, fields=ACTIONS
)
def text(ctx: CheckContext) -> Iterator[Problem]:
    for index, action in _live(ctx):
        if not action.text.strip():
            yield Problem(f"Action {index + 1} does not say what is to be done.", "actions", index)


@check("action.owner", Severity.BLOCKER, REQUIREMENT, SOURCE, fields=ACTIONS)
def owner(ctx: CheckContext) -> Iterator[Problem]:
    for index, action in _live(ctx):
        if not action.owner.strip():
            yield Problem(f"Action {index + 1} has no named owner.", "actions", index)


@check("action.agency", Severity.BLOCKER, REQUIREMENT, SOURCE, fields=ACTIONS)
def agency(ctx: CheckContext) -> Iterator[Problem]:
    for index, action in _live(ctx):
        if action.agency is None:
            yield Problem(f"Action {index + 1} has no agency.", "actions", index)


@check("action.due", Severity.BLOCKER, REQUIREMENT, SOURCE, fields=ACTIONS)
def due(ctx: CheckContext) -> Iterator[Problem]:
    held = ctx.meeting.held_on
    for index, action in _live(ctx):
        if action.due is None:
            yield Problem(f"Action {index + 1} has no due date.", "actions", index)
        elif held is not None and action.due < held and action.status is ActionStatus.OPEN:
            yield Problem(
                f"Action {index + 1} is due {day(action.due)}, before the discussion was held.",
                "actions",
                index,
                Severity.WARNING,
            )


@check(
    "action.plan",
    Severity.BLOCKER,
    "“What immediate and short-term action is required to support the child, and who will do "
    "what by when.”",
    "guidance 002 section 3 (tasks), 003 section 4",
    fields=ACTIONS,
)
def plan(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.actions:
        yield Problem("The action plan is empty: agree who will do what, by when.", "actions")


def _planned(ctx: CheckContext, category: ActionCategory) -> bool:
    return any(a.category is category for _, a in _live(ctx))


@check(
    "action.inform_absent",
    Severity.BLOCKER,
    "“Notification, verbal or written, of the outcome of the enquiries … should be given to all "
    "the agencies who have been significantly involved”; the record is “circulated as soon as "
    "practicable to all parties to the discussion”.",
    "guidance 002 sections 3 and 8",
    fields=ACTIONS,
)
def inform_absent(ctx: CheckContext) -> Iterator[Problem]:
    """An absent agency learns the outcome by the circulated record (it needs an email address)
    or by an action to inform it."""
    if _planned(ctx, ActionCategory.INFORM_AGENCY):
        return
    unreached = [
        a
        for a in ctx.meeting.attendees
        if a.absent and a.agency is not Agency.REFERRER and not a.email.strip()
    ]
    for a in unreached:
        yield Problem(
            f"{a.name or a.agency.label} ({a.agency.label}) did not take part and has no email "
            "address for the record: add an “inform an absent agency” action, or their email.",
            "actions",
        )


@check(
    "action.inform_referrer",
    Severity.BLOCKER,
    "“Seek to communicate the outcome and rationale to the referring practitioner or agency”; "
    "“feedback about outcomes should be provided to non-professional referrers in a manner "
    "that respects the confidentiality and welfare of the child”.",
    "guidance 002 section 8 (outcomes; feedback from section 47 enquiries)",
    fields=ACTIONS,
)
def inform_referrer(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.referrer.strip():
        return  # details.referrer asks who it was
    took_part = any(
        a.agency is Agency.REFERRER and a.attendance is Attendance.PRESENT
        for a in ctx.meeting.attendees
    )
    if not took_part and not _planned(ctx, ActionCategory.INFORM_REFERRER):
        yield Problem(
            f"Nothing says who will tell the referrer ({ctx.meeting.referrer.strip()}) the "
            "outcome: add a “tell the referrer the outcome” action.",
            "actions",
        )
