"""What a check may look at: the meeting, its form, the local protocol and derived facts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from s47desk.deadlines import Deadline, meeting_deadlines
from s47desk.forms.definition import FormDefinition
from s47desk.protocol import Protocol
from s47desk.vocab import Agency, Attendance

if TYPE_CHECKING:
    from s47desk.models import Attendee, Meeting


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
    def deadlines(self) -> dict[str, Deadline]:
        return meeting_deadlines(self.meeting, self.protocol, self.form.implies_concerns)

    def present(self) -> list[Attendee]:
        return [a for a in self.meeting.attendees if a.attendance is Attendance.PRESENT]

    def of_agency(self, agency: Agency) -> list[Attendee]:
        return [a for a in self.meeting.attendees if a.agency is agency]
