"""What a check may look at: the meeting, its form, the local protocol and derived facts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from s47desk.deadlines import Deadline, Timescales, meeting_timescales
from s47desk.decisions import SECTION_47_YES
from s47desk.forms.definition import FormDefinition
from s47desk.protocol import Protocol
from s47desk.vocab import Agency, Attendance, Concern

if TYPE_CHECKING:
    from s47desk.models import Attendee, Child, Meeting


@dataclass
class CheckContext:
    meeting: Meeting
    form: FormDefinition
    protocol: Protocol

    @cached_property
    def concerns(self) -> frozenset[str]:
        """The meeting's concern categories plus those its form implies (e.g. pre-birth)."""
        return frozenset(self.meeting.concerns) | self.form.implies_concerns

    @cached_property
    def timescales(self) -> Timescales:
        return meeting_timescales(self.meeting, self.protocol, self.form)

    @property
    def deadlines(self) -> dict[str, Deadline]:
        return self.timescales.deadlines

    @cached_property
    def circumstances(self) -> frozenset[str]:
        """The circumstances attendance rules depend on (s47desk.protocol.CIRCUMSTANCES)."""
        m = self.meeting
        found = {"always", *self.concerns}
        if any(c.unborn for c in m.children):
            found.add(Concern.PRE_BIRTH.value)
        if any(c.looked_after for c in m.children):
            found.add("looked_after")
        if m.access_refused:
            found.add("access_refused")
        if m.whereabouts_unknown_since is not None and (
            m.under_s47_enquiries or self.form.follow_up or m.initiating_meeting is not None
        ):
            found.add("whereabouts_unknown")
        return frozenset(found)

    @property
    def section_47(self) -> bool:
        """Section 47 enquiries are agreed (or continue) at this discussion."""
        s47 = self.meeting.decision("s47")
        return s47 is not None and s47.choice in SECTION_47_YES

    def children_to_see(self) -> list[Child]:
        """Every child in scope who can be seen (an unborn child cannot)."""
        return [c for c in self.meeting.children if c.can_be_seen]

    def present(self) -> list[Attendee]:
        return [a for a in self.meeting.attendees if a.attendance is Attendance.PRESENT]

    def of_agency(self, agency: Agency) -> list[Attendee]:
        return [a for a in self.meeting.attendees if a.agency is agency]
