"""What the family is told: only text written for them, confirmed by the chair at sign-off.

The family copy carries nothing else typed at the discussion (s47desk.record.family): working
notes, even a "when", can reveal what was withheld.
"""

from __future__ import annotations

from collections.abc import Iterator

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check
from s47desk.decisions import SHARED_WITH_FAMILY


@check(
    "family.summary",
    Severity.BLOCKER,
    "When information is to be shared with the family, the chair confirms the text written for "
    "them: “decide what information should be shared with the child and family (on the basis "
    "that information is not shared if this may jeopardise a police investigation or place "
    "the child at risk of harm)”.",
    "guidance 002 section 3 (tasks), 003 section 4.1, 001",
    fields=("meeting.family_summary", "meeting.family_summary_confirmed"),
)
def summary(ctx: CheckContext) -> Iterator[Problem]:
    decision = ctx.meeting.decision("family_information")
    if decision is None or decision.choice not in SHARED_WITH_FAMILY:
        return
    if not ctx.meeting.family_summary.strip():
        yield Problem(
            "Information is to be shared with the family, but “what the family will be told” "
            "is not written: the family copy carries only that text.",
            "meeting.family_summary",
        )
    elif not ctx.meeting.family_summary_confirmed:
        yield Problem(
            "The chair has not confirmed “what the family will be told”: read it back and "
            "confirm it is written for the family and may be shared.",
            "meeting.family_summary_confirmed",
        )
