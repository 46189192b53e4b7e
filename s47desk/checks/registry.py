"""The check registry: each guidance rule is one function registered under a stable code."""

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


CheckFunction = Callable[["CheckContext"], Iterable[Problem]]


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    requirement: str  # what the guidance requires, for `s47desk checks` and the docs
    source: str
    run: CheckFunction


CHECKS: dict[str, Check] = {}


def register(check: Check) -> Check:
    if check.code in CHECKS:
        raise ValueError(f"check {check.code} registered twice")
    CHECKS[check.code] = check
    return check


def check(
    code: str, severity: Severity, requirement: str, source: str
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check *code*."""

    def wrap(run: CheckFunction) -> CheckFunction:
        register(Check(code, severity, requirement, source, run))
        return run

    return wrap
