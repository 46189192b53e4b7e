"""Information sharing: every agency contributes, and each item says whether the family may see it."""

from __future__ import annotations

from collections.abc import Iterator

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check
from s47desk.vocab import Agency, Attendance, FamilySharing


@check(
    "information.agency_missing",
    Severity.BLOCKER,
    "Each agency taking part shares what it knows, or makes an explicit nil return.",
    "guidance 000, 003",
)
def agency_missing(ctx: CheckContext) -> Iterator[Problem]:
    contributing = {
        a.agency
        for a in ctx.meeting.attendees
        if a.attendance in (Attendance.PRESENT, Attendance.APOLOGIES)
    }
    shared = {i.agency for i in ctx.meeting.information if i.text.strip() or i.nil_return}
    for agency in sorted(contributing - shared, key=list(Agency).index):
        yield Problem(
            f"{agency.label} has shared no information and made no nil return.",
            "information",
        )


@check(
    "information.family_reason",
    Severity.BLOCKER,
    "Information withheld from the family has its reason recorded (police investigation or "
    "risk to the child).",
    "guidance 000, 001, 003",
)
def family_reason(ctx: CheckContext) -> Iterator[Problem]:
    for index, item in enumerate(ctx.meeting.information):
        if item.family_sharing is FamilySharing.NO and item.withhold_reason is None:
            yield Problem(
                f"Information item {index + 1} ({item.agency.label}) is not to be shared with the "
                "family, but no reason is recorded.",
                "information",
                index,
            )


@check(
    "information.family_undecided",
    Severity.WARNING,
    "It is decided, for each item, whether the family may be told it.",
    "guidance 003",
)
def family_undecided(ctx: CheckContext) -> Iterator[Problem]:
    for index, item in enumerate(ctx.meeting.information):
        if item.family_sharing is FamilySharing.UNDECIDED and not item.nil_return:
            yield Problem(
                f"Information item {index + 1} ({item.agency.label}): not yet decided whether it "
                "may be shared with the family; it will be left out of the family copy.",
                "information",
                index,
            )
