"""Fictional sample meetings, one or more per form, for trying s47desk and for training.

Every person, place and event here is invented. Dates are set relative to *today* so that the
deadlines shown are live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from s47desk.forms import FormRegistry
from s47desk.meetings import create_meeting
from s47desk.models import (
    Action,
    Attendee,
    Child,
    Decision,
    Dissent,
    InformationItem,
    Meeting,
    decision_uid,
)
from s47desk.protocol import Protocol
from s47desk.record.certificate import SigningIdentity, self_signed_identity
from s47desk.signoff import sign_in_session
from s47desk.vocab import (
    ActionCategory,
    Agency,
    Attendance,
    ChildOutcome,
    ChildRole,
    Concern,
    FamilySharing,
    MeetingStatus,
    Mode,
    Referrer,
    SeenAlone,
    Service,
    Urgency,
    WithholdReason,
)

LA = "Northbridge City Council (fictional)"
CHAIR = "Priya Sandhu"


@dataclass
class _Demo:
    session: Session
    forms: FormRegistry
    protocol: Protocol
    today: date
    identity: SigningIdentity | None = None  # who signs the signed demo (default: a new key)

    def day(self, offset: int) -> date:
        """The working day *offset* working days from today (negative: before today)."""
        calendar = self.protocol.calendar()
        if offset >= 0:
            return calendar.add_working_days(self.today, offset)
        day = self.today
        for _ in range(-offset):
            day -= timedelta(days=1)
            while not calendar.is_working_day(day):
                day -= timedelta(days=1)
        return day

    def meeting(self, form_id: str, referral: date, urgency: Urgency, **fields: object) -> Meeting:
        meeting = create_meeting(
            self.session,
            self.forms.get(form_id),
            referral_received=referral,
            concerns_identified=referral,
            urgency=urgency,
            chair_name=CHAIR,
            chair_role="Team manager, Assessment Team",
            local_authority=LA,
        )
        meeting.chair_is_team_manager = True
        for key, value in fields.items():
            setattr(meeting, key, value)
        return meeting


def _core_attendees(social_worker: str = "Tom Okafor") -> list[Attendee]:
    first, *_, last = social_worker.split()
    return [
        Attendee(
            name=social_worker,
            role="Social worker",
            agency=Agency.SOCIAL_CARE,
            service=Service.SOCIAL_WORKER,
            email=f"{first[0]}.{last}@northbridge.example".lower(),  # each their own address
            senior_enough=True,
        ),
        Attendee(
            name="DS Helen Marsh",
            role="Detective sergeant, Child Abuse Investigation Team",
            agency=Agency.POLICE,
            email="helen.marsh@police.example",
            senior_enough=True,
        ),
        Attendee(
            name="Grace Liu",
            role="Named nurse for safeguarding",
            agency=Agency.HEALTH,
            service=Service.SAFEGUARDING_NURSE,
            email="grace.liu@nhs.example",
            senior_enough=True,
        ),
    ]


def _decide(meeting: Meeting, kind: str, choice: str, rationale: str, **details: str) -> None:
    meeting.decisions.append(
        Decision(
            uid=decision_uid(meeting.uid, kind),
            kind=kind,
            choice=choice,
            rationale=rationale,
            recorded_by=CHAIR,
            details=details,
        )
    )


def _initial(d: _Demo) -> Meeting:
    """A complete initial strategy discussion, signed: the model of a good record."""
    m = _complete_initial(d)
    identity = d.identity or self_signed_identity(
        name=CHAIR, role="Team manager (demonstration certificate)", email=None,
        organisation=LA, years=1, key_bits=2048,
    )  # fmt: skip
    sign_in_session(
        d.session,
        m,
        forms=d.forms,
        protocol=d.protocol,
        identity=identity,
        name=CHAIR,
        role="Team manager, Assessment Team",
    )
    return m


def ready_to_sign(
    session: Session, forms: FormRegistry, protocol: Protocol, today: date
) -> Meeting:
    """The complete initial discussion of the demo, in progress and ready for the chair to sign
    (the self-test types into it and signs it)."""
    return _complete_initial(_Demo(session, forms, protocol, today))


def _complete_initial(d: _Demo) -> Meeting:
    """Everything a complete initial strategy discussion records, before sign-off."""
    referral = d.day(-3)
    held_on = d.protocol.calendar().add_working_days(referral, 1)
    m = d.meeting(
        "initial",
        referral,
        Urgency.STANDARD,
        held_at=datetime.combine(held_on, time(14, 30)),
        ended_at=datetime.combine(held_on, time(15, 40)),
        mode=Mode.VIRTUAL,
        referrer="Amira Hassan, designated safeguarding lead, Riverside Primary School",
        referrer_kind=Referrer.PROFESSIONAL,
        minute_taker="Sam Reid (business support)",
        concerns=[Concern.PHYSICAL_ABUSE.value],
        reason="Maya (7) arrived at school with bruising to her upper arm in the shape of a grip "
        "and said her mum's partner 'grabbed her hard'.",
        immediate_action="School informed the MASH the same morning. Maya stayed at school; "
        "her grandmother collected her with mother's agreement.",
        risks="Grip bruising consistent with Maya's account; previous police call-out to the "
        "address for a verbal argument (no further action).",
        strengths="Mother engaged with the school; maternal grandmother is protective and "
        "nearby; Maya attends school every day.",
        child_voice="Maya told her teacher she 'doesn't like it when he shouts' and wants to "
        "stay at Nana's.",
        child_voice_plan="Tom Okafor will see Maya alone at school, using her words and drawing.",
        other_children_note="Leo (sibling, 3) lives in the same household and is in scope. Darren "
        "Cole has no children of his own; police checks found no other children in contact.",
        parents_carers="Kelly Thompson (mother of Maya and Leo, born 3 June 1994). Father of both "
        "children: Ryan Thompson (born 12 January 1992), lives in Leeds, has contact every other "
        "weekend. Maternal grandmother: Sandra Price (born 8 October 1968), caring for the "
        "children under the safety plan.",
        household_members="Darren Cole, mother's partner, has lived at the address since March.",
        alleged_person="Darren Cole (mother's partner)",
        alleged_person_aliases="Daz Cole",
        alleged_person_dob=date(1990, 11, 2),
        identities_checked=True,
        contingency="If the safety plan breaks down or Darren Cole returns to the grandmother's "
        "home, the police will consider powers of protection and children's social care will "
        "seek legal advice the same day. Out of hours: the emergency duty team.",
        family_summary="We met because of the bruise on Maya's arm. Everyone agreed that Maya "
        "and Leo will stay with their Nana for now, as you agreed. Tom Okafor, your social "
        "worker, will come to see you to explain what happens next and to hear what you think. "
        "A doctor will check Maya's arm today.",
        family_summary_confirmed=True,
    )
    m.children = [
        Child(
            name="Maya Thompson",
            role=ChildRole.SUBJECT,
            date_of_birth=date(2019, 5, 14),
            gender="Female",
            reference="NB-104233",
            outcome=ChildOutcome.SECTION_47,
        ),
        Child(
            name="Leo Thompson",
            role=ChildRole.SIBLING,
            date_of_birth=date(2023, 1, 9),
            gender="Male",
            reference="NB-104234",
            outcome=ChildOutcome.SECTION_47,
        ),
    ]
    m.attendees = [
        *_core_attendees(),
        Attendee(
            name="Amira Hassan",
            role="Designated safeguarding lead",
            agency=Agency.EDUCATION,
            organisation="Riverside Primary School (fictional)",
            email="dsl@riverside.example",
            senior_enough=True,
        ),
        Attendee(
            name="Dr Owen Price",
            role="GP",
            agency=Agency.HEALTH,
            service=Service.GP,
            attendance=Attendance.APOLOGIES,
            absence_reason="Clinic; report sent in advance",
            escalation="Not needed: written information received",
        ),
    ]
    m.information = [
        InformationItem(
            agency=Agency.SOCIAL_CARE,
            shared_by="Tom Okafor",
            text="Family known: one previous contact in 2025 (school attendance), closed.",
            family_sharing=FamilySharing.YES,
        ),
        InformationItem(
            agency=Agency.POLICE,
            shared_by="DS Helen Marsh",
            text="Mother's partner has a caution for assault (2021). Police intend to "
            "interview him under caution.",
            family_sharing=FamilySharing.NO,
            withhold_reason=WithholdReason.POLICE_INVESTIGATION,
        ),
        InformationItem(
            agency=Agency.HEALTH,
            shared_by="Grace Liu",
            text="Immunisations up to date. Leo missed his 2-year review.",
            family_sharing=FamilySharing.YES,
        ),
        InformationItem(
            agency=Agency.EDUCATION,
            shared_by="Amira Hassan",
            text="Maya's attendance 97%. Teacher noted she has been quiet this term.",
            family_sharing=FamilySharing.YES,
        ),
    ]
    _decide(
        m,
        "criminal_investigation",
        "reactive",
        "Maya's account and the bruising suggest an offence of assault.",
        conduct="joint",
        police_lead="DS Helen Marsh",
        timing="Interview partner after ABE",
    )
    _decide(
        m,
        "s47",
        "joint",
        "Reasonable cause to suspect Maya is suffering significant harm; Leo lives in the "
        "same household.",
        lead_social_worker="Tom Okafor",
    )
    _decide(
        m,
        "immediate_safeguarding",
        "safety_plan",
        "Mother agrees Maya and Leo stay with their grandmother until the partner is interviewed.",
    )
    _decide(
        m,
        "medical",
        "child_protection",
        "Bruising needs documenting and an opinion on its cause.",
        timing="Today, 16:30, Northbridge Children's Hospital",
        consent="Mother, verbal",
    )
    _decide(
        m,
        "abe_interview",
        "planned",
        "Maya has made a disclosure; she is articulate and willing to talk.",
        timing="Tomorrow morning",
    )
    _decide(m, "legal", "not_required", "Mother is cooperating with the safety plan.")
    _decide(
        m,
        "family_information",
        "share_later",
        "Sharing the partner's caution now could jeopardise the police interview.",
        by_whom="Tom Okafor",
        when="After the police interview",
    )
    _decide(
        m,
        "review_discussion",
        "needed",
        "Review after the medical and ABE interview.",
        review_by=d.day(5).isoformat(),
    )
    held = held_on
    m.icpc_planned_on = d.protocol.calendar().add_working_days(held, 12)
    d.session.flush()  # the children's uids, for the actions that name them
    maya, leo = m.children
    m.actions = [
        Action(
            text="See Maya alone at school and Leo at grandmother's home",
            owner="Tom Okafor",
            agency=Agency.SOCIAL_CARE,
            due=held,
            category=ActionCategory.SEE_CHILD,
            for_children=[maya.uid, leo.uid],
        ),
        Action(
            text="Child protection medical for Maya",
            owner="Dr Anna Kowalski",
            agency=Agency.HEALTH,
            due=held,
            category=ActionCategory.MEDICAL,
        ),
        Action(
            text="ABE interview with Maya",
            owner="DS Helen Marsh",
            agency=Agency.POLICE,
            due=d.protocol.calendar().add_working_days(held, 1),
            category=ActionCategory.INTERVIEW,
        ),
        Action(
            text="Send the GP the outcome of this discussion",
            owner="Sam Reid",
            agency=Agency.SOCIAL_CARE,
            due=d.protocol.calendar().add_working_days(held, 1),
            category=ActionCategory.INFORM_AGENCY,
        ),
        Action(
            text="Tell Amira Hassan (the referrer) the outcome and its rationale",
            owner="Tom Okafor",
            agency=Agency.SOCIAL_CARE,
            due=d.protocol.calendar().add_working_days(held, 1),
            category=ActionCategory.INFORM_REFERRER,
        ),
    ]
    m.status = MeetingStatus.IN_PROGRESS
    d.session.flush()
    return m


def _review(d: _Demo, initiating: Meeting) -> Meeting:
    """A review discussion linked to the initial one: the ICPC clock runs from that one."""
    m = d.meeting(
        "review",
        initiating.referral_received or d.today,
        Urgency.STANDARD,
        initiating_meeting=initiating,
        mode=Mode.HYBRID,
        held_at=datetime.combine(d.today, time(10, 0)),
        minute_taker="Sam Reid (business support)",
        concerns=[Concern.PHYSICAL_ABUSE.value],
        reason="Review of the section 47 enquiry after the medical and ABE interview.",
        other_children_note="Leo (sibling) is in scope; no other children in the household.",
        child_voice_plan="Maya's views were gathered in the ABE interview; Tom to visit weekly.",
        referrer=initiating.referrer,
        referrer_kind=initiating.referrer_kind,
        parents_carers=initiating.parents_carers,
        alleged_person=initiating.alleged_person,
    )
    seen_on = initiating.held_on or d.today
    m.children = [
        Child(
            name="Maya Thompson",
            role=ChildRole.SUBJECT,
            date_of_birth=date(2019, 5, 14),
            seen_on=seen_on,
            seen_by="Tom Okafor (social worker)",
            seen_alone=SeenAlone.ALONE,
            outcome=ChildOutcome.SECTION_47,
        ),
        Child(
            name="Leo Thompson",
            role=ChildRole.SIBLING,
            date_of_birth=date(2023, 1, 9),
            seen_on=seen_on,
            seen_by="Tom Okafor (social worker)",
            seen_alone=SeenAlone.NOT_ALONE,
            not_alone_reason="Leo is three: seen at his grandmother's home with her present, "
            "so that he was settled.",
            outcome=ChildOutcome.SECTION_47,
        ),
    ]
    m.attendees = _core_attendees()
    m.information = [
        InformationItem(
            agency=Agency.POLICE,
            text="Partner interviewed under caution; released under investigation.",
            family_sharing=FamilySharing.UNDECIDED,
        ),
        InformationItem(
            agency=Agency.HEALTH,
            text="Medical: bruising consistent with a grip injury.",
            family_sharing=FamilySharing.YES,
        ),
    ]
    m.status = MeetingStatus.IN_PROGRESS
    return m


def _pre_birth(d: _Demo) -> Meeting:
    """Pre-birth: midwifery could not attend and no escalation is recorded yet (a blocker)."""
    referral = d.day(-1)
    m = d.meeting(
        "pre_birth",
        referral,
        Urgency.CUMULATIVE,
        reason="Mother (19) is 30 weeks pregnant; her first child was removed in 2024 after "
        "neglect. Father has a history of domestic abuse.",
        concerns=[Concern.PRE_BIRTH.value, Concern.NEGLECT.value, Concern.DOMESTIC_ABUSE.value],
        mode=Mode.VIRTUAL,
    )
    m.children = [
        Child(
            name="Baby Carter (unborn)",
            role=ChildRole.UNBORN,
            expected_date=d.today + timedelta(weeks=10),
        )
    ]
    m.attendees = [
        *_core_attendees("Jade Wilson"),
        Attendee(
            name="Ruth Adeyemi",
            role="Specialist safeguarding midwife",
            agency=Agency.HEALTH,
            service=Service.MIDWIFERY,
            attendance=Attendance.ABSENT,
            absence_reason="On leave",
        ),
    ]
    return m


def _lado(d: _Demo) -> Meeting:
    """Allegation against a professional: LADO notified on time, discussion in progress."""
    referral = d.day(-2)
    m = d.meeting(
        "lado",
        referral,
        Urgency.COMPLEX,
        reason="A 10-year-old told a lunchtime supervisor that a sports coach at an after-school "
        "club hit him with a cricket bat handle.",
        concerns=[Concern.PROFESSIONAL_ALLEGATION.value, Concern.PHYSICAL_ABUSE.value],
        abuse_suspected_on=referral,
        lado_notified_on=referral,
        mode=Mode.IN_PERSON,
        held_at=datetime.combine(d.today, time(11, 0)),
        minute_taker="Sam Reid",
    )
    m.children = [
        Child(name="Ethan Brooks", role=ChildRole.SUBJECT, date_of_birth=date(2016, 3, 2))
    ]
    m.other_children_note = "The coach runs three clubs for about 60 children (list from the club)."
    m.attendees = [
        *_core_attendees("Chloe Baker"),
        Attendee(name="Mark Ellison", role="LADO", agency=Agency.LADO),
    ]
    m.status = MeetingStatus.IN_PROGRESS
    return m


def _missing(d: _Demo) -> Meeting:
    """Whereabouts unknown: the 24-hour discussion with the police."""
    referral = d.today
    m = d.meeting(
        "missing",
        referral,
        Urgency.IMMEDIATE_ACTION,
        reason="Kai (15), subject to section 47 enquiries, has not been seen at home or school "
        "since yesterday afternoon.",
        concerns=[Concern.MISSING.value, Concern.EXPLOITATION.value],
        whereabouts_unknown_since=datetime.combine(referral - timedelta(days=1), time(16, 0)),
        under_s47_enquiries=True,
        mode=Mode.TELEPHONE,
    )
    m.children = [Child(name="Kai Morgan", role=ChildRole.SUBJECT, date_of_birth=date(2011, 8, 21))]
    m.attendees = _core_attendees("Ben Hughes")
    return m


def _exploitation(d: _Demo) -> Meeting:
    """Exploitation: a dissent recorded against the section 47 decision."""
    referral = d.day(-2)
    m = d.meeting(
        "exploitation",
        referral,
        Urgency.STANDARD,
        reason="Jordan (14) was found by British Transport Police with cash and two phones at a "
        "station 60 miles from home.",
        concerns=[Concern.EXPLOITATION.value],
        mode=Mode.VIRTUAL,
        held_at=datetime.combine(d.today, time(9, 30)),
        minute_taker="Sam Reid",
    )
    m.children = [
        Child(name="Jordan Ellis", role=ChildRole.SUBJECT, date_of_birth=date(2012, 2, 11))
    ]
    m.attendees = [
        *_core_attendees("Ali Khan"),
        Attendee(name="PC Dan Moore", role="Officer", agency=Agency.BRITISH_TRANSPORT_POLICE),
    ]
    _decide(
        m,
        "s47",
        "no",
        "Jordan is cooperating with the youth service; no parental harm.",
        alternative="child_in_need",
    )
    m.dissents = [
        Dissent(
            decision_kind="s47",
            name="DS Helen Marsh",
            agency=Agency.POLICE,
            text="Police consider the risk of criminal exploitation is significant harm.",
        )
    ]
    m.status = MeetingStatus.IN_PROGRESS
    return m


def loaded_already(session: Session) -> bool:
    """Whether the demo meetings are in this database (they are loaded once)."""
    from sqlalchemy import select

    return (
        session.scalar(select(Meeting.id).where(Meeting.local_authority == LA).limit(1)) is not None
    )


def load_demo(
    session: Session,
    forms: FormRegistry,
    protocol: Protocol,
    today: date,
    identity: SigningIdentity | None = None,
) -> list[int]:
    """Add the sample meetings; returns their ids. The complete one is signed by *identity*
    (a certificate in the chair's name), or by a demonstration key made for the purpose."""
    d = _Demo(session, forms, protocol, today, identity)
    initial = _initial(d)
    meetings = [
        initial,
        _review(d, initiating=initial),
        _pre_birth(d),
        _lado(d),
        _missing(d),
        _exploitation(d),
    ]
    session.flush()
    return [m.id for m in meetings]
