"""The family copy carries only the text written for the family and confirmed by the chair:
never a working note (not even an item marked shareable, nor the chair's "by whom" and "when",
whose timing can reveal what was withheld), anywhere in the package."""

from __future__ import annotations

import io
from datetime import date, datetime

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from s47desk.forms import FormRegistry
from s47desk.models import (
    Action,
    Attendee,
    Child,
    Decision,
    Dissent,
    InformationItem,
    Meeting,
    SignOff,
)
from s47desk.protocol import Protocol
from s47desk.record.export import RecordError, family_caution, record_bytes
from s47desk.vocab import (
    Agency,
    Attendance,
    ChildRole,
    FamilySharing,
    MeetingStatus,
    Mode,
    Urgency,
    WithholdReason,
)
from tests.recordkit import parts

WITHHELD = "QZX-WITHHELD-7731"  # in every item not marked shareable (text and notes)
EXCLUDED = "QZX-EXCLUDED-4410"  # in every field the family copy leaves out on purpose
MARKERS = (WITHHELD, EXCLUDED)

plain = (
    st.text(
        alphabet=st.characters(whitelist_categories=("L", "N", "Zs"), max_codepoint=0x2FF),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
with_canary = st.tuples(plain, plain).map(lambda p: f"{p[0]} {WITHHELD} {p[1]}")


@st.composite
def items(draw: st.DrawFn) -> InformationItem:
    sharing = draw(st.sampled_from(list(FamilySharing)))
    shareable = sharing is FamilySharing.YES
    return InformationItem(
        agency=draw(st.sampled_from(list(Agency))),
        shared_by=EXCLUDED,
        text=f"{draw(plain)} {EXCLUDED}" if shareable else draw(with_canary),
        nil_return=draw(st.booleans()),
        family_sharing=sharing,
        withhold_reason=draw(st.none() | st.sampled_from(list(WithholdReason))),
        withhold_note=f"note {WITHHELD}" if draw(st.booleans()) or not shareable else "",
    )


def make_meeting(
    *,
    form_id: str = "initial",
    status: MeetingStatus = MeetingStatus.SIGNED,
    mode: Mode = Mode.VIRTUAL,
    urgency: Urgency = Urgency.STANDARD,
    roles: list[ChildRole] | None = None,
    attendance: list[tuple[Agency, Attendance]] | None = None,
    information: list[InformationItem] | None = None,
    choice: str = "share_now",
    family_text: str = "We met to talk about keeping your children safe.",
) -> Meeting:
    """A transient signed meeting with a marker in every field the family copy leaves out."""
    meeting = Meeting(
        form_id=form_id,
        status=status,
        record_version=1,
        held_at=datetime(2026, 11, 20, 10, 30),
        mode=mode,
        chair_name="Chris Chair",
        chair_role="Team manager",
        minute_taker=EXCLUDED,
        local_authority="Testshire",
        referral_received=date(2026, 11, 18),
        urgency=urgency,
        concerns=[],
        reason=EXCLUDED,
        immediate_action=EXCLUDED,
        late_reason=EXCLUDED,
        risks=EXCLUDED,
        strengths=EXCLUDED,
        child_voice=EXCLUDED,
        child_voice_plan=EXCLUDED,
        other_children_note=EXCLUDED,
        parents_carers=EXCLUDED,
        household_members=EXCLUDED,
        alleged_person=EXCLUDED,
        alleged_person_aliases=EXCLUDED,
        contingency=EXCLUDED,
        referrer=EXCLUDED,
        assessment_over_reason=EXCLUDED,
        family_summary=family_text,
        family_summary_confirmed=True,
    )
    meeting.children = [
        Child(
            name=EXCLUDED if role is ChildRole.CONTACT else f"Child {n}",
            role=role,
            date_of_birth=date(2018, 1, 1),
            reference=EXCLUDED,
            outcome_note=EXCLUDED,
            seen_by=EXCLUDED,
            not_alone_reason=EXCLUDED,
        )
        for n, role in enumerate(roles or [ChildRole.SUBJECT, ChildRole.CONTACT])
    ]
    meeting.attendees = [
        Attendee(
            name=EXCLUDED,
            role=EXCLUDED,
            agency=agency,
            organisation=EXCLUDED,
            email=f"{EXCLUDED}@example.org",
            attendance=present,
            absence_reason=EXCLUDED,
            escalation=EXCLUDED,
        )
        for agency, present in (attendance or [(Agency.POLICE, Attendance.PRESENT)])
    ]
    meeting.information = information or [
        InformationItem(
            agency=Agency.HEALTH, text="Shareable words", family_sharing=FamilySharing.YES
        ),
        InformationItem(
            agency=Agency.POLICE, text=f"x {WITHHELD}", family_sharing=FamilySharing.NO
        ),
    ]
    meeting.decisions = [
        Decision(
            kind="family_information",
            choice=choice,
            rationale=EXCLUDED,
            recorded_by=EXCLUDED,
            details={"by_whom": EXCLUDED, "when": f"After the police interview {EXCLUDED}"},
        ),
        Decision(
            kind="s47",
            choice="joint",
            rationale=EXCLUDED,
            recorded_by=EXCLUDED,
            details={"lead_social_worker": EXCLUDED},
        ),
    ]
    meeting.dissents = [
        Dissent(decision_kind="s47", name=EXCLUDED, text=EXCLUDED, escalation=EXCLUDED)
    ]
    meeting.actions = [Action(text=EXCLUDED, owner=EXCLUDED, completion_note=EXCLUDED)]
    meeting.signoffs = [
        SignOff(name="Chris Chair", role="Team manager", signed_at=datetime(2026, 11, 20, 12))
    ]
    return meeting


@st.composite
def meetings(draw: st.DrawFn) -> Meeting:
    return make_meeting(
        form_id=draw(st.sampled_from(["initial", "review", "exploitation", "lado"])),
        status=draw(st.sampled_from([MeetingStatus.SIGNED, MeetingStatus.CIRCULATED])),
        mode=draw(st.sampled_from(list(Mode))),
        urgency=draw(st.sampled_from(list(Urgency))),
        roles=draw(st.lists(st.sampled_from(list(ChildRole)), min_size=1, max_size=4)),
        attendance=draw(
            st.lists(
                st.tuples(st.sampled_from(list(Agency)), st.sampled_from(list(Attendance))),
                min_size=1,
                max_size=6,
            )
        ),
        information=draw(st.lists(items(), min_size=1, max_size=8)),
        choice=draw(st.sampled_from(["share_now", "share_later"])),
        family_text="For the family: " + draw(plain),
    )


def family_copy(meeting: Meeting, forms: FormRegistry, protocol: Protocol) -> bytes:
    """The family copy a signed *meeting* gets at sign-off (unsigned here: the content is the
    point); a meeting not signed has no sign-off, so no family copy."""
    signoff = meeting.signoffs[-1] if meeting.is_locked else None
    return record_bytes(meeting, forms=forms, protocol=protocol, signoff=signoff, family=True)


def _all_text(data: bytes) -> dict[str, str]:
    """Each part as raw text and as its XML text nodes joined (so split runs cannot hide)."""
    out = {}
    for name, raw in parts(data).items():
        text = raw.decode("utf-8", "replace")
        if name.endswith((".xml", ".rels")):
            text += "\n" + "".join(etree.fromstring(raw).itertext())
        out[name] = text
    return out


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(meeting=meetings())
def test_family_copy_never_holds_anything_not_marked_shareable(
    meeting: Meeting, forms: FormRegistry, protocol: Protocol
) -> None:
    data = family_copy(meeting, forms, protocol)
    for name, text in _all_text(data).items():
        for marker in MARKERS:
            assert marker not in text, f"{marker} leaked into {name}"
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert meeting.family_summary.strip() in body
    for child in meeting.children:
        if child.role is not ChildRole.CONTACT:
            assert child.name in _all_text(data)["word/document.xml"]


def test_the_full_record_does_hold_the_markers(forms: FormRegistry, protocol: Protocol) -> None:
    """The canary test is only meaningful if the markers reach the full record."""
    meeting = make_meeting()
    data = record_bytes(meeting, forms=forms, protocol=protocol, signoff=meeting.signoffs[-1])
    text = "\n".join(_all_text(data).values())
    assert WITHHELD in text and EXCLUDED in text


@pytest.mark.parametrize(
    ("status", "choice", "message"),
    [
        (MeetingStatus.IN_PROGRESS, "share_now", "must sign the record first"),
        (MeetingStatus.SIGNED, "do_not_share", "“Do not share at this stage”"),
        (MeetingStatus.SIGNED, "", "no decision"),
        (MeetingStatus.SIGNED, "unconfirmed", "not written and confirmed by the chair"),
        (MeetingStatus.SIGNED, "unwritten", "not written and confirmed by the chair"),
    ],
)
def test_family_copy_is_refused_when_it_must_not_be_made(
    forms: FormRegistry, protocol: Protocol, status: MeetingStatus, choice: str, message: str
) -> None:
    meeting = make_meeting(status=status, choice=choice)
    if not choice:
        meeting.decisions = meeting.decisions[1:]
    if choice in ("unconfirmed", "unwritten"):
        meeting.decision("family_information").choice = "share_now"  # type: ignore[union-attr]
        if choice == "unconfirmed":
            meeting.family_summary_confirmed = False
        else:
            meeting.family_summary = "  "
    with pytest.raises(RecordError, match=message):
        family_copy(meeting, forms, protocol)


def test_share_later_comes_with_a_caution(forms: FormRegistry, protocol: Protocol) -> None:
    meeting = make_meeting(choice="share_later")
    caution = family_caution(meeting, meeting.signoffs[-1], forms=forms, protocol=protocol)
    assert caution == (
        "The discussion agreed to share information with the family later, once agreed with "
        "the police: give the family copy only then."
    )
    assert EXCLUDED not in caution  # the chair's "when" is a working note, never repeated
