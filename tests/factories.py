"""Test meetings built in code: a complete one that passes every check, to mutate one way at a time."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import date, datetime
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from s47desk.forms import FormRegistry
from s47desk.models import Action, Attendee, Child, Decision, InformationItem, Meeting, SignOff
from s47desk.protocol import Protocol
from s47desk.record.certificate import SigningIdentity, self_signed_identity
from s47desk.record.fingerprint import content_fingerprint
from s47desk.signoff import seal, sign_in_session
from s47desk.storage import Database
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
    Service,
    Urgency,
)
from tests.recordkit import PASSPHRASE

CHOICES = {
    "criminal_investigation": (
        "reactive",
        {"conduct": "joint", "police_lead": "DS Lee", "timing": "Interview after the ABE"},
    ),
    "s47": ("joint", {"lead_social_worker": "Sam Social"}),
    "immediate_safeguarding": ("safety_plan", {}),
    "medical": ("child_protection", {"timing": "Today 4pm"}),
    "abe_interview": ("planned", {"timing": "Tomorrow"}),
    "legal": ("not_required", {}),
    "family_information": ("share_later", {"by_whom": "Sam Social", "when": "After interview"}),
    "review_discussion": ("needed", {"review_by": "2026-12-01"}),
    "hospital_discharge": ("safe_discharge_plan", {}),
}


def complete_meeting(form_id: str = "initial", **overrides: object) -> Meeting:
    """A transient initial strategy discussion that meets every rule of the guidance."""
    meeting = Meeting(
        form_id=form_id,
        held_at=datetime(2026, 11, 24, 14, 0),
        ended_at=datetime(2026, 11, 24, 15, 5),
        mode=Mode.VIRTUAL,
        chair_name="Chris Chair",
        chair_role="Team manager",
        chair_is_team_manager=True,
        referrer="Pat Teacher, Testshire Primary School",
        referrer_kind=Referrer.PROFESSIONAL,
        minute_taker="Mo Minutes",
        local_authority="Testshire",
        referral_received=date(2026, 11, 23),
        concerns_identified=date(2026, 11, 23),
        urgency=Urgency.STANDARD,
        concerns=[Concern.PHYSICAL_ABUSE.value],
        reason="Bruising reported by school.",
        immediate_action="",
        risks="Risk",
        strengths="Strength",
        child_voice="Voice",
        child_voice_plan="Seen alone at school",
        other_children_note="No other children in the household.",
        parents_carers="Jo Test (mother, born 2 March 1990)",
        identities_checked=True,
        contingency="If the safety plan breaks down, the police use their powers of protection.",
        family_summary="We met to talk about keeping Alex safe. Sam will visit you this week.",
        family_summary_confirmed=True,
    )
    meeting.children = [
        Child(name="Alex Test", role=ChildRole.SUBJECT, outcome=ChildOutcome.SECTION_47)
    ]
    meeting.attendees = [
        Attendee(
            name="Sam Social",
            agency=Agency.SOCIAL_CARE,
            service=Service.SOCIAL_WORKER,
            senior_enough=True,
        ),
        Attendee(name="Hana Health", agency=Agency.HEALTH, service=Service.GP, senior_enough=True),
        Attendee(name="DS Lee", agency=Agency.POLICE, senior_enough=True),
    ]
    meeting.information = [
        InformationItem(agency=a, text=f"{a.label} knows", family_sharing=FamilySharing.YES)
        for a in (Agency.SOCIAL_CARE, Agency.HEALTH, Agency.POLICE)
    ]
    meeting.decisions = [
        Decision(
            kind=kind, choice=choice, rationale="Because", recorded_by="Chris", details=dict(d)
        )
        for kind, (choice, d) in CHOICES.items()
        if kind != "hospital_discharge"
    ]
    meeting.actions = [
        Action(
            text="See Alex alone",
            owner="Sam Social",
            agency=Agency.SOCIAL_CARE,
            due=date(2026, 11, 25),
            category=ActionCategory.SEE_CHILD,
        ),
        Action(
            text="Tell the school the outcome",
            owner="Sam Social",
            agency=Agency.SOCIAL_CARE,
            due=date(2026, 11, 25),
            category=ActionCategory.INFORM_REFERRER,
        ),
    ]
    for key, value in overrides.items():
        setattr(meeting, key, value)
    return meeting


def stored_complete_meeting(db: Database) -> str:
    """A :func:`complete_meeting` committed to *db*; its uid."""
    with db.transaction() as session:
        meeting = complete_meeting()
        session.add(meeting)
        return meeting.uid


def absent(agency: Agency, reason: str = "", escalation: str = "", **kw: object) -> Attendee:
    return Attendee(
        name=f"{agency.label} person",
        agency=agency,
        attendance=Attendance.ABSENT,
        absence_reason=reason,
        escalation=escalation,
        **kw,
    )


@cache
def chris() -> SigningIdentity:
    """The complete meeting's chair's key, made once per run (2048 bits: tests only)."""
    return self_signed_identity(
        name="Chris Chair", role="Team manager", email=None, organisation="Testshire",
        key_bits=2048,
    )  # fmt: skip


@cache
def chris_p12() -> Path:
    """Chris Chair's key as a passphrase-protected .p12 file (passphrase: PASSPHRASE)."""
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    folder = Path(tempfile.mkdtemp(prefix="s47-chris-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "chris.p12"
    identity = chris()
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"Chris Chair",
            identity.private_key,
            identity.certificate,
            None,
            BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )
    return path


def sign(
    session: Session,
    meeting: Meeting,
    forms: FormRegistry,
    protocol: Protocol,
    name: str = "Chris Chair",
    role: str = "Team manager",
) -> SignOff:
    """Sign *meeting* (in *session*) as the complete meeting's chair, with their key."""
    return sign_in_session(
        session, meeting, forms=forms, protocol=protocol, identity=chris(), name=name, role=role
    )


def sealed(meeting: Meeting) -> Meeting:
    """*meeting* (transient) signed by its chair's key as sign-off does, without a database."""
    signoff = SignOff(
        name="Chris Chair",
        role="Team manager",
        signed_at=datetime(2026, 11, 24, 16, 0),
        record_version=meeting.record_version,
        fingerprint=content_fingerprint(meeting),
    )
    seal(meeting, signoff, chris(), [])
    meeting.signoffs = [signoff]
    meeting.status = MeetingStatus.SIGNED
    return meeting


def store_signed(db: Database, meeting: Meeting, forms: FormRegistry, protocol: Protocol) -> int:
    """Store *meeting* and sign it as its chair, with the chair's key; the stored meeting's id."""
    with db.transaction() as session:
        session.add(meeting)
        session.flush()
        sign(session, meeting, forms, protocol)
        return meeting.id
