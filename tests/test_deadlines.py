"""Every deadline rule of the guidance, across bank holidays, and overridden by a local protocol."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from s47desk.deadlines import (
    Deadline,
    DeadlineInputs,
    compute_deadlines,
    meeting_deadlines,
    next_deadline,
)
from s47desk.models import Decision, Meeting
from s47desk.protocol import Protocol, ProtocolError, load_protocol
from s47desk.vocab import Concern, MeetingStatus, Urgency
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
    assert "Thu 24 Dec 2026" in deadline.basis


def test_without_identified_date_the_referral_date_is_used() -> None:
    inputs = DeadlineInputs(referral=date(2027, 3, 25))  # Thursday before Easter
    deadline = compute_deadlines(inputs, DEFAULT)["strategy_discussion_by"]
    assert deadline.due == date(2027, 3, 31)  # Good Friday and Easter Monday skipped
    assert "referral" in deadline.basis


def test_lado_notification_only_for_an_allegation_against_a_professional() -> None:
    plain = compute_deadlines(DeadlineInputs(referral=date(2027, 5, 28)), DEFAULT)
    assert "lado_notification_by" not in plain
    alleged = compute_deadlines(
        DeadlineInputs(referral=date(2027, 5, 28), allegation=True), DEFAULT
    )
    assert alleged["lado_notification_by"].due == date(2027, 6, 1)  # late-May Monday skipped


def test_record_circulation_icpc_cin_and_assessment() -> None:
    inputs = DeadlineInputs(
        referral=date(2026, 12, 9),
        held=date(2026, 12, 10),
        s47_initiated_on=date(2026, 12, 10),
        cin_outcome_on=date(2026, 12, 22),
    )
    found = compute_deadlines(inputs, DEFAULT)
    assert found["record_circulation_by"].due == date(2026, 12, 11)
    assert found["icpc_by"].due == date(2027, 1, 5)
    assert found["cin_planning_by"].due == date(2027, 1, 5)  # 23, 24, 29, 30, 31 Dec, 4, 5 Jan
    # 45 working days from 9 Dec 2026, skipping Christmas, Boxing Day (observed) and New Year.
    assert found["assessment_by"].due == date(2027, 2, 15)
    assert found["strategy_discussion_by"].met


def test_deadlines_that_do_not_apply_are_left_out() -> None:
    found = compute_deadlines(DeadlineInputs(referral=date(2026, 12, 9)), DEFAULT)
    assert set(found) == {"strategy_discussion_by", "assessment_by"}


def test_whereabouts_unknown_is_counted_in_hours() -> None:
    since = datetime(2026, 12, 24, 18, 30)
    inputs = DeadlineInputs(referral=date(2026, 12, 24), whereabouts_unknown_since=since)
    deadline = compute_deadlines(inputs, DEFAULT)["whereabouts_discussion_by"]
    assert deadline.due_at == datetime(2026, 12, 25, 18, 30)  # 24 hours, Christmas or not
    assert deadline.as_json() == "2026-12-25T18:30"


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


def test_child_in_need_outcome_starts_the_planning_clock() -> None:
    m = Meeting(
        form_id="initial", referral_received=date(2026, 12, 9), held_at=datetime(2026, 12, 10, 9)
    )
    m.decisions = [Decision(kind="s47", choice="no", details={"alternative": "child_in_need"})]
    found = meeting_deadlines(m, DEFAULT)
    assert found["cin_planning_by"].due == date(2026, 12, 21)
    assert "icpc_by" not in found


def test_met_deadlines_and_the_next_one() -> None:
    m = Meeting(
        form_id="lado",
        referral_received=date(2026, 12, 9),
        held_at=datetime(2026, 12, 10, 9),
        concerns=[Concern.PROFESSIONAL_ALLEGATION.value],
        lado_notified_on=date(2026, 12, 9),
    )
    found = meeting_deadlines(m, DEFAULT)
    assert found["lado_notification_by"].met
    assert next_deadline(found).key == "record_circulation_by"
    m.status = MeetingStatus.CIRCULATED
    assert next_deadline(meeting_deadlines(m, DEFAULT)).key == "assessment_by"


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
        s47_initiated_on=date(2026, 12, 24),
        cin_outcome_on=date(2026, 12, 24),
        whereabouts_unknown_since=datetime(2026, 12, 24, 8, 0),
    )
    found = compute_deadlines(inputs, protocol)
    assert found["strategy_discussion_by"].due == date(2026, 12, 31)  # closures 29th, 30th
    assert found["record_circulation_by"].due == date(2027, 1, 5)  # Scotland: 1, 2 (obs. 4) Jan
    assert found["lado_notification_by"].due == date(2026, 12, 24)
    assert found["whereabouts_discussion_by"].due_at == datetime(2026, 12, 24, 20, 0)
    assert found["cin_planning_by"].due == date(2027, 1, 8)
    assert found["icpc_by"].due == date(2027, 1, 15)


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
    ("due", "today", "met", "expected"),
    [
        (date(2026, 11, 25), date(2026, 11, 23), False, "in 2 working days"),
        (date(2026, 11, 24), date(2026, 11, 23), False, "in 1 working day"),
        (date(2026, 11, 23), date(2026, 11, 23), False, "due today"),
        (date(2026, 11, 20), date(2026, 11, 23), False, "overdue by 1 working day"),
        (date(2026, 11, 18), date(2026, 11, 23), False, "overdue by 3 working days"),
        (date(2026, 11, 21), date(2026, 11, 22), False, "overdue since Saturday"),
        (date(2026, 11, 22), date(2026, 11, 21), False, "due Sunday"),
        (date(2026, 11, 18), date(2026, 11, 23), True, "met"),
    ],
)
def test_deadline_state_in_working_days(due: date, today: date, met: bool, expected: str) -> None:
    deadline = compute_deadlines(DeadlineInputs(referral=due), DEFAULT)["strategy_discussion_by"]
    deadline = Deadline(deadline.key, deadline.label, due, deadline.basis, met=met)
    assert deadline.state(today, DEFAULT.calendar()) == expected
