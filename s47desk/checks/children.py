"""Children in scope: the subject child, siblings and others at risk, the child's voice, each
child's outcome beside the section 47 decision, and seeing every child."""

from __future__ import annotations

from collections.abc import Iterator

from s47desk import present
from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check
from s47desk.vocab import ChildOutcome, ChildRole

OTHER_ROLES = (ChildRole.SIBLING, ChildRole.HOUSEHOLD, ChildRole.CONTACT)
SUBJECT_ROLES = (ChildRole.SUBJECT, ChildRole.UNBORN)


@check(
    "children.subject",
    Severity.BLOCKER,
    "The record names the child it is about.",
    "guidance 002 section 10 (recording)",
    fields=("children",),
)
def subject(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.subject_children():
        yield Problem("No subject child (or unborn child) is recorded.", "children")
    for index, child in enumerate(ctx.meeting.children):
        if not child.name.strip():
            yield Problem(f"Child {index + 1} has no name.", "children", index)


@check(
    "children.other_children",
    Severity.BLOCKER,
    "“The scope of the enquiry, including siblings and other children at possible risk of harm.”",
    "guidance 000 (the strategy meeting; section 3), 002 section 2",
    fields=("meeting.other_children_note",),
)
def other_children(ctx: CheckContext) -> Iterator[Problem]:
    others = [c for c in ctx.meeting.children if c.role in OTHER_ROLES]
    if not others and not ctx.meeting.other_children_note.strip():
        yield Problem(
            "Other children have not been considered: add siblings, other children in the "
            "household and children in contact with the alleged abuser, or record that there are "
            "none.",
            "meeting.other_children_note",
        )


@check(
    "children.expected_date",
    Severity.WARNING,
    "An unborn child's expected date of delivery is recorded.",
    "guidance 002 section 3 (pre-birth strategy discussion)",
    fields=("children",),
)
def expected_date(ctx: CheckContext) -> Iterator[Problem]:
    for index, child in enumerate(ctx.meeting.children):
        if child.unborn and child.expected_date is None:
            yield Problem(
                f"Unborn child {child.name or index + 1}: no expected date.", "children", index
            )


@check(
    "children.outcome",
    Severity.WARNING,
    "Each child in scope has an outcome from the discussion.",
    "guidance 002 section 3 (outcomes); domain notes (record templates: outcome per child)",
    fields=("children",),
)
def outcome(ctx: CheckContext) -> Iterator[Problem]:
    for index, child in enumerate(ctx.meeting.children):
        if child.outcome is ChildOutcome.UNDECIDED:
            yield Problem(
                f"{child.name or 'Child ' + str(index + 1)}: no outcome recorded.",
                "children",
                index,
            )


@check(
    "children.outcome_consistent",
    Severity.BLOCKER,
    "Each child's outcome agrees with the section 47 decision: a subject child is in the "
    "section 47 enquiry the discussion starts; another child left out of it says why (“the "
    "scope of the enquiry, including siblings and other children at possible risk of harm”).",
    "guidance 000 (the strategy meeting), 002 section 3 (tasks)",
    fields=("children",),
)
def outcome_consistent(ctx: CheckContext) -> Iterator[Problem]:
    s47 = ctx.meeting.decision("s47")
    if s47 is None or not s47.choice:
        return
    for index, child in enumerate(ctx.meeting.children):
        name = present.child_name(child, index)
        if child.outcome is ChildOutcome.UNDECIDED:
            continue
        in_enquiry = child.outcome is ChildOutcome.SECTION_47
        if ctx.section_47 and not in_enquiry:
            if child.role in SUBJECT_ROLES:
                yield Problem(
                    f"{name}: outcome “{child.outcome.label}” beside a section 47 enquiry about "
                    "this child. Record the outcome the discussion reached.",
                    "children",
                    index,
                )
            elif not child.outcome_note.strip():
                yield Problem(
                    f"{name}: outcome “{child.outcome.label}” while a section 47 enquiry starts "
                    "for the household. Record why this child is outside its scope.",
                    "children",
                    index,
                )
        elif not ctx.section_47 and in_enquiry:
            yield Problem(
                f"{name}: outcome “Section 47 enquiry”, but the discussion decided that no "
                "section 47 enquiry is undertaken.",
                "children",
                index,
            )


@check(
    "children.seen_alone",
    Severity.BLOCKER,
    "“The Record of Section 47 Enquiry … should include the date(s) when the child was seen "
    "alone by the Lead Social Worker and, if not seen alone, who was present and the reasons "
    "for their presence.”",
    "guidance 000 section 3",
    fields=("children",),
)
def seen_alone(ctx: CheckContext) -> Iterator[Problem]:
    for index, child in enumerate(ctx.meeting.children):
        if child.seen_on is None:
            continue
        name = present.child_name(child, index)
        if not child.seen_by.strip():
            yield Problem(f"{name} was seen: record by whom.", "children", index)
        if child.seen_alone is None:
            yield Problem(f"{name} was seen: record whether alone.", "children", index)
        elif child.seen_with_others and not child.not_alone_reason.strip():
            yield Problem(
                f"{name} was not seen alone: record who was present and the reasons for their "
                "presence.",
                "children",
                index,
            )


@check(
    "child.voice",
    Severity.BLOCKER,
    "“How the child's wishes, feelings and lived experience will be ascertained.”",
    "guidance 000 (the strategy meeting), 002 section 5",
    fields=("meeting.child_voice_plan",),
)
def voice(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.children_to_see():  # an unborn child alone: represented, not asked
        return
    if not ctx.meeting.child_voice_plan.strip():
        yield Problem(
            "Nothing records “how the child's wishes, feelings and lived experience will be "
            "ascertained”.",
            "meeting.child_voice_plan",
        )
