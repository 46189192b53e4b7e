"""Readiness to sign: what the checks and the calendar say about one meeting, right now."""

from __future__ import annotations

from dataclasses import dataclass

from s47desk.checks import Finding, Severity, is_ready, run_checks
from s47desk.deadlines import Deadline, Timescales, meeting_timescales
from s47desk.errors import UserError
from s47desk.forms import FormDefinition
from s47desk.models import Meeting
from s47desk.protocol import Protocol


@dataclass(frozen=True)
class Readiness:
    """Readiness to sign: what the checks and the calendar say about one meeting."""

    findings: list[Finding]
    timescales: Timescales

    @property
    def deadlines(self) -> dict[str, Deadline]:
        """The deadlines that apply (each with a due date)."""
        return self.timescales.deadlines

    @property
    def ready(self) -> bool:
        return is_ready(self.findings)

    @property
    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.BLOCKER]


def readiness(meeting: Meeting, form: FormDefinition, protocol: Protocol) -> Readiness:
    """The findings of the form's checks and the meeting's deadlines."""
    return Readiness(
        run_checks(meeting, form, protocol),
        meeting_timescales(meeting, protocol, form),
    )


class NotReadyToSign(UserError):
    """Signing was refused: blockers remain."""

    def __init__(self, blockers: list[Finding]) -> None:
        self.blockers = blockers
        super().__init__(
            f"The record cannot be signed: {len(blockers)} blocker(s) remain, first: "
            f"{blockers[0].message}"
        )
