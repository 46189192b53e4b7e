"""The shape of a meeting form: its agenda steps, their prompts, fields and checks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    purpose: str
    prompts: tuple[str, ...]
    fields: tuple[str, ...]
    checks: tuple[str, ...]


@dataclass(frozen=True)
class FormDefinition:
    id: str
    version: int
    title: str
    summary: str
    steps: tuple[Step, ...]
    implies_concerns: frozenset[str] = frozenset()
    follow_up: bool = False  # a follow-up (review) discussion during section 47 enquiries
    source: str = ""  # the file it came from

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def step_for_check(self, code: str) -> Step | None:
        """The agenda step where the problem a check reports is put right."""
        return next((s for s in self.steps if code in s.checks), None)

    def step_for_field(self, field_id: str) -> Step | None:
        return next((s for s in self.steps if field_id in s.fields), None)

    @property
    def checks(self) -> frozenset[str]:
        return frozenset(code for s in self.steps for code in s.checks)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f for s in self.steps for f in s.fields)

    def asks(self, field_id: str) -> bool:
        """Whether this form shows *field_id* (a field the form does not ask is neither checked
        nor printed)."""
        return field_id in self.fields

    @property
    def decisions(self) -> tuple[str, ...]:
        """The keys of the decisions this form asks, in agenda order."""
        return tuple(f.removeprefix("decision.") for f in self.fields if f.startswith("decision."))
