"""When a field matters: the circumstances, as data, in which a form's field applies.

A field that matters only sometimes (the LADO's notification, the child's whereabouts, the
planned conference) says so here, so that the window shows it only then and the record prints
it only then; the checks that need it look at the same circumstances.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from s47desk.models import Meeting


@dataclass(frozen=True)
class OnlyWhen:
    """Exactly one circumstance: a concern is recorded (or implied by the form), a meeting flag
    is set, or a decision has one of some choices."""

    concern: str = ""
    flag: str = ""
    decision: str = ""
    choices: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        given = [bool(self.concern), bool(self.flag), bool(self.decision)]
        if sum(given) != 1:
            raise ValueError("OnlyWhen takes exactly one of concern, flag or decision")
        if bool(self.decision) != bool(self.choices):
            raise ValueError("OnlyWhen(decision=...) needs the choices it holds for")

    @property
    def depends_on(self) -> str:
        """The field whose value decides it: "meeting.concerns", "meeting.<flag>" or
        "decision.<key>" (a window shows or hides what depends on it as that changes)."""
        if self.concern:
            return "meeting.concerns"
        return f"meeting.{self.flag}" if self.flag else f"decision.{self.decision}"

    def holds(self, meeting: Meeting, concerns: Collection[str]) -> bool:
        """Whether the circumstance holds for *meeting*, whose concerns (with the form's
        implied ones) are *concerns*."""
        if self.concern:
            return self.concern in concerns
        if self.flag:
            return bool(getattr(meeting, self.flag))
        decision = meeting.decision(self.decision)
        return decision is not None and decision.choice in self.choices

    def describe(self) -> str:
        """For people: "when …"."""
        if self.concern:
            from s47desk.vocab import Concern

            return f"when the concern “{Concern(self.concern).label}” is recorded"
        if self.flag:
            return f"when “{self.flag.replace('_', ' ')}” is ticked"
        from s47desk.decisions import DECISION_BY_KEY

        kind = DECISION_BY_KEY[self.decision]
        labels = [o.label for o in kind.options if o.value in self.choices]
        return f"when “{kind.title}” is " + " or ".join(f"“{x}”" for x in labels)
