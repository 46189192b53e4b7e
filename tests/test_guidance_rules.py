"""Each rule of the guidance, as a meeting that keeps it and one that breaks it, written from
the guidance text (quoted in each test)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from s47desk.checks import Severity, run_checks
from s47desk.checks.runner import Finding
from s47desk.forms import FormRegistry
from s47desk.models import Action, Attendee, Child, Decision, InformationItem, Meeting
from s47desk.protocol import Protocol, load_protocol
from s47desk.vocab import (
    ActionCategory,
    Agency,
    Attendance,
    ChildOutcome,
    ChildRole,
    Concern,
    FamilySharing,
    SeenAlone,
    Service,
)
from tests.factories import complete_meeting


def found(m: Meeting, forms: FormRegistry, protocol: Protocol, code: str) -> list[Finding]:
    return [f for f in run_checks(m, forms.get(m.form_id), protocol) if f.code == code]


def blockers(m: Meeting, forms: FormRegistry, protocol: Protocol) -> set[str]:
    return {
        f.code
        for f in run_checks(m, forms.get(m.form_id), protocol)
        if f.severity is Severity.BLOCKER
    }


def attendee(agency: Agency, service: Service | None = None, **kw: object) -> Attendee:
    return Attendee(name=f"{agency.label} person", agency=agency, service=service, **kw)


def test_a_review_can_be_held_at_any_point_and_asks_for_the_initiating_date(
    forms: FormRegistry, protocol: Protocol
) -> None:
    """000: a follow-up "can be held at any point of the section 47 enquiry"; 002 section 9:
    "15 working days from the strategy discussion/meeting which initiated"."""
    m = complete_meeting("review", held_at=datetime(2027, 1, 4, 10, 0))  # weeks after referral
    assert not found(m, forms, protocol, "deadline.late")
    assert found(m, forms, protocol, "review.initiating")
    m.initiating_held_on = date(2026, 11, 24)
    assert not found(m, forms, protocol, "review.initiating")
    assert not found(m, forms, protocol, "deadline.late")


def test_a_missing_child_under_enquiries_needs_the_police_present(
    forms: FormRegistry, protocol: Protocol
) -> None:
    """002 section 5: "within 24 hours: A strategy discussion/ meeting with the police"."""
    m = complete_meeting(
        "missing",
        whereabouts_unknown_since=datetime(2026, 11, 24, 9, 0),
        under_s47_enquiries=True,
    )
    m.attendees[2].attendance = Attendance.APOLOGIES
    m.attendees[2].absence_reason, m.attendees[2].escalation = "Shift change", "Raised with DI"
    (police,) = found(m, forms, protocol, "attendance.police")
    assert (
        police.severity is Severity.BLOCKER and "explained absence is not enough" in police.message
    )
    m.under_s47_enquiries = False  # then "no later than 3 working days" (000), apologies may do
    (police,) = found(m, forms, protocol, "attendance.police")
    assert police.severity is Severity.WARNING
    m.attendees[2].attendance = Attendance.PRESENT
    m.under_s47_enquiries = True
    assert not found(m, forms, protocol, "attendance.police")


def test_complex_safeguarding_should_always_be_in_attendance(
    forms: FormRegistry, protocol: Protocol
) -> None:
    """000: "a worker from the complex safeguarding team should always be in attendance"."""
    m = complete_meeting("exploitation", concerns=[Concern.EXPLOITATION.value])
    m.attendees.append(
        attendee(
            Agency.COMPLEX_SAFEGUARDING,
            attendance=Attendance.APOLOGIES,
            absence_reason="Leave",
            escalation="Raised with the service manager",
        )
    )
    m.information.append(InformationItem(agency=Agency.COMPLEX_SAFEGUARDING, nil_return=True))
    assert "attendance.complex_safeguarding" in blockers(m, forms, protocol)
    m.attendees[-1].attendance = Attendance.PRESENT
    m.attendees[-1].senior_enough = True
    assert "attendance.complex_safeguarding" not in blockers(m, forms, protocol)


def test_a_csc_team_manager_chairs(forms: FormRegistry, protocol: Protocol) -> None:
    """000: "A CSC team manager will chair the strategy meeting"."""
    m = complete_meeting(chair_is_team_manager=False)
    assert "team manager" in found(m, forms, protocol, "attendance.chair")[0].message
    m.chair_is_team_manager = True
    assert not found(m, forms, protocol, "attendance.chair")


def test_a_social_worker_visits_the_child(forms: FormRegistry, protocol: Protocol) -> None:
    """000: "Name of social worker who will visit the child and a timescale for any visits"."""
    m = complete_meeting()
    m.actions[0].agency, m.actions[0].owner = Agency.POLICE, "DS Lee"
    assert found(m, forms, protocol, "s47.see_child")
    m.actions[0].agency, m.actions[0].owner = Agency.SOCIAL_CARE, "Sam Social"
    assert not found(m, forms, protocol, "s47.see_child")


def test_all_children_in_the_household_are_communicated_with(
    forms: FormRegistry, protocol: Protocol
) -> None:
    """002 section 5: "all children within the household must be directly communicated with
    during Section 47 Enquiries by either the police or Children's Social Care"."""
    m = complete_meeting(other_children_note="")
    m.children += [
        Child(name="Bo Test", role=ChildRole.SIBLING, outcome=ChildOutcome.SECTION_47),
        Child(name="Cy Test", role=ChildRole.HOUSEHOLD, outcome=ChildOutcome.SECTION_47),
    ]
    alex, bo, cy = m.children
    m.actions[0].for_children = [alex.uid]
    messages = [f.message for f in found(m, forms, protocol, "s47.see_child")]
    assert len(messages) == 2 and any("Bo Test" in x for x in messages)
    m.actions.append(
        Action(
            text="Speak with Bo and Cy at school",
            owner="DS Lee",
            agency=Agency.POLICE,
            due=date(2026, 11, 26),
            category=ActionCategory.SEE_CHILD,
            for_children=[bo.uid, cy.uid],
        )
    )
    assert not found(m, forms, protocol, "s47.see_child")


def test_a_child_already_seen_needs_no_new_visit(forms: FormRegistry, protocol: Protocol) -> None:
    """000 section 3: the record gives "the date(s) when the child was seen alone … and, if not
    seen alone, who was present and the reasons for their presence"."""
    m = complete_meeting("review", initiating_held_on=date(2026, 11, 20))
    m.actions = [m.actions[1]]  # no visit planned
    assert found(m, forms, protocol, "s47.see_child")
    child = m.children[0]
    child.seen_on, child.seen_by, child.seen_alone = (
        date(2026, 11, 21),
        "Sam Social",
        (SeenAlone.NOT_ALONE),
    )
    assert found(m, forms, protocol, "children.seen_alone")  # not alone: who, and why?
    assert found(m, forms, protocol, "s47.see_child")
    child.not_alone_reason = "Mother present: Alex (4) would not stay without her"
    assert not found(m, forms, protocol, "children.seen_alone")
    assert not found(m, forms, protocol, "s47.see_child")


def test_a_pre_birth_discussion_with_a_sibling_hears_and_sees_the_sibling(
    forms: FormRegistry, protocol: Protocol
) -> None:
    m = complete_meeting("pre_birth", child_voice_plan="")
    m.children = [
        Child(name="Baby", role=ChildRole.UNBORN, expected_date=date(2027, 2, 1)),
    ]
    m.children[0].outcome = ChildOutcome.SECTION_47
    m.actions = [m.actions[1]]
    assert not found(m, forms, protocol, "child.voice")  # an unborn child alone
    assert not found(m, forms, protocol, "s47.see_child")
    m.children.append(Child(name="Sis", role=ChildRole.SIBLING, outcome=ChildOutcome.SECTION_47))
    assert found(m, forms, protocol, "child.voice")
    assert found(m, forms, protocol, "s47.see_child")


def test_no_further_action_beside_a_section_47_enquiry_is_not_ready(
    forms: FormRegistry, protocol: Protocol
) -> None:
    m = complete_meeting()
    m.children[0].outcome = ChildOutcome.NO_FURTHER_ACTION
    assert "children.outcome_consistent" in blockers(m, forms, protocol)
    m.children[0].outcome = ChildOutcome.SECTION_47
    assert "children.outcome_consistent" not in blockers(m, forms, protocol)


def test_a_joint_investigation_without_police_information_is_not_ready(
    forms: FormRegistry, protocol: Protocol
) -> None:
    """002 section 4: the police "help other organisations and agencies understand the reasons
    for concerns … by sharing information and analysis"."""
    m = complete_meeting()
    m.attendees[2].attendance = Attendance.ABSENT
    m.attendees[2].absence_reason, m.attendees[2].escalation = "No officer", "Raised with DI"
    m.information = [i for i in m.information if i.agency is not Agency.POLICE]
    (missing,) = found(m, forms, protocol, "information.agency_missing")
    assert "police are absent" in missing.message
    m.information.append(InformationItem(agency=Agency.POLICE, text="PNC checks: nothing known"))
    m.information[-1].family_sharing = FamilySharing.NO
    assert not found(m, forms, protocol, "information.agency_missing")


def test_criminal_investigation_timing_is_agreed(forms: FormRegistry, protocol: Protocol) -> None:
    """002, 003: "agree the conduct and timing of any criminal investigation"."""
    m = complete_meeting()
    criminal = m.decision("criminal_investigation")
    assert criminal is not None
    criminal.details = {"conduct": "joint", "police_lead": "DS Lee"}
    assert "timing" in found(m, forms, protocol, "decision.detail")[0].message
    criminal.details["timing"] = "After the ABE interview"
    assert not found(m, forms, protocol, "decision.detail")


def test_the_icpc_is_planned_within_15_working_days(
    forms: FormRegistry, protocol: Protocol
) -> None:
    """002 section 9: "The maximum period of an enquiry from the strategy discussion/ meeting to
    the date of the initial child protection conference is 15 working days"."""
    m = complete_meeting(icpc_planned_on=date(2026, 12, 16))  # 24 Nov + 15 WD = 15 Dec
    assert found(m, forms, protocol, "outcome.icpc")[0].severity is Severity.BLOCKER
    m.icpc_planned_on = date(2026, 12, 12)  # a Saturday
    assert found(m, forms, protocol, "outcome.icpc")[0].severity is Severity.WARNING
    m.icpc_planned_on = date(2026, 12, 15)
    assert not found(m, forms, protocol, "outcome.icpc")


def test_a_substantiated_outcome_calls_a_conference(
    forms: FormRegistry, protocol: Protocol
) -> None:
    m = complete_meeting("review", initiating_held_on=date(2026, 11, 20))
    m.decisions.append(
        Decision(
            kind="s47_outcome",
            choice="substantiated",
            rationale="Injuries consistent with the account",
            details={"endorsed_by": "Chris Chair"},
        )
    )
    assert found(m, forms, protocol, "outcome.icpc")
    m.icpc_planned_on = date(2026, 12, 9)
    assert not found(m, forms, protocol, "outcome.icpc")


def test_an_assessment_past_45_working_days_records_why(
    forms: FormRegistry, protocol: Protocol
) -> None:
    """002 section 9: "the Lead Practitioner should record the reasons for exceeding"."""
    m = complete_meeting(referral_received=date(2026, 9, 1))
    assert found(m, forms, protocol, "deadline.assessment")
    m.assessment_over_reason = "Father's assessment delayed: he was in hospital"
    assert not found(m, forms, protocol, "deadline.assessment")


def test_a_looked_after_child_s_fostering_or_residential_service_takes_part(
    forms: FormRegistry, protocol: Protocol
) -> None:
    """002 section 3: "including the residential or fostering service, if the child is looked
    after"."""
    m = complete_meeting()
    m.children[0].looked_after = True
    (missing,) = found(m, forms, protocol, "attendance.required")
    assert "fostering" in missing.message.lower()
    assert missing.role == "social_care/fostering_residential"  # the window adds exactly that
    m.attendees.append(
        attendee(Agency.SOCIAL_CARE, Service.FOSTERING_RESIDENTIAL, senior_enough=True)
    )
    assert not found(m, forms, protocol, "attendance.required")


def test_refused_access_brings_legal_representation_and_no_permission_legal_advice(
    forms: FormRegistry, protocol: Protocol
) -> None:
    """002 section 5: "a strategy discussion/meeting including legal representation"; 000
    section 3: "the social worker must take legal advice"."""
    m = complete_meeting(access_refused=True, permission_not_sought=True)
    assert found(m, forms, protocol, "attendance.required")
    assert found(m, forms, protocol, "decision.legal_advice")
    m.attendees.append(attendee(Agency.LEGAL, senior_enough=True))
    legal = m.decision("legal")
    assert legal is not None
    legal.choice = "advice"
    assert not found(m, forms, protocol, "attendance.required")
    assert not found(m, forms, protocol, "decision.legal_advice")


def test_attendees_are_senior_enough(forms: FormRegistry, protocol: Protocol) -> None:
    """000: "All attendees should be sufficiently senior to make decisions on behalf of their
    organisation"."""
    m = complete_meeting()
    m.attendees[1].senior_enough = False
    (finding,) = found(m, forms, protocol, "attendance.seniority")
    assert finding.item == 1 and finding.severity is Severity.WARNING
    m.attendees[1].senior_enough = True
    assert not found(m, forms, protocol, "attendance.seniority")


def test_the_referrer_and_absent_agencies_are_told(forms: FormRegistry, protocol: Protocol) -> None:
    """002 section 8: "Seek to communicate the outcome and rationale to the referring
    practitioner or agency"; notification "to all the agencies who have been significantly
    involved"."""
    m = complete_meeting()
    m.actions = m.actions[:1]
    assert found(m, forms, protocol, "action.inform_referrer")
    m.attendees.append(attendee(Agency.EDUCATION, attendance=Attendance.ABSENT))
    assert found(m, forms, protocol, "action.inform_absent")
    m.attendees[-1].email = "school@example.org"
    assert not found(m, forms, protocol, "action.inform_absent")
    m.actions.append(
        Action(
            text="Tell the school",
            owner="Sam",
            agency=Agency.SOCIAL_CARE,
            due=date(2026, 11, 25),
            category=ActionCategory.INFORM_REFERRER,
        )
    )
    assert not found(m, forms, protocol, "action.inform_referrer")


def test_the_lado_clock_runs_from_the_suspicion(forms: FormRegistry, protocol: Protocol) -> None:
    """000: "Where professional abuse is suspected the LADO should be notified within 1
    working day" (Friday 28 May 2027 to Tuesday 1 June, over the late-May bank holiday)."""
    m = complete_meeting(
        "lado",
        referral_received=date(2027, 5, 27),
        concerns_identified=date(2027, 5, 27),
        held_at=datetime(2027, 6, 1, 10, 0),
        ended_at=datetime(2027, 6, 1, 11, 0),
        lado_notified_on=date(2027, 6, 1),
    )
    assert found(m, forms, protocol, "lado.suspected_on")
    m.abuse_suspected_on = date(2027, 5, 28)
    assert not found(m, forms, protocol, "lado.suspected_on")
    assert not found(m, forms, protocol, "deadline.lado")
    m.lado_notified_on = date(2027, 6, 2)
    assert "1 working day after" in found(m, forms, protocol, "deadline.lado")[0].message


def test_a_council_can_require_education_without_a_code_change(
    tmp_path: Path, forms: FormRegistry
) -> None:
    """The Children's Wellbeing and Schools Act 2026 adds education to multi-agency child
    protection teams: the local protocol's minimum attendance says so."""
    path = tmp_path / "protocol.toml"
    path.write_text(
        '[attendance.should_attend]\nalways = ["social_care/social_worker", "health", '
        '"police", "education"]\n',
        encoding="utf-8",
    )
    local = load_protocol(path)
    m = complete_meeting()
    assert not found(m, forms, Protocol(), "attendance.required")
    (education,) = found(m, forms, local, "attendance.required")
    assert (
        "Education" in education.message
        and "Your local protocol requires them" in education.message
    )
    assert education.role == "education" and "role" not in education.as_json()
    m.attendees.append(attendee(Agency.EDUCATION, senior_enough=True))
    m.information.append(InformationItem(agency=Agency.EDUCATION, nil_return=True))
    assert not found(m, forms, local, "attendance.required")


def test_the_product_cites_working_together_2023() -> None:
    from s47desk.record.context import CONFIDENTIALITY

    assert "Working Together to Safeguard Children 2023" in CONFIDENTIALITY
    root = Path(__file__).resolve().parents[1] / "s47desk"
    for path in root.rglob("*"):
        if path.suffix in (".py", ".toml"):
            assert "Working Together to Safeguard Children 2018" not in path.read_text("utf-8")
