"""A signed record must still say what the chair signed: checked on every open, list and check.

Not a rule a form chooses: it applies to every signed meeting, whatever its form.
"""

from __future__ import annotations

from collections.abc import Iterator

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import Problem, Severity, check

ALTERED = "record.altered"


@check(
    ALTERED,
    Severity.BLOCKER,
    "A signed record is never changed: its content still matches the chair's signed sign-off.",
    "guidance 002 section 10 (recording: “the responsible manager must countersign/authorise”)",
    fields=("signoff",),
)
def altered(ctx: CheckContext) -> Iterator[Problem]:
    if not ctx.meeting.is_locked:
        return
    from s47desk.signoff_check import check_signoff  # cryptography: only for signed meetings

    result = check_signoff(ctx.meeting)
    if not result.ok:
        yield Problem(f"Altered after signing: {result.summary}.", "signoff")
