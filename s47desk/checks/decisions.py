"""Decisions: each one made, with its rationale and the details its choice needs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import DECISIONS_ASKED, Check, Problem, Severity, check, register
from s47desk.decisions import DECISIONS, DecisionKind
from s47desk.present import day
from s47desk.vocab import ActionCategory, ActionStatus, Agency, ChildRole

if TYPE_CHECKING:
    from s47desk.models import Action, Child, Decision


def _gathered(ctx: CheckContext) -> Iterator[tuple[DecisionKind, Decision]]:
    """The decisions this form gathers that have been made."""
    fields = ctx.form.fields
    for kind in DECISIONS:
        decision = ctx.meeting.decision(kind.key)
        if f"decision.{kind.key}" in fields and decision is not None and decision.choice:
            yield kind, decision


def _undecided_check(kind: DecisionKind) -> Check:
    def run(ctx: CheckContext) -> Iterator[Problem]:
        if kind.only_when and not getattr(ctx.meeting, kind.only_when):
            return
        decision = ctx.meeting.decision(kind.key)
        if decision is None or kind.option(decision.choice) is None:
            yield Problem(f"{kind.title} is not decided: {kind.question}", f"decision.{kind.key}")

    return Check(
        kind.code,
        Severity.BLOCKER,
        f"The strategy discussion decides: {kind.question}",
        "guidance 000 (the strategy meeting), 002 sections 3, 6 and 7, 003 section 4",
        run,
        (f"decision.{kind.key}",),
    )


for _kind in DECISIONS:
    if _kind.required:
        register(_undecided_check(_kind))


@check(
    "decision.rationale",
    Severity.BLOCKER,
    "Every decision is recorded with its rationale.",
    "guidance 002 section 10 (recording: decision-making processes); domain notes",
    fields=(DECISIONS_ASKED,),
)
def rationale(ctx: CheckContext) -> Iterator[Problem]:
    for kind, decision in _gathered(ctx):
        if not decision.rationale.strip():
            yield Problem(
                f"{kind.title}: the decision has no rationale. Record why it was made.",
                f"decision.{kind.key}",
            )


def _missing_details(ctx: CheckContext, code: str) -> Iterator[Problem]:
    for kind, decision in _gathered(ctx):
        for detail in kind.details:
            if detail.code != code or decision.choice not in detail.required_for:
                continue
            if not str(decision.details.get(detail.key, "")).strip():
                option = kind.option(decision.choice)
                chosen = option.label if option else decision.choice
                yield Problem(
                    f"{kind.title}: “{chosen}” needs {detail.label.lower()}.",
                    f"decision.{kind.key}",
                )


@check(
    "decision.detail",
    Severity.BLOCKER,
    "A decision records what its choice needs: “agree the conduct and timing of any criminal "
    "investigation” and who leads it for the police; the alternative to section 47; who tells "
    "the family and when; the review date; who endorsed the section 47 outcome.",
    "guidance 000 (the strategy meeting; section 4), 002 section 3 (tasks), 003 section 4",
    fields=(DECISIONS_ASKED,),
)
def detail(ctx: CheckContext) -> Iterator[Problem]:
    yield from _missing_details(ctx, "decision.detail")


@check(
    "s47.lead_social_worker",
    Severity.BLOCKER,
    "“The Section 47 Enquiry and assessment must be led by a qualified social worker from "
    "Children's social care.”",
    "guidance 000 section 2, 002 section 4, 003 section 4",
    fields=("decision.s47",),
)
def lead_social_worker(ctx: CheckContext) -> Iterator[Problem]:
    yield from _missing_details(ctx, "s47.lead_social_worker")


SEE_CHILD = (
    "“Name of social worker who will visit the child and a timescale for any visits”; “all "
    "children within the household must be directly communicated with during Section 47 "
    "Enquiries by either the police or Children's Social Care or both agencies”."
)
HOUSEHOLD_ROLES = (ChildRole.SIBLING, ChildRole.HOUSEHOLD)


def _visits(ctx: CheckContext) -> list[Action]:
    return [
        a
        for a in ctx.meeting.actions
        if a.category is ActionCategory.SEE_CHILD
        and a.status is not ActionStatus.CANCELLED
        and a.due is not None
    ]


def _covers(ctx: CheckContext, action: Action, child: Child) -> bool:
    """An action covers the children it lists; one that lists none covers the only child who
    can be seen, when there is just one."""
    listed = action.children_in(ctx.meeting)
    if listed:
        return child in listed
    return ctx.children_to_see() == [child]


@check(
    "s47.see_child",
    Severity.BLOCKER,
    SEE_CHILD,
    "guidance 000 (the strategy meeting), 002 section 5 (the child)",
    fields=("actions",),
)
def see_child(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.section_47:
        return
    visits = _visits(ctx)
    for child in ctx.children_to_see():
        if child.seen or child.role not in (ChildRole.SUBJECT, *HOUSEHOLD_ROLES):
            continue
        name = child.name or "a child in scope"
        covering = [a for a in visits if _covers(ctx, a, child)]
        if child.role is ChildRole.SUBJECT:
            if not any(a.agency is Agency.SOCIAL_CARE for a in covering):
                yield Problem(
                    f"No action says which social worker will see {name}, and by when. Add a "
                    "“see the child” action for them, owned by the social worker (children's "
                    "social care), with a due date; or record that they were already seen "
                    "(when, by whom, alone or not and why).",
                    "actions",
                )
        elif not any(a.agency in (Agency.SOCIAL_CARE, Agency.POLICE) for a in covering):
            yield Problem(
                f"No action says who will speak with {name} (police or children's social care), "
                "and by when: “all children within the household must be directly "
                "communicated with”.",
                "actions",
            )


@check(
    "decision.legal_advice",
    Severity.BLOCKER,
    "“Before a child is seen or interviewed parental permission must be gained unless there "
    "are exceptional circumstances … In such circumstances, the social worker must take legal "
    "advice about how to proceed.”",
    "guidance 000 section 3",
    fields=("decision.legal",),
)
def legal_advice(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.permission_not_sought:
        return
    legal = ctx.meeting.decision("legal")
    if legal is None or legal.choice in ("", "not_required"):
        yield Problem(
            "Parental permission to see the child will not be sought, so the social worker "
            "“must take legal advice about how to proceed”: record the legal advice to be "
            "sought.",
            "decision.legal",
        )


@check(
    "outcome.icpc",
    Severity.BLOCKER,
    "Where concerns are substantiated, “convene an initial child protection conference … "
    "within 15 working days of … the strategy discussion at which section 47 enquiries were "
    "initiated”.",
    "guidance 000 section 4.2, 002 sections 8 and 9",
    fields=("meeting.icpc_planned_on",),
)
def icpc(ctx: CheckContext) -> Iterator[Problem]:
    planned = ctx.meeting.icpc_planned_on
    outcome = ctx.meeting.decision("s47_outcome")
    if planned is None:
        if outcome is not None and outcome.choice == "substantiated":
            yield Problem(
                "The concerns are substantiated: record when the initial child protection "
                "conference is planned.",
                "meeting.icpc_planned_on",
            )
        return
    by = ctx.deadlines.get("icpc_by")
    if by is not None and planned > by.due:
        yield Problem(
            f"The conference is planned for {day(planned)}, after {by.when()}: it “should take "
            "place within 15 working days” of the discussion that initiated section 47 "
            "enquiries.",
            "meeting.icpc_planned_on",
        )
    if not ctx.protocol.calendar().is_working_day(planned):
        yield Problem(
            f"The conference is planned for {day(planned)}, which is not a working day.",
            "meeting.icpc_planned_on",
            severity=Severity.WARNING,
        )


@check(
    "decision.dissent_escalation",
    Severity.WARNING,
    "A recorded dissent says how it is escalated.",
    "guidance 002 section 3 (outcomes: “in accordance with the Escalation Procedures”)",
    fields=("dissents",),
)
def dissent_escalation(ctx: CheckContext) -> Iterator[Problem]:
    for index, dissent in enumerate(ctx.meeting.dissents):
        if not dissent.escalation.strip():
            yield Problem(
                f"{dissent.name or 'An attendee'} disagrees with a decision, but how it will be "
                "escalated is not recorded.",
                "dissents",
                index,
            )
