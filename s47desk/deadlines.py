"""The statutory and local deadlines that run from a referral and a strategy discussion.

Each deadline has one state, defined here and nowhere else, that the window, the command line,
the record and ``check --json`` all show: met on time; met late (by how much, with the recorded
reason: never read as "met"); due; overdue; not applicable (with why); not known (with what is
missing). A deadline that cannot be worked out is never shown as a date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, cast

from s47desk.decisions import NOT_SUBSTANTIATED, SECTION_47_YES
from s47desk.present import weekday
from s47desk.protocol import Protocol
from s47desk.vocab import Concern, MeetingStatus, Urgency
from s47desk.workdays import WorkingCalendar

if TYPE_CHECKING:
    from s47desk.forms.definition import FormDefinition
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


class DeadlineState(StrEnum):
    """A deadline's state; the values are what ``check --json`` reports."""

    MET_ON_TIME = "met_on_time"
    MET_LATE = "met_late"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_APPLICABLE = "not_applicable"
    NOT_KNOWN = "not_known"

    @property
    def label(self) -> str:
        """The state's name for people: the window, the record and the command line."""
        return _STATE_LABELS[self]


_STATE_LABELS = {
    DeadlineState.MET_ON_TIME: "Met on time",
    DeadlineState.MET_LATE: "Met late",
    DeadlineState.DUE: "Due",
    DeadlineState.OVERDUE: "Overdue",
    DeadlineState.NOT_APPLICABLE: "Not applicable",
    DeadlineState.NOT_KNOWN: "Not known yet",
}


@dataclass(frozen=True)
class DeadlineInputs:
    """The facts a deadline depends on; each None (or empty) where not (yet) known."""

    referral: date
    identified: date | None = None
    held: date | None = None
    held_at: datetime | None = None
    urgency: Urgency = Urgency.STANDARD
    late_reason: str = ""
    allegation: bool = False
    abuse_suspected_on: date | None = None
    lado_notified_on: date | None = None
    whereabouts_unknown_since: datetime | None = None
    under_enquiries: bool = False  # the child is already subject to section 47 enquiries
    follow_up: bool = False  # a review: the initiating discussion's clock has run
    initiating_on: date | None = None  # for a follow-up: when section 47 was initiated
    s47_decided: bool = False  # this discussion has decided whether section 47 starts
    s47_initiated_here: bool = False
    outcome: str = ""  # the section 47 outcome recorded ("" none yet)
    outcome_on: date | None = None
    circulated: bool = False
    circulated_on: date | None = None
    assessment_over_reason: str = ""


@dataclass(frozen=True)
class Deadline:
    """A deadline that applies, with its due date and, once met, when and how late."""

    key: str
    label: str
    due: date
    basis: str
    due_at: datetime | None = None  # only for timescales counted in hours
    done_on: date | None = None  # when it was met (held, notified, circulated, decided)
    late_by: str = ""  # how late it was met ("2 working days", "5 hours"); "" on time
    reason: str = ""  # the reason recorded for lateness

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def met(self) -> bool:
        """Met on time (a deadline met late is not "met")."""
        return self.done and not self.late_by

    def status(self, today: date) -> DeadlineState:
        if self.done:
            return DeadlineState.MET_LATE if self.late_by else DeadlineState.MET_ON_TIME
        return DeadlineState.OVERDUE if today > self.due else DeadlineState.DUE

    def as_json(self) -> str:
        return self.due_at.isoformat(timespec="minutes") if self.due_at else self.due.isoformat()

    def detail(self, today: date, calendar: WorkingCalendar) -> str:
        """What follows the state's name: "by 2 working days" (overdue), "in 3 working days",
        "today" or "Sunday" (due), "1 working day after the deadline (reason: …)" (met late);
        "" when met on time."""
        status = self.status(today)
        if status is DeadlineState.MET_ON_TIME:
            return ""
        why = f"reason: {self.reason.strip()}" if self.reason.strip() else "no reason recorded"
        if status is DeadlineState.MET_LATE:
            return f"{self.late_by} after the deadline ({why})"
        if self.due == today:
            return "today"
        n = calendar.working_days_between(today, self.due)
        plural = "s" * (abs(n) != 1)
        if status is DeadlineState.DUE:
            return f"in {n} working day{plural}" if n else f"{self.due:%A}"
        overdue = f"by {-n} working day{plural}" if n else f"since {self.due:%A}"
        return overdue + (f" ({why})" if self.reason.strip() else "")

    def state(self, today: date, calendar: WorkingCalendar) -> str:
        """The state in words: "met on time", "late: 2 working days after the deadline (reason:
        …)", "due today", "in 3 working days", "overdue by 2 working days" (or, for a date that
        is not a working day, "due Sunday" / "overdue since Saturday")."""
        status, detail = self.status(today), self.detail(today, calendar)
        if status is DeadlineState.MET_ON_TIME:
            return "met on time"
        if status is DeadlineState.MET_LATE:
            return f"late: {detail}"
        if status is DeadlineState.DUE:
            return detail if detail.startswith("in ") else f"due {detail}"
        return f"overdue {detail}"

    def when(self) -> str:
        """The due date (and time, for an hours timescale) as people read it."""
        return weekday(self.due) + (f" {self.due_at:%H:%M}" if self.due_at else "")


def day_label(day: date) -> str:
    """E.g. "Thu 24 December 2026" (kept for the window's date fields)."""
    return weekday(day)


@dataclass(frozen=True)
class Timescales:
    """Every deadline considered: those that apply, and why the others do not (or not yet)."""

    deadlines: dict[str, Deadline]
    not_applicable: dict[str, str] = field(default_factory=dict)  # key -> why not
    not_known: dict[str, str] = field(default_factory=dict)  # key -> what is missing

    def states(self, today: date) -> dict[str, DeadlineState]:
        """Every deadline's state, keyed as in LABELS."""
        out = {k: d.status(today) for k, d in self.deadlines.items()}
        out |= {k: DeadlineState.NOT_APPLICABLE for k in self.not_applicable}
        out |= {k: DeadlineState.NOT_KNOWN for k in self.not_known}
        return {k: out[k] for k in LABELS if k in out}


def _late_by(calendar: WorkingCalendar, due: date, done: date) -> str:
    if done <= due:
        return ""
    n = calendar.working_days_between(due, done)
    if n == 0:  # met on a non-working day after the due date: late, though by no working day
        return f"{(done - due).days} day{'s' * ((done - due).days != 1)}"
    return f"{n} working day{'s' * (n != 1)}"


class _Found:
    """Deadlines being worked out for one set of inputs."""

    def __init__(self, protocol: Protocol) -> None:
        self.protocol = protocol
        self.calendar = protocol.calendar()
        self.deadlines: dict[str, Deadline] = {}
        self.not_applicable: dict[str, str] = {}
        self.not_known: dict[str, str] = {}

    def add(
        self,
        key: str,
        start: date,
        days: int,
        what: str,
        done_on: date | None = None,
        reason: str = "",
    ) -> None:
        due = self.calendar.add_working_days(start, days)
        when = "the same day as" if days == 0 else f"{days} working day{'s' * (days != 1)} after"
        late = _late_by(self.calendar, due, done_on) if done_on else ""
        self.deadlines[key] = Deadline(
            key,
            LABELS[key],
            due,
            f"{when} {what} ({weekday(start)})",
            done_on=done_on,
            late_by=late,
            reason=reason,
        )

    def timescales(self) -> Timescales:
        return Timescales(self.deadlines, self.not_applicable, self.not_known)


def compute_timescales(inputs: DeadlineInputs, protocol: Protocol) -> Timescales:
    """Every deadline for *inputs*: those that apply, and the reasons the others do not."""
    found = _Found(protocol)
    if inputs.follow_up:
        found.not_applicable["strategy_discussion_by"] = (
            "a follow-up strategy discussion can be held at any point of the section 47 "
            "enquiry (guidance 000)"
        )
    else:
        identified = inputs.identified or inputs.referral
        what = (
            "the referral was received"
            if inputs.identified is None
            else "child protection concerns were identified"
        )
        days = protocol.strategy_discussion_days[inputs.urgency]
        found.add("strategy_discussion_by", identified, days, what, inputs.held, inputs.late_reason)
    _whereabouts(inputs, found)
    if inputs.allegation:
        if inputs.abuse_suspected_on is None:
            found.not_known["lado_notification_by"] = (
                "record when professional abuse was first suspected: the LADO is notified "
                "within 1 working day of it (guidance 000)"
            )
        else:
            found.add(
                "lado_notification_by",
                inputs.abuse_suspected_on,
                protocol.lado_notification,
                "professional abuse was suspected",
                inputs.lado_notified_on,
            )
    if inputs.held is not None:
        if inputs.circulated and inputs.circulated_on is None:
            found.not_known["record_circulation_by"] = (
                "the record is circulated; when is in the circulation log of the database it "
                "was circulated from"
            )
        else:
            found.add(
                "record_circulation_by",
                inputs.held,
                protocol.record_circulation,
                "the discussion",
                inputs.circulated_on,
            )
    _conference(inputs, found)
    decided = inputs.outcome not in ("", "continue_assessment")
    found.add(
        "assessment_by",
        inputs.referral,
        protocol.assessment,
        "the referral was received",
        inputs.outcome_on if decided else None,
        inputs.assessment_over_reason,
    )
    return found.timescales()


def _whereabouts(inputs: DeadlineInputs, found: _Found) -> None:
    """Guidance 002: a child subject to section 47 enquiries whose whereabouts are unknown:
    a strategy discussion with the police within 24 hours. Otherwise a child missing 72 hours or
    more is "no later than 3 working days" (guidance 000), through the urgency."""
    since = inputs.whereabouts_unknown_since
    if since is None:
        return
    key = "whereabouts_discussion_by"
    if not (inputs.under_enquiries or inputs.follow_up):
        found.not_applicable[key] = (
            "the 24 hours are for a child subject to section 47 enquiries (guidance 002); a "
            "child missing 72 hours or longer: a strategy discussion no later than 3 working "
            "days (guidance 000)"
        )
        return
    hours = found.protocol.whereabouts_hours
    due_at = since + timedelta(hours=hours)
    late = ""
    if inputs.held_at is not None and inputs.held_at > due_at:
        late_hours = int((inputs.held_at - due_at).total_seconds() // 3600) or 1
        late = f"{late_hours} hour{'s' * (late_hours != 1)}"
    found.deadlines[key] = Deadline(
        key,
        LABELS[key],
        due_at.date(),
        f"{hours} hours after the child's whereabouts became unknown",
        due_at=due_at,
        done_on=inputs.held,
        late_by=late,
        reason=inputs.late_reason,
    )


def _conference(inputs: DeadlineInputs, found: _Found) -> None:
    """The ICPC (15 working days from the discussion that initiated section 47 enquiries) and
    the child in need planning meeting (7 working days after a not-substantiated outcome with
    section 17 services), as the section 47 outcome decides (guidance 000, 002)."""
    outcome, icpc = inputs.outcome, "the strategy discussion that initiated section 47 enquiries"
    if outcome in NOT_SUBSTANTIATED:
        found.not_applicable["icpc_by"] = (
            "the section 47 enquiry found the concerns not substantiated"
        )
    elif outcome == "continue_assessment":
        found.not_applicable["icpc_by"] = (
            "the outcome is to continue the child and family assessment"
        )
    elif inputs.follow_up:
        if inputs.initiating_on is None:
            found.not_known["icpc_by"] = (
                "record the date of the strategy discussion that initiated section 47 "
                "enquiries, or link it: the conference is due 15 working days from that "
                "discussion"
            )
        else:
            found.add("icpc_by", inputs.initiating_on, found.protocol.icpc, icpc)
    elif inputs.s47_initiated_here and inputs.held is not None:
        found.add("icpc_by", inputs.held, found.protocol.icpc, icpc)
    elif inputs.s47_decided:
        found.not_applicable["icpc_by"] = "no section 47 enquiry was initiated"
    else:
        found.not_known["icpc_by"] = (
            "until the discussion decides whether section 47 enquiries start"
        )
    if outcome == "not_substantiated_cin" and inputs.outcome_on is not None:
        found.add(
            "cin_planning_by",
            inputs.outcome_on,
            found.protocol.cin_planning,
            "the section 47 outcome of family support as a child in need",
        )
    else:
        found.not_applicable["cin_planning_by"] = (
            "only after a section 47 outcome of not substantiated with child in need services"
        )


def compute_deadlines(inputs: DeadlineInputs, protocol: Protocol) -> dict[str, Deadline]:
    """Every deadline that applies to *inputs*, keyed as in ``s47desk check --json``."""
    return compute_timescales(inputs, protocol).deadlines


def _form_facts(form: FormDefinition | frozenset[str]) -> tuple[frozenset[str], bool]:
    if isinstance(form, frozenset):
        return form, False
    return form.implies_concerns, form.follow_up


def meeting_inputs(
    meeting: Meeting, form: FormDefinition | frozenset[str] = frozenset()
) -> DeadlineInputs | None:
    """The deadline inputs a meeting records, or None until its referral date is entered.

    *form* is the meeting's form (or, from older callers, only the concerns it implies; then
    a follow-up discussion is known only by its link or initiating date)."""
    if meeting.referral_received is None:
        return None
    form_concerns, follow_up = _form_facts(form)
    concerns = set(meeting.concerns) | form_concerns
    s47 = meeting.decision("s47")
    initiating = meeting.initiating_meeting
    follow_up = follow_up or initiating is not None or meeting.initiating_held_on is not None
    initiating_on = initiating.held_on if initiating is not None else None
    outcome = meeting.decision("s47_outcome")
    chosen = outcome.choice if outcome is not None else ""
    return DeadlineInputs(
        referral=meeting.referral_received,
        identified=meeting.concerns_identified,
        held=meeting.held_on,
        held_at=meeting.held_at,
        urgency=meeting.urgency,
        late_reason=meeting.late_reason,
        allegation=Concern.PROFESSIONAL_ALLEGATION.value in concerns,
        abuse_suspected_on=meeting.abuse_suspected_on,
        lado_notified_on=meeting.lado_notified_on,
        whereabouts_unknown_since=meeting.whereabouts_unknown_since,
        under_enquiries=meeting.under_s47_enquiries,
        follow_up=follow_up,
        initiating_on=initiating_on or meeting.initiating_held_on,
        s47_decided=s47 is not None and bool(s47.choice),
        s47_initiated_here=s47 is not None and s47.choice in SECTION_47_YES,
        outcome=chosen,
        outcome_on=meeting.held_on if chosen else None,
        circulated=meeting.status is MeetingStatus.CIRCULATED,
        circulated_on=_circulated_on(meeting),
        assessment_over_reason=meeting.assessment_over_reason,
    )


def _circulated_on(meeting: Meeting) -> date | None:
    """The day the record was circulated: its last sending for this version (circulation log)."""
    if meeting.status is not MeetingStatus.CIRCULATED or meeting.id is None:
        return None
    if getattr(meeting, "read_as_rows", False):  # the list's plain rows carry it, read already
        return cast("date | None", getattr(meeting, "circulated_on", None))
    from sqlalchemy import func, inspect, select
    from sqlalchemy.orm import object_session

    if inspect(meeting, raiseerr=False) is None:  # the list's plain rows carry it read already
        return getattr(meeting, "circulated_on", None)

    from s47desk.models import Circulation

    session = object_session(meeting)
    if session is None:
        return None
    at = session.scalar(
        select(func.max(Circulation.at)).where(
            Circulation.meeting_id == meeting.id,
            Circulation.record_version == meeting.record_version,
            Circulation.method != "draft",
        )
    )
    return at.date() if at is not None else None


def meeting_timescales(
    meeting: Meeting, protocol: Protocol, form: FormDefinition | frozenset[str] = frozenset()
) -> Timescales:
    """Every deadline of a meeting considered: those that apply and why the others do not."""
    inputs = meeting_inputs(meeting, form)
    if inputs is None:
        return Timescales({}, not_known={"assessment_by": "record the referral date"})
    return compute_timescales(inputs, protocol)


def meeting_deadlines(
    meeting: Meeting, protocol: Protocol, form: FormDefinition | frozenset[str] = frozenset()
) -> dict[str, Deadline]:
    """The deadlines that apply to a meeting, with those already met marked."""
    return meeting_timescales(meeting, protocol, form).deadlines


def next_deadline(deadlines: dict[str, Deadline]) -> Deadline | None:
    """The earliest deadline not yet met (overdue ones come first by date)."""
    pending = [d for d in deadlines.values() if not d.done]
    return min(pending, key=lambda d: (d.due, d.key), default=None)
