"""Decisions: each one made, with its rationale and the details its choice needs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Check, Problem, Severity, check, register
from s47desk.decisions import DECISIONS, SECTION_47_YES, DecisionKind
from s47desk.vocab import ActionCategory, ActionStatus

if TYPE_CHECKING:
    from s47desk.models import Decision


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
        "guidance 000, 002, 003",
        run,
    )


for _kind in DECISIONS:
    register(_undecided_check(_kind))


@check(
    "decision.rationale",
    Severity.BLOCKER,
    "Every decision is recorded with its rationale.",
    "guidance 002 (recording); domain notes (decisions without rationale)",
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
    "A decision records what its choice needs (conduct and police lead of an investigation, "
    "the alternative to section 47, who tells the family and when, review date).",
    "guidance 000, 002, 003",
)
def detail(ctx: CheckContext) -> Iterator[Problem]:
    yield from _missing_details(ctx, "decision.detail")


@check(
    "s47.lead_social_worker",
    Severity.BLOCKER,
    "Section 47 enquiries are led by a named, qualified social worker.",
    "guidance 000, 002, 003",
)
def lead_social_worker(ctx: CheckContext) -> Iterator[Problem]:
    yield from _missing_details(ctx, "s47.lead_social_worker")


@check(
    "s47.see_child",
    Severity.BLOCKER,
    "When section 47 enquiries start, a named social worker will see the child (alone unless "
    "contrary to their interests), with a timescale.",
    "guidance 000, 002",
)
def see_child(ctx: CheckContext) -> Iterator[Problem]:
    s47 = ctx.meeting.decision("s47")
    if s47 is None or s47.choice not in SECTION_47_YES:
        return
    planned = [
        a
        for a in ctx.meeting.actions
        if a.category is ActionCategory.SEE_CHILD
        and a.status is not ActionStatus.CANCELLED
        and a.due is not None
    ]
    if not planned:
        yield Problem(
            "Section 47 enquiries are agreed but no action says who will see the child, and by "
            "when. Add a “see the child” action with an owner and a due date.",
            "actions",
        )


@check(
    "decision.dissent_escalation",
    Severity.WARNING,
    "A recorded dissent says how it is escalated.",
    "guidance 002 (escalation procedures)",
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
