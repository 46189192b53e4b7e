"""Information sharing: every agency contributes, and each item says whether the family may see it."""

from __future__ import annotations

from collections.abc import Iterator

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check
from s47desk.vocab import Agency, Attendance, FamilySharing

POLICE_LED = frozenset({"reactive", "proactive"})


@check(
    "information.agency_missing",
    Severity.BLOCKER,
    "Each agency taking part shares what it knows, or makes an explicit nil return; the police "
    "share theirs whenever there is a criminal investigation or a joint enquiry: “the police "
    "should … help other organisations and agencies understand the reasons for concerns … by "
    "sharing information and analysis”.",
    "guidance 000 (the strategy meeting), 002 section 4, 003 section 5",
    fields=("information",),
)
def agency_missing(ctx: CheckContext) -> Iterator[Problem]:
    contributing = {
        a.agency
        for a in ctx.meeting.attendees
        if a.attendance in (Attendance.PRESENT, Attendance.APOLOGIES)
    }
    criminal = ctx.meeting.decision("criminal_investigation")
    s47 = ctx.meeting.decision("s47")
    police_led = criminal is not None and criminal.choice in POLICE_LED
    if police_led or (s47 is not None and s47.choice == "joint"):
        contributing.add(Agency.POLICE)
    shared = {i.agency for i in ctx.meeting.information if i.text.strip() or i.nil_return}
    for agency in sorted(contributing - shared, key=list(Agency).index):
        why = ""
        if agency is Agency.POLICE and not any(
            a.agency is Agency.POLICE and a.attendance is not Attendance.ABSENT
            for a in ctx.meeting.attendees
        ):
            why = " The police are absent, yet the plan relies on a police investigation."
        yield Problem(
            f"{agency.label} has shared no information and made no nil return.{why}",
            "information",
        )


@check(
    "information.family_reason",
    Severity.BLOCKER,
    "Information withheld from the family has its reason recorded: “information is not shared "
    "if this may jeopardise a police investigation or place the child at risk of harm”.",
    "guidance 002 section 3, 003 section 4.1, 001",
    fields=("information",),
)
def family_reason(ctx: CheckContext) -> Iterator[Problem]:
    for index, item in enumerate(ctx.meeting.information):
        if item.withheld and item.withhold_reason is None:
            yield Problem(
                f"Information item {index + 1} ({item.agency.label}) is not to be shared with the "
                "family, but no reason is recorded.",
                "information",
                index,
            )


@check(
    "information.family_undecided",
    Severity.WARNING,
    "It is decided, for each item, whether the family may be told it: “decide what "
    "information should be shared with the child and family”.",
    "guidance 002 section 3, 003 section 4.1",
    fields=("information",),
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
