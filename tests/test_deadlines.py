"""Every deadline rule of the guidance, across bank holidays, and overridden by a local protocol."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from s47desk.deadlines import (
    DeadlineInputs,
    DeadlineState,
    _Found,
    compute_deadlines,
    compute_timescales,
    meeting_deadlines,
    meeting_timescales,
    next_deadline,
)
from s47desk.forms import FormRegistry
from s47desk.models import Decision, Meeting
from s47desk.protocol import Protocol, ProtocolError, load_protocol
from s47desk.vocab import Concern, Urgency
from s47desk.workdays import Region

DEFAULT = Protocol()
XMAS_EVE = date(2026, 12, 24)  # Thursday before Christmas


@pytest.mark.parametrize(
    ("urgency", "expected"),
    [
        (Urgency.SERIOUS_HARM, date(2026, 12, 24)),  # same day
        (Urgency.SEXUAL_ABUSE_FORENSIC, date(2026, 12, 24)),  # same day
        (Urgency.IMMEDIATE_ACTION, date(2026, 12, 29)),  # 1 WD over Christmas and Boxing Day
        (Urgency.CRITICAL_INCIDENT, date(2026, 12, 29)),
        (Urgency.STANDARD, date(2026, 12, 30)),  # 2 WD
        (Urgency.CUMULATIVE, date(2026, 12, 31)),  # 3 WD
        (Urgency.MISSING_72H, date(2026, 12, 31)),
        (Urgency.COMPLEX, date(2027, 1, 5)),  # 5 WD, New Year's Day skipped
    ],
)
def test_strategy_discussion_by_urgency(urgency: Urgency, expected: date) -> None:
    inputs = DeadlineInputs(referral=date(2026, 12, 21), identified=XMAS_EVE, urgency=urgency)
    deadline = compute_deadlines(inputs, DEFAULT)["strategy_discussion_by"]
    assert deadline.due == expected
    assert "Thu 24 December 2026" in deadline.basis


def test_without_identified_date_the_referral_date_is_used() -> None:
    inputs = DeadlineInputs(referral=date(2027, 3, 25))  # Thursday before Easter
    deadline = compute_deadlines(inputs, DEFAULT)["strategy_discussion_by"]
    assert deadline.due == date(2027, 3, 31)  # Good Friday and Easter Monday skipped
    assert "referral" in deadline.basis


def test_lado_clock_runs_from_when_professional_abuse_was_suspected() -> None:
    """Guidance 000: "Where professional abuse is suspected the LADO should be notified within
    1 working day" — from the suspicion, not the referral (late-May bank holiday skipped)."""
    plain = compute_deadlines(DeadlineInputs(referral=date(2027, 5, 28)), DEFAULT)
    assert "lado_notification_by" not in plain
    suspected = DeadlineInputs(
        referral=date(2027, 5, 20), allegation=True, abuse_suspected_on=date(2027, 5, 28)
    )
    deadline = compute_deadlines(suspected, DEFAULT)["lado_notification_by"]
    assert deadline.due == date(2027, 6, 1)  # Friday 28 May, spring bank holiday Monday 31 May
    assert "professional abuse was suspected (Fri 28 May 2027)" in deadline.basis
    on_time = replace(suspected, lado_notified_on=date(2027, 6, 1))
    late = replace(suspected, lado_notified_on=date(2027, 6, 2))
    today = date(2027, 6, 10)
    assert compute_deadlines(on_time, DEFAULT)["lado_notification_by"].status(today) is (
        DeadlineState.MET_ON_TIME
    )
    missed = compute_deadlines(late, DEFAULT)["lado_notification_by"]
    assert missed.status(today) is DeadlineState.MET_LATE and missed.late_by == "1 working day"


def test_without_the_date_abuse_was_suspected_the_lado_deadline_is_not_known() -> None:
    found = compute_timescales(DeadlineInputs(referral=date(2027, 5, 20), allegation=True), DEFAULT)
    assert "lado_notification_by" not in found.deadlines
    assert "first suspected" in found.not_known["lado_notification_by"]
    assert found.states(date(2027, 5, 21))["lado_notification_by"] is DeadlineState.NOT_KNOWN


def test_record_circulation_icpc_and_assessment() -> None:
    inputs = DeadlineInputs(
        referral=date(2026, 12, 9),
        held=date(2026, 12, 10),
        s47_decided=True,
        s47_initiated_here=True,
    )
    found = compute_deadlines(inputs, DEFAULT)
    assert found["record_circulation_by"].due == date(2026, 12, 11)
    assert found["icpc_by"].due == date(2027, 1, 5)
    # 45 working days from 9 Dec 2026, skipping Christmas, Boxing Day (observed) and New Year.
    assert found["assessment_by"].due == date(2027, 2, 15)
    assert found["strategy_discussion_by"].met


def test_a_not_substantiated_outcome_with_services_starts_the_planning_clock_not_the_icpc() -> None:
    """Guidance 000 4.1: a Child in Need Planning Meeting within 7 working days; no ICPC."""
    inputs = DeadlineInputs(
        referral=date(2026, 12, 9),
        held=date(2026, 12, 22),
        follow_up=True,
        initiating_on=date(2026, 12, 10),
        outcome="not_substantiated_cin",
        outcome_on=date(2026, 12, 22),
    )
    found = compute_timescales(inputs, DEFAULT)
    assert found.deadlines["cin_planning_by"].due == date(2027, 1, 5)  # 23, 24, 29-31 Dec, 4, 5 Jan
    assert "icpc_by" not in found.deadlines
    assert "not substantiated" in found.not_applicable["icpc_by"]
    substantiated = compute_timescales(replace(inputs, outcome="substantiated"), DEFAULT)
    assert substantiated.deadlines["icpc_by"].due == date(2027, 1, 5)
    assert "cin_planning_by" in substantiated.not_applicable


def test_no_planning_clock_without_a_section_47_outcome() -> None:
    """No enquiry, no "7 days after the section 47 outcome"."""
    m = Meeting(
        form_id="initial", referral_received=date(2026, 12, 9), held_at=datetime(2026, 12, 10, 9)
    )
    m.decisions = [Decision(kind="s47", choice="no", details={"alternative": "child_in_need"})]
    found = meeting_timescales(m, DEFAULT)
    assert "cin_planning_by" not in found.deadlines and "icpc_by" not in found.deadlines
    assert found.not_applicable["icpc_by"] == "no section 47 enquiry was initiated"


def test_deadlines_that_do_not_apply_are_left_out() -> None:
    found = compute_deadlines(DeadlineInputs(referral=date(2026, 12, 9)), DEFAULT)
    assert set(found) == {"strategy_discussion_by", "assessment_by"}


def test_whereabouts_unknown_of_a_child_under_enquiries_is_counted_in_hours() -> None:
    """Guidance 002: within 24 hours, "a strategy discussion/ meeting with the police"."""
    since = datetime(2026, 12, 24, 18, 30)
    inputs = DeadlineInputs(
        referral=date(2026, 12, 24), whereabouts_unknown_since=since, under_enquiries=True
    )
    deadline = compute_deadlines(inputs, DEFAULT)["whereabouts_discussion_by"]
    assert deadline.due_at == datetime(2026, 12, 25, 18, 30)  # 24 hours, Christmas or not
    assert deadline.as_json() == "2026-12-25T18:30"
    late = replace(inputs, held=date(2026, 12, 26), held_at=datetime(2026, 12, 26, 9, 0))
    missed = compute_deadlines(late, DEFAULT)["whereabouts_discussion_by"]
    assert missed.status(date(2026, 12, 26)) is DeadlineState.MET_LATE
    assert missed.late_by == "14 hours"


def test_a_missing_child_not_under_enquiries_has_no_24_hour_clock() -> None:
    """Guidance 000: a child missing 72 hours or longer: no later than 3 working days."""
    inputs = DeadlineInputs(
        referral=date(2026, 12, 24),
        urgency=Urgency.MISSING_72H,
        whereabouts_unknown_since=datetime(2026, 12, 21, 18, 30),
    )
    found = compute_timescales(inputs, DEFAULT)
    assert "whereabouts_discussion_by" not in found.deadlines
    assert "3 working days" in found.not_applicable["whereabouts_discussion_by"]
    assert found.deadlines["strategy_discussion_by"].due == date(2026, 12, 31)


def test_icpc_runs_from_the_discussion_that_initiated_section_47() -> None:
    initial = Meeting(
        form_id="initial", referral_received=date(2026, 12, 9), held_at=datetime(2026, 12, 10, 9)
    )
    initial.decisions = [Decision(kind="s47", choice="joint")]
    review = Meeting(
        form_id="review",
        referral_received=date(2026, 12, 9),
        held_at=datetime(2026, 12, 21, 9),
        initiating_meeting=initial,
    )
    review.decisions = [Decision(kind="s47", choice="joint")]
    assert meeting_deadlines(review, DEFAULT)["icpc_by"].due == date(2027, 1, 5)
    # Initiating discussion recorded outside s47desk: its date is entered instead.
    review.initiating_meeting = None
    review.initiating_held_on = date(2026, 12, 10)
    assert meeting_deadlines(review, DEFAULT)["icpc_by"].due == date(2027, 1, 5)


def test_a_review_without_the_initiating_date_shows_no_icpc_date(forms: FormRegistry) -> None:
    """A review "can be held at any point of the section 47 enquiry" (guidance 000): no clock
    of its own, and no conference date until the initiating discussion is known."""
    review = Meeting(
        form_id="review", referral_received=date(2026, 12, 1), held_at=datetime(2027, 1, 4, 9)
    )
    review.decisions = [Decision(kind="s47", choice="joint")]
    found = meeting_timescales(review, DEFAULT, forms.get("review"))
    assert "strategy_discussion_by" not in found.deadlines
    assert "any point" in found.not_applicable["strategy_discussion_by"]
    assert "icpc_by" not in found.deadlines
    assert "initiated section 47" in found.not_known["icpc_by"]


def test_met_deadlines_and_the_next_one() -> None:
    m = Meeting(
        form_id="lado",
        referral_received=date(2026, 12, 9),
        held_at=datetime(2026, 12, 10, 9),
        concerns=[Concern.PROFESSIONAL_ALLEGATION.value],
        abuse_suspected_on=date(2026, 12, 9),
        lado_notified_on=date(2026, 12, 9),
    )
    found = meeting_deadlines(m, DEFAULT)
    assert found["lado_notification_by"].met
    assert next_deadline(found).key == "record_circulation_by"  # type: ignore[union-attr]


def test_no_referral_date_means_no_deadlines() -> None:
    assert meeting_deadlines(Meeting(form_id="initial"), DEFAULT) == {}


def test_a_local_protocol_overrides_every_timescale(tmp_path: Path) -> None:
    path = tmp_path / "protocol.toml"
    path.write_text(
        """
[timescales]
record_circulation = 2
icpc = 10
assessment = 40
cin_planning = 5
lado_notification = 0
whereabouts_hours = 12

[strategy_discussion]
standard = 1

[calendar]
region = "scotland"
closure_days = [2026-12-29, 2026-12-30]

[record]
protective_marking = "OFFICIAL-SENSITIVE PERSONAL"
""",
        encoding="utf-8",
    )
    protocol = load_protocol(path)
    assert protocol.region is Region.SCOTLAND
    assert protocol.protective_marking == "OFFICIAL-SENSITIVE PERSONAL"
    inputs = DeadlineInputs(
        referral=date(2026, 12, 24),
        held=date(2026, 12, 24),
        allegation=True,
        abuse_suspected_on=date(2026, 12, 24),
        s47_decided=True,
        s47_initiated_here=True,
        outcome="not_substantiated_cin",
        outcome_on=date(2026, 12, 24),
        whereabouts_unknown_since=datetime(2026, 12, 24, 8, 0),
        under_enquiries=True,
    )
    found = compute_deadlines(inputs, protocol)
    assert found["strategy_discussion_by"].due == date(2026, 12, 31)  # closures 29th, 30th
    assert found["record_circulation_by"].due == date(2027, 1, 5)  # Scotland: 1, 2 (obs. 4) Jan
    assert found["lado_notification_by"].due == date(2026, 12, 24)
    assert found["whereabouts_discussion_by"].due_at == datetime(2026, 12, 24, 20, 0)
    assert found["cin_planning_by"].due == date(2027, 1, 8)
    assert "icpc_by" not in found  # not substantiated: no conference
    conference = compute_deadlines(replace(inputs, outcome="", outcome_on=None), protocol)
    assert conference["icpc_by"].due == date(2027, 1, 15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[timescales]\nicpc = -1\n", "timescales.icpc must be a whole number"),
        ("[timescales]\nicpc = true\n", "timescales.icpc must be a whole number"),
        ('[timescales]\nicpc = "15"\n', "timescales.icpc must be a whole number"),
        ("[timescales]\nconference = 15\n", "timescales.conference is not a timescale"),
        ("[strategy_discussion]\nurgent = 1\n", "strategy_discussion.urgent"),
        ('[calendar]\nregion = "wales"\n', "calendar.region"),
        ('[calendar]\nclosure_days = ["29/12/2026"]\n', "closure_days[0] must be a TOML date"),
        ("[colours]\nred = 1\n", "unknown section [colours]"),
        ("[timescales\n", "not valid TOML"),
        ('[record]\nprotective_marking = ""\n', "record.protective_marking"),
    ],
)
def test_bad_protocol_files_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "protocol.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProtocolError) as error:
        load_protocol(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_missing_protocol_file(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError, match="not found"):
        load_protocol(tmp_path / "nope.toml")


def test_a_review_discussion_has_no_strategy_discussion_clock_of_its_own() -> None:
    """The timescale belongs to the first discussion; a review held weeks later is not late."""
    review = Meeting(
        form_id="review",
        referral_received=date(2026, 12, 1),
        held_at=datetime(2026, 12, 21, 9),
        initiating_held_on=date(2026, 12, 2),
    )
    found = meeting_deadlines(review, DEFAULT)
    assert "strategy_discussion_by" not in found
    assert found["assessment_by"].due == date(2027, 2, 5)


@pytest.mark.parametrize(
    ("due", "today", "done_on", "expected"),
    [
        (date(2026, 11, 25), date(2026, 11, 23), None, "in 2 working days"),
        (date(2026, 11, 24), date(2026, 11, 23), None, "in 1 working day"),
        (date(2026, 11, 23), date(2026, 11, 23), None, "due today"),
        (date(2026, 11, 20), date(2026, 11, 23), None, "overdue by 1 working day"),
        (date(2026, 11, 18), date(2026, 11, 23), None, "overdue by 3 working days"),
        (date(2026, 11, 21), date(2026, 11, 22), None, "overdue since Saturday"),
        (date(2026, 11, 22), date(2026, 11, 21), None, "due Sunday"),
        (date(2026, 11, 18), date(2026, 11, 23), date(2026, 11, 18), "met on time"),
        (
            date(2026, 11, 18),
            date(2026, 11, 23),
            date(2026, 11, 20),
            "late: 2 working days after the deadline (no reason recorded)",
        ),
    ],
)
def test_deadline_state_in_working_days(
    due: date, today: date, done_on: date | None, expected: str
) -> None:
    found = _Found(DEFAULT)
    found.add("strategy_discussion_by", due, 0, "the referral was received", done_on)
    deadline = found.deadlines["strategy_discussion_by"]
    assert deadline.state(today, DEFAULT.calendar()) == expected


@pytest.mark.parametrize(
    ("due", "done_on", "late_by"),
    [
        (date(2026, 12, 24), date(2026, 12, 29), "1 working day"),  # Christmas, Boxing Day
        (date(2026, 12, 31), date(2027, 1, 4), "1 working day"),  # New Year's Day
        (date(2027, 3, 25), date(2027, 3, 30), "1 working day"),  # Good Friday, Easter Monday
        (date(2027, 5, 28), date(2027, 6, 1), "1 working day"),  # late-May bank holiday
        (date(2027, 8, 27), date(2027, 8, 31), "1 working day"),  # late-August bank holiday
        (date(2027, 8, 27), date(2027, 8, 30), "3 days"),  # on the holiday itself: still late
    ],
)
def test_a_deadline_met_late_never_reads_met(due: date, done_on: date, late_by: str) -> None:
    found = _Found(DEFAULT)
    found.add("record_circulation_by", due, 0, "the discussion", done_on, "Chair off sick")
    deadline = found.deadlines["record_circulation_by"]
    assert deadline.status(date(2027, 9, 1)) is DeadlineState.MET_LATE
    assert deadline.late_by == late_by and not deadline.met and deadline.done
    text = deadline.state(date(2027, 9, 1), DEFAULT.calendar())
    assert "met" not in text and late_by in text and "Chair off sick" in text


def test_every_deadline_has_one_state() -> None:
    found = compute_timescales(
        DeadlineInputs(referral=date(2027, 8, 26), held=date(2027, 8, 27)), DEFAULT
    )
    states = found.states(date(2027, 8, 31))
    assert states == {
        "strategy_discussion_by": DeadlineState.MET_ON_TIME,
        "record_circulation_by": DeadlineState.DUE,  # Fri 27 Aug + 1: Tue 31 Aug
        "icpc_by": DeadlineState.NOT_KNOWN,
        "cin_planning_by": DeadlineState.NOT_APPLICABLE,
        "assessment_by": DeadlineState.DUE,
    }
    assert found.deadlines["record_circulation_by"].due == date(2027, 8, 31)
