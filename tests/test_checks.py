"""Every guidance check fires on the one thing it looks for, and stays quiet on a complete record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from s47desk.checks import CHECKS, Severity, is_ready, run_checks
from s47desk.checks.runner import ALWAYS
from s47desk.forms import FormRegistry
from s47desk.models import Action, Attendee, Child, Decision, Dissent, InformationItem, Meeting
from s47desk.protocol import Protocol
from s47desk.vocab import (
    ActionCategory,
    Agency,
    Attendance,
    ChildOutcome,
    ChildRole,
    Concern,
    FamilySharing,
    Service,
)
from tests.factories import absent, complete_meeting, sealed


def codes(meeting: Meeting, forms: FormRegistry, protocol: Protocol) -> set[str]:
    return {f.code for f in run_checks(meeting, forms.get(meeting.form_id), protocol)}


def drop_attendee(agency: Agency) -> Callable[[Meeting], None]:
    def mutate(m: Meeting) -> None:
        m.attendees = [a for a in m.attendees if a.agency is not agency]

    return mutate


def drop_decision(kind: str) -> Callable[[Meeting], None]:
    def mutate(m: Meeting) -> None:
        m.decisions = [d for d in m.decisions if d.kind != kind]

    return mutate


def set_attr(obj: Callable[[Meeting], object], **values: object) -> Callable[[Meeting], None]:
    def mutate(m: Meeting) -> None:
        target = obj(m)
        for key, value in values.items():
            setattr(target, key, value)

    return mutate


def meeting(**values: object) -> Callable[[Meeting], None]:
    return set_attr(lambda m: m, **values)


def decision(kind: str, **values: object) -> Callable[[Meeting], None]:
    return set_attr(lambda m: m.decision(kind), **values)


def first_action(**values: object) -> Callable[[Meeting], None]:
    return set_attr(lambda m: m.actions[0], **values)


def add(collection: str, item: Callable[[], object]) -> Callable[[Meeting], None]:
    def mutate(m: Meeting) -> None:
        getattr(m, collection).append(item())

    return mutate


# code -> one change to a complete record that must make exactly that rule fire.
FIRING: dict[str, Callable[[Meeting], None]] = {
    "details.held_at": meeting(held_at=None),
    "details.mode": meeting(mode=None),
    "details.referral": meeting(referral_received=None),
    "details.reason": meeting(reason="  "),
    "details.minute_taker": meeting(minute_taker=""),
    "attendance.chair": meeting(chair_name=""),
    "deadline.late": meeting(held_at=datetime(2026, 11, 26, 9, 0)),
    "deadline.lado": meeting(
        concerns=[Concern.PROFESSIONAL_ALLEGATION.value],
        abuse_suspected_on=date(2026, 11, 23),
        lado_notified_on=date(2026, 11, 26),
    ),
    "lado.suspected_on": meeting(
        concerns=[Concern.PROFESSIONAL_ALLEGATION.value], lado_notified_on=date(2026, 11, 23)
    ),
    "deadline.assessment": meeting(referral_received=date(2026, 9, 1)),
    "review.initiating": meeting(initiating_held_on=None),
    "details.ended_at": meeting(ended_at=None),
    "details.referrer": meeting(referrer=""),
    "attendance.required": set_attr(lambda m: m.children[0], looked_after=True),
    "attendance.seniority": set_attr(lambda m: m.attendees[0], senior_enough=False),
    "children.outcome_consistent": set_attr(
        lambda m: m.children[0], outcome=ChildOutcome.NO_FURTHER_ACTION
    ),
    "children.seen_alone": set_attr(
        lambda m: m.children[0], seen_on=date(2026, 11, 24), seen_by="Sam Social"
    ),
    "decision.legal_advice": meeting(permission_not_sought=True),
    "outcome.icpc": add(
        "decisions",
        lambda: Decision(
            kind="s47_outcome",
            choice="substantiated",
            rationale="Injuries consistent with the account",
            details={"endorsed_by": "Chris Chair"},
        ),
    ),
    "action.inform_absent": add(
        "attendees", lambda: absent(Agency.EDUCATION, reason="Inset day", escalation="n/a")
    ),
    "action.inform_referrer": lambda m: setattr(m, "actions", m.actions[:1]),
    "household.parents": meeting(parents_carers=""),
    "household.identities_checked": meeting(identities_checked=False),
    "plan.contingency": meeting(contingency=""),
    "family.summary": meeting(family_summary_confirmed=False),
    "children.subject": meeting(children=[Child(name="Sib", role=ChildRole.SIBLING)]),
    "children.other_children": meeting(other_children_note=""),
    "children.expected_date": add("children", lambda: Child(name="Baby", role=ChildRole.UNBORN)),
    "children.outcome": set_attr(lambda m: m.children[0], outcome=ChildOutcome.UNDECIDED),
    "child.voice": meeting(child_voice_plan=""),
    "attendance.social_worker": drop_attendee(Agency.SOCIAL_CARE),
    "attendance.health": drop_attendee(Agency.HEALTH),
    "attendance.police": drop_attendee(Agency.POLICE),
    "attendance.complex_safeguarding": meeting(concerns=[Concern.EXPLOITATION.value]),
    "attendance.midwifery": meeting(concerns=[Concern.PRE_BIRTH.value]),
    "attendance.lado": meeting(concerns=[Concern.PROFESSIONAL_ALLEGATION.value]),
    "attendance.absence_reason": add("attendees", lambda: absent(Agency.EDUCATION)),
    "information.agency_missing": set_attr(lambda m: m.information[2], text=""),
    "information.family_reason": set_attr(
        lambda m: m.information[0], family_sharing=FamilySharing.NO
    ),
    "information.family_undecided": set_attr(
        lambda m: m.information[0], family_sharing=FamilySharing.UNDECIDED
    ),
    "decision.criminal_investigation": drop_decision("criminal_investigation"),
    "decision.s47": drop_decision("s47"),
    "decision.immediate_safeguarding": drop_decision("immediate_safeguarding"),
    "decision.medical": drop_decision("medical"),
    "decision.abe_interview": drop_decision("abe_interview"),
    "decision.legal": drop_decision("legal"),
    "decision.family_information": drop_decision("family_information"),
    "decision.review_discussion": decision("review_discussion", choice="maybe"),
    "decision.hospital_discharge": meeting(child_in_hospital=True),
    "decision.rationale": decision("legal", rationale=""),
    "decision.detail": decision("criminal_investigation", details={"conduct": "joint"}),
    "decision.dissent_escalation": add(
        "dissents", lambda: Dissent(decision_kind="s47", name="DS Lee", text="Disagree")
    ),
    "s47.lead_social_worker": decision("s47", details={}),
    "s47.see_child": first_action(category=ActionCategory.GENERAL),
    "action.text": first_action(text=""),
    "action.owner": first_action(owner=" "),
    "action.agency": first_action(agency=None),
    "action.due": first_action(due=None),
    "action.plan": meeting(actions=[]),
    "record.altered": lambda m: (sealed(m), setattr(m, "reason", "rewritten after signing")),
}


#: The form a firing case is written for, where the initial form does not enable the check.
FORM_OF = {"review.initiating": "review"}


def firing_meeting(code: str) -> Meeting:
    form_id = FORM_OF.get(code, "initial")
    m = complete_meeting(form_id)
    if form_id == "review":
        m.initiating_held_on = date(2026, 11, 20)
    return m


def test_every_registered_check_has_a_firing_case() -> None:
    assert set(FIRING) == set(CHECKS)


def test_a_complete_record_has_no_findings(forms: FormRegistry, protocol: Protocol) -> None:
    m = complete_meeting()
    assert run_checks(m, forms.get("initial"), protocol) == []
    assert is_ready(run_checks(m, forms.get("initial"), protocol))


@pytest.mark.parametrize("code", sorted(FIRING))
def test_check_fires_on_its_own_problem(code: str, forms: FormRegistry, protocol: Protocol) -> None:
    m = firing_meeting(code)
    form = forms.get(m.form_id)
    assert code not in codes(m, forms, protocol)
    FIRING[code](m)
    found = [f for f in run_checks(m, form, protocol) if f.code == code]
    assert found, f"{code} did not fire"
    finding = found[0]
    assert finding.message.strip()
    assert finding.step in [s.id for s in form.steps]
    assert code in (*form.step(finding.step).checks, *ALWAYS)
    assert CHECKS[code].reports(finding.field) and form.asks(finding.field)


@pytest.mark.parametrize(
    ("form_id", "extra"),
    [
        ("review", {"initiating_held_on": date(2026, 11, 20)}),
        ("exploitation", {"attendees": Agency.COMPLEX_SAFEGUARDING}),
        (
            "lado",
            {"abuse_suspected_on": date(2026, 11, 23), "lado_notified_on": date(2026, 11, 23)},
        ),
        ("missing", {}),
        ("pre_birth", {"attendees": Agency.HEALTH}),
    ],
)
def test_every_builtin_form_accepts_a_complete_record(
    form_id: str, extra: dict[str, object], forms: FormRegistry, protocol: Protocol
) -> None:
    m = complete_meeting(form_id)
    m.concerns = sorted(set(m.concerns) | forms.get(form_id).implies_concerns)
    extra = dict(extra)
    if "attendees" in extra:
        agency = extra.pop("attendees")
        assert isinstance(agency, Agency)
        service = Service.MIDWIFERY if agency is Agency.HEALTH else None
        m.attendees.append(
            Attendee(name="Extra", agency=agency, service=service, senior_enough=True)
        )
        m.information.append(InformationItem(agency=agency, nil_return=True))
    for key, value in extra.items():
        setattr(m, key, value)
    assert run_checks(m, forms.get(form_id), protocol) == []


def test_form_specific_requirements_come_from_the_form(
    forms: FormRegistry, protocol: Protocol
) -> None:
    """A pre-birth form needs midwifery even when no concern was ticked: the form implies it."""
    m = complete_meeting("pre_birth")
    assert "attendance.midwifery" in codes(m, forms, protocol)
    m = complete_meeting("exploitation")
    assert "attendance.complex_safeguarding" in codes(m, forms, protocol)


@pytest.mark.parametrize(
    ("agency", "code"),
    [
        (Agency.HEALTH, "attendance.health"),
        (Agency.POLICE, "attendance.police"),
        (Agency.SOCIAL_CARE, "attendance.social_worker"),
    ],
)
def test_minimum_absence_is_a_blocker_until_reason_and_escalation_are_recorded(
    agency: Agency, code: str, forms: FormRegistry, protocol: Protocol
) -> None:
    service = Service.SOCIAL_WORKER if agency is Agency.SOCIAL_CARE else None
    m = complete_meeting()
    drop_attendee(agency)(m)
    m.attendees.append(absent(agency, reason="Off sick", service=service))
    form = forms.get("initial")
    (finding,) = [f for f in run_checks(m, form, protocol) if f.code == code]
    assert finding.severity is Severity.BLOCKER
    assert "escalation" in finding.message
    m.attendees[-1].escalation = "Raised with the named nurse's manager at 15:10"
    (finding,) = [f for f in run_checks(m, form, protocol) if f.code == code]
    assert finding.severity is Severity.WARNING
    assert finding.item == len(m.attendees) - 1


def test_apologies_with_information_count_as_contributing(
    forms: FormRegistry, protocol: Protocol
) -> None:
    m = complete_meeting()
    m.attendees.append(
        Attendee(name="Teacher", agency=Agency.EDUCATION, attendance=Attendance.APOLOGIES)
    )
    assert "information.agency_missing" in codes(m, forms, protocol)
    m.information.append(InformationItem(agency=Agency.EDUCATION, nil_return=True))
    assert "information.agency_missing" not in codes(m, forms, protocol)


def test_late_discussion_passes_once_the_reason_is_recorded(
    forms: FormRegistry, protocol: Protocol
) -> None:
    m = complete_meeting(held_at=datetime(2026, 11, 26, 9, 0))
    finding = next(
        f for f in run_checks(m, forms.get("initial"), protocol) if f.code == "deadline.late"
    )
    assert "Wed 25 November 2026" in finding.message and "1 working day after" in finding.message
    m.late_reason = "Police could not attend until Thursday; escalated to DI."
    assert "deadline.late" not in codes(m, forms, protocol)


def test_whereabouts_unknown_discussion_after_24_hours_is_late(
    forms: FormRegistry, protocol: Protocol
) -> None:
    m = complete_meeting(
        "missing", whereabouts_unknown_since=datetime(2026, 11, 23, 10, 0),
        held_at=datetime(2026, 11, 24, 11, 0), under_s47_enquiries=True,
    )  # fmt: skip
    found = [f for f in run_checks(m, forms.get("missing"), protocol) if f.code == "deadline.late"]
    assert len(found) == 1 and "24 hours" in found[0].message


def test_see_child_action_needs_a_due_date(forms: FormRegistry, protocol: Protocol) -> None:
    m = complete_meeting()
    m.actions.append(Action(text="x", owner="y", agency=Agency.POLICE, due=date(2026, 11, 25)))
    m.actions[0].due = None
    assert "s47.see_child" in codes(m, forms, protocol)


def test_no_section_47_needs_no_lead_social_worker_but_needs_the_alternative(
    forms: FormRegistry, protocol: Protocol
) -> None:
    m = complete_meeting()
    s47 = m.decision("s47")
    assert s47 is not None
    s47.choice, s47.details = "no", {}
    found = codes(m, forms, protocol)
    assert "s47.lead_social_worker" not in found and "s47.see_child" not in found
    assert "decision.detail" in found
    s47.details = {"alternative": "child_in_need"}
    assert "decision.detail" not in codes(m, forms, protocol)


def test_cancelled_actions_are_not_checked(forms: FormRegistry, protocol: Protocol) -> None:
    from s47desk.vocab import ActionStatus

    m = complete_meeting()
    m.actions.append(Action(text="", status=ActionStatus.CANCELLED))
    assert codes(m, forms, protocol) == set()


def test_findings_come_in_agenda_order(forms: FormRegistry, protocol: Protocol) -> None:
    form = forms.get("initial")
    m = Meeting(form_id="initial")
    order = [s.id for s in form.steps]
    steps = [order.index(f.step) for f in run_checks(m, form, protocol)]
    assert steps == sorted(steps)


def test_a_signed_record_that_still_matches_its_sign_off_has_no_findings(
    forms: FormRegistry, protocol: Protocol
) -> None:
    m = complete_meeting()
    sealed(m)
    assert run_checks(m, forms.get("initial"), protocol) == []
    m.decision("s47").rationale = "changed"  # type: ignore[union-attr]
    [found] = run_checks(m, forms.get("initial"), protocol)
    assert found.code == "record.altered" and "the decision s47" in found.message
