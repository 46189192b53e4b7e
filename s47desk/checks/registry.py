"""The check registry: each guidance rule is one function registered under a stable code.

A check declares the fields it can report: a form that enables it must show them (checked when
the form is loaded), and the runner refuses a finding that points anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from s47desk.checks.context import CheckContext


class Severity(StrEnum):
    BLOCKER = "blocker"  # the record cannot be signed
    WARNING = "warning"  # the chair should look, but may sign


@dataclass(frozen=True)
class Problem:
    """What one check found: a message, and the field (and item) that puts it right."""

    message: str
    field: str
    item: int | None = None
    severity: Severity | None = None  # None: the check's own severity
    role: str = ""  # who is missing, as a protocol writes it ("health/midwifery"); "" none


CheckFunction = Callable[["CheckContext"], Iterable[Problem]]

#: In a check's fields: "any decision the form asks" (such a check looks only at those).
DECISIONS_ASKED = "decision.*"

#: Checks that apply whatever the form (found at the last step, where the record is signed).
ALWAYS = ("record.altered",)


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    requirement: str  # what the guidance requires, quoted, for `s47desk checks` and the docs
    source: str  # document and section
    run: CheckFunction
    fields: tuple[str, ...]  # every field a finding of this check can point at

    def __post_init__(self) -> None:
        if not self.fields:
            raise ValueError(f"check {self.code} declares no fields it can report")

    def reports(self, field_id: str) -> bool:
        return field_id in self.fields or (
            DECISIONS_ASKED in self.fields and field_id.startswith("decision.")
        )


CHECKS: dict[str, Check] = {}


def register(check: Check) -> Check:
    if check.code in CHECKS:
        raise ValueError(f"check {check.code} registered twice")
    CHECKS[check.code] = check
    return check


def check(
    code: str, severity: Severity, requirement: str, source: str, *, fields: tuple[str, ...]
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check *code*, reporting only *fields*."""

    def wrap(run: CheckFunction) -> CheckFunction:
        register(Check(code, severity, requirement, source, run, fields))
        return run

    return wrap
