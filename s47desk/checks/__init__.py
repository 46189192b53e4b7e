"""Guidance checks: a pure function of a meeting that returns findings, each fixed at one step."""

from s47desk.checks import (  # noqa: F401  (importing registers the checks)
    actions,
    attendance,
    children,
    deadline,
    decisions,
    details,
    family,
    household,
    information,
    integrity,
)
from s47desk.checks.registry import CHECKS, Check, Severity
from s47desk.checks.runner import Finding, is_ready, run_checks

__all__ = ["CHECKS", "Check", "Finding", "Severity", "is_ready", "run_checks"]
