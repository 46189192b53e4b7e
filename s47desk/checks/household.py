"""The family around the child: parents and carers, the person alleged, names checked, and
what happens if the plan fails."""

from __future__ import annotations

from collections.abc import Iterator

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check


@check(
    "household.parents",
    Severity.BLOCKER,
    "“The assessment should include both parents, any other carers such as grandparents and "
    "the partners of the parents, as applicable. Where a parent lives elsewhere but has "
    "contact with the child arrangements should be made for their involvement.”",
    "guidance 002 section 5 (the parents and other significant family members)",
    fields=("meeting.parents_carers",),
)
def parents(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.parents_carers.strip():
        yield Problem(
            "The parents and carers are not recorded: both parents (including one living "
            "elsewhere), other carers and the partners of the parents.",
            "meeting.parents_carers",
        )


@check(
    "household.identities_checked",
    Severity.BLOCKER,
    "“All records should be checked for the correct spelling of names and any alias as well "
    "as correct dates of birth.”",
    "guidance 002 section 10 (recording)",
    fields=("meeting.identities_checked",),
)
def identities_checked(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.identities_checked:
        yield Problem(
            "The spelling of names, any aliases and the dates of birth are not recorded as "
            "checked.",
            "meeting.identities_checked",
        )


@check(
    "plan.contingency",
    Severity.WARNING,
    "The record has a contingency plan: “suitable multi-agency arrangements must be put in "
    "place to safeguard the child until such time as the initial child protection conference "
    "has taken place”.",
    "guidance 002 section 8; domain notes (record templates: contingency)",
    fields=("meeting.contingency",),
)
def contingency(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.contingency.strip():
        yield Problem(
            "No contingency plan: what happens if the plan cannot be carried out or the risk "
            "changes?",
            "meeting.contingency",
        )
