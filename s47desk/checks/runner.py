"""Run the checks a meeting's form lists and report findings in agenda order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from s47desk.checks.context import CheckContext
from s47desk.checks.registry import ALWAYS, CHECKS, Severity
from s47desk.forms.definition import FormDefinition
from s47desk.protocol import Protocol

if TYPE_CHECKING:
    from s47desk.models import Meeting


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    step: str
    field: str
    item: int | None = None
    #: For an attendance finding, the role that is missing ("social_care/fostering_residential",
    #: as s47desk.protocol.Who writes it), so the window can offer to add exactly that role.
    role: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "step": self.step,
            "field": self.field,
            "item": self.item,
        }


__all__ = ["ALWAYS", "Finding", "is_ready", "run_checks"]


class CheckContractError(RuntimeError):
    """A check reported a field it did not declare, or one its form does not show: a bug."""


def run_checks(meeting: Meeting, form: FormDefinition, protocol: Protocol) -> list[Finding]:
    """Findings for *meeting*, step by step in agenda order; the meeting is not changed."""
    context = CheckContext(meeting, form, protocol)
    findings: list[Finding] = []
    last = form.steps[-1].id
    plan = [(step.id, step.checks) for step in form.steps] + [(last, ALWAYS)]
    for step_id, codes in plan:
        for code in codes:
            check = CHECKS[code]
            for problem in check.run(context):
                if not check.reports(problem.field) or problem.field not in form.fields:
                    raise CheckContractError(
                        f"{code} reported {problem.field!r}, which it does not declare or "
                        f"form {form.id!r} does not show"
                    )
                findings.append(
                    Finding(
                        code=code,
                        severity=problem.severity or check.severity,
                        message=problem.message,
                        step=step_id,
                        field=problem.field,
                        item=problem.item,
                        role=problem.role,
                    )
                )
    return findings


def is_ready(findings: list[Finding]) -> bool:
    """A meeting can be signed only when no blocker remains."""
    return not any(f.severity is Severity.BLOCKER for f in findings)
