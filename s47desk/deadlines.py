"""The statutory and local deadlines that run from a referral and a strategy discussion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from s47desk.decisions import SECTION_47_YES
from s47desk.protocol import Protocol
from s47desk.vocab import Concern, MeetingStatus, Urgency
from s47desk.workdays import WorkingCalendar

if TYPE_CHECKING:
    from s47desk.models import Meeting

LABELS: dict[str, str] = {
    "strategy_discussion_by": "Strategy discussion",
    "whereabouts_discussion_by": "Strategy discussion with police (whereabouts unknown)",
    "lado_notification_by": "LADO notified",
    "record_circulation_by": "Record circulated",
    "icpc_by": "Initial child protection conference (ICPC)",
    "cin_planning_by": "Child in need planning meeting",
    "assessment_by": "Assessment completed",
}


@dataclass(frozen=True)
class DeadlineInputs:
    """The dates a deadline depends on; each None where not (yet) known."""

    referral: date
    identified: date | None = None
    held: date | None = None
    urgency: Urgency = Urgency.STANDARD
    allegation: bool = False
    s47_initiated_on: date | None = None
    cin_outcome_on: date | None = None
    whereabouts_unknown_since: datetime | None = None
    follows_initiating: bool = False  # a review: the first discussion's clock has run


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    due: date
    basis: str
    due_at: datetime | None = None  # only for timescales counted in hours
    met: bool = False

    def as_json(self) -> str:
        return self.due_at.isoformat(timespec="minutes") if self.due_at else self.due.isoformat()

    def state(self, today: date, calendar: WorkingCalendar) -> str:
        """ "met", "due today", "in 3 working days", "overdue by 2 working days" (or, for a date
        that is not a working day, "due Sunday" / "overdue since Saturday")."""
        if self.met:
            return "met"
        if self.due == today:
            return "due today"
        n = calendar.working_days_between(today, self.due)
        plural = "s" * (abs(n) != 1)
        if self.due > today:
            return f"in {n} working day{plural}" if n else f"due {self.due:%A}"
        return f"overdue by {-n} working day{plural}" if n else f"overdue since {self.due:%A}"

    def when(self) -> str:
        """The due date (and time, for an hours timescale) as people read it."""
        return day_label(self.due) + (f" {self.due_at:%H:%M}" if self.due_at else "")


def day_label(day: date) -> str:
    """E.g. "Thu 24 Dec 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def compute_deadlines(inputs: DeadlineInputs, protocol: Protocol) -> dict[str, Deadline]:
    """Every deadline that applies to *inputs*, keyed as in ``s47desk check --json``."""
    calendar = protocol.calendar()
    out: dict[str, Deadline] = {}

    def add(key: str, start: date, days: int, what: str, met: bool = False) -> None:
        due = calendar.add_working_days(start, days)
        when = "the same day as" if days == 0 else f"{days} working day{'s' * (days != 1)} after"
        out[key] = Deadline(key, LABELS[key], due, f"{when} {what} ({day_label(start)})", met=met)

    identified = inputs.identified or inputs.referral
    urgency_days = protocol.strategy_discussion_days[inputs.urgency]
    what = (
        "the referral was received"
        if inputs.identified is None
        else "child protection concerns were identified"
    )
    if not inputs.follows_initiating:
        add("strategy_discussion_by", identified, urgency_days, what, met=inputs.held is not None)
    if inputs.whereabouts_unknown_since is not None:
        due_at = inputs.whereabouts_unknown_since + timedelta(hours=protocol.whereabouts_hours)
        out["whereabouts_discussion_by"] = Deadline(
            "whereabouts_discussion_by",
            LABELS["whereabouts_discussion_by"],
            due_at.date(),
            f"{protocol.whereabouts_hours} hours after the child's whereabouts became unknown",
            due_at=due_at,
            met=inputs.held is not None,
        )
    if inputs.allegation:
        add("lado_notification_by", inputs.referral, protocol.lado_notification, "the referral")
    if inputs.held is not None:
        add("record_circulation_by", inputs.held, protocol.record_circulation, "the discussion")
    if inputs.s47_initiated_on is not None:
        add(
            "icpc_by",
            inputs.s47_initiated_on,
            protocol.icpc,
            "the strategy discussion that initiated section 47 enquiries",
        )
    if inputs.cin_outcome_on is not None:
        add(
            "cin_planning_by",
            inputs.cin_outcome_on,
            protocol.cin_planning,
            "the section 47 outcome of child in need services",
        )
    add("assessment_by", inputs.referral, protocol.assessment, "the referral was received")
    return out


def meeting_inputs(
    meeting: Meeting, form_concerns: frozenset[str] = frozenset()
) -> DeadlineInputs | None:
    """The deadline inputs a meeting records, or None until its referral date is entered."""
    if meeting.referral_received is None:
        return None
    concerns = set(meeting.concerns) | form_concerns
    s47 = meeting.decision("s47")
    s47_here = s47 is not None and s47.choice in SECTION_47_YES
    initiating = meeting.initiating_meeting
    follows = initiating is not None or meeting.initiating_held_on is not None
    if initiating is not None and initiating.held_on is not None:
        initiated_on: date | None = initiating.held_on
    elif meeting.initiating_held_on is not None:
        initiated_on = meeting.initiating_held_on
    else:
        initiated_on = meeting.held_on if s47_here else None
    cin = (
        s47 is not None
        and s47.choice == "no"
        and s47.details.get("alternative") == "child_in_need"
        and meeting.held_on is not None
    )
    return DeadlineInputs(
        referral=meeting.referral_received,
        identified=meeting.concerns_identified,
        held=meeting.held_on,
        urgency=meeting.urgency,
        allegation=Concern.PROFESSIONAL_ALLEGATION.value in concerns,
        s47_initiated_on=initiated_on,
        cin_outcome_on=meeting.held_on if cin else None,
        whereabouts_unknown_since=meeting.whereabouts_unknown_since,
        follows_initiating=follows,
    )


def meeting_deadlines(
    meeting: Meeting, protocol: Protocol, form_concerns: frozenset[str] = frozenset()
) -> dict[str, Deadline]:
    """The deadlines of a meeting, with those already met marked (circulation, notification)."""
    inputs = meeting_inputs(meeting, form_concerns)
    if inputs is None:
        return {}
    found = compute_deadlines(inputs, protocol)
    marks = {
        "record_circulation_by": meeting.status is MeetingStatus.CIRCULATED,
        "lado_notification_by": meeting.lado_notified_on is not None,
    }
    for key, met in marks.items():
        if key in found and met:
            d = found[key]
            found[key] = Deadline(d.key, d.label, d.due, d.basis, d.due_at, met=True)
    return found


def next_deadline(deadlines: dict[str, Deadline]) -> Deadline | None:
    """The earliest deadline not yet met (overdue ones come first by date)."""
    pending = [d for d in deadlines.values() if not d.met]
    return min(pending, key=lambda d: (d.due, d.key), default=None)
