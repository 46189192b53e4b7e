"""Operations on meetings that the window, the command line and the record share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from s47desk.checks import Finding, Severity, is_ready, run_checks
from s47desk.deadlines import Deadline, meeting_deadlines, next_deadline
from s47desk.errors import UserError
from s47desk.forms import FormDefinition, FormRegistry
from s47desk.lock import SignedRecordError
from s47desk.meetingfile import MeetingFileError
from s47desk.meetingfile.reader import ParsedMeeting
from s47desk.models import Meeting, SignOff, utcnow
from s47desk.protocol import Protocol
from s47desk.record.fingerprint import content_fingerprint
from s47desk.vocab import ActionStatus, MeetingStatus, Urgency


class MeetingNotFound(LookupError, UserError):
    pass


class NotReadyToSign(UserError):
    """Signing was refused: blockers remain."""

    def __init__(self, blockers: list[Finding]) -> None:
        self.blockers = blockers
        super().__init__(
            f"The record cannot be signed: {len(blockers)} blocker(s) remain, first: "
            f"{blockers[0].message}"
        )


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise MeetingNotFound(f"there is no meeting {meeting_id}")
    return meeting


def create_meeting(
    session: Session,
    form: FormDefinition,
    *,
    referral_received: date | None = None,
    concerns_identified: date | None = None,
    urgency: Urgency = Urgency.STANDARD,
    chair_name: str = "",
    chair_role: str = "",
    local_authority: str = "",
) -> Meeting:
    """A new draft meeting of *form*, with the form's implied concerns already recorded."""
    meeting = Meeting(
        form_id=form.id,
        referral_received=referral_received,
        concerns_identified=concerns_identified,
        urgency=urgency,
        concerns=sorted(form.implies_concerns),
        chair_name=chair_name,
        chair_role=chair_role,
        local_authority=local_authority,
    )
    session.add(meeting)
    session.flush()
    return meeting


@dataclass(frozen=True)
class Readiness:
    """Readiness to sign: what the checks and the calendar say about one meeting."""

    findings: list[Finding]
    deadlines: dict[str, Deadline]

    @property
    def ready(self) -> bool:
        return is_ready(self.findings)

    @property
    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.BLOCKER]


def readiness(meeting: Meeting, form: FormDefinition, protocol: Protocol) -> Readiness:
    return Readiness(
        run_checks(meeting, form, protocol),
        meeting_deadlines(meeting, protocol, form.implies_concerns),
    )


@dataclass(frozen=True)
class MeetingSummary:
    id: int
    child: str
    form_id: str
    form_title: str
    status: MeetingStatus
    held_at: datetime | None
    next_deadline: Deadline | None
    open_actions: int
    overdue_actions: int


def summaries(
    session: Session, forms: FormRegistry, protocol: Protocol, today: date
) -> list[MeetingSummary]:
    """Every meeting, newest first, with its next deadline and action counts."""
    query = (
        select(Meeting)
        .options(
            selectinload(Meeting.children),
            selectinload(Meeting.actions),
            selectinload(Meeting.decisions),
            selectinload(Meeting.initiating_meeting),
        )
        .order_by(Meeting.id.desc())
    )
    out = []
    for meeting in session.scalars(query):
        form = forms.get(meeting.form_id) if meeting.form_id in forms else None
        open_actions = [a for a in meeting.actions if a.status is ActionStatus.OPEN]
        out.append(
            MeetingSummary(
                id=meeting.id,
                child=meeting.display_name(),
                form_id=meeting.form_id,
                form_title=form.title if form else meeting.form_id,
                status=meeting.status,
                held_at=meeting.held_at,
                next_deadline=next_deadline(
                    meeting_deadlines(
                        meeting, protocol, form.implies_concerns if form else frozenset()
                    )
                ),
                open_actions=len(open_actions),
                overdue_actions=sum(1 for a in open_actions if a.due is not None and a.due < today),
            )
        )
    return out


def import_meeting(session: Session, parsed: ParsedMeeting) -> Meeting:
    """Store a parsed meeting file as a new meeting; refuse one that is already stored."""
    meeting = parsed.meeting
    existing = session.scalar(select(Meeting.id).where(Meeting.uid == meeting.uid))
    if meeting.uid and existing is not None:
        raise MeetingFileError(
            [f"$.meeting.uid: this meeting is already stored as meeting {existing}"]
        )
    if parsed.initiating_uid:
        meeting.initiating_meeting = session.scalar(
            select(Meeting).where(Meeting.uid == parsed.initiating_uid)
        )
    session.add(meeting)
    session.flush()
    return meeting


def sign_meeting(
    session: Session,
    meeting: Meeting,
    form: FormDefinition,
    protocol: Protocol,
    *,
    name: str,
    role: str,
    at: datetime | None = None,
) -> SignOff:
    """The chair signs: only with no blocker; afterwards the meeting can never change."""
    if meeting.is_locked:
        raise SignedRecordError(f"Meeting {meeting.id} is already signed.")
    if not name.strip() or not role.strip():
        raise ValueError("Enter the name and role of the person signing.")
    blockers = readiness(meeting, form, protocol).blockers
    if blockers:
        raise NotReadyToSign(blockers)
    signoff = SignOff(
        name=name.strip(),
        role=role.strip(),
        signed_at=at or utcnow(),
        record_version=meeting.record_version,
        fingerprint=content_fingerprint(meeting),
    )
    meeting.signoffs.append(signoff)
    meeting.status = MeetingStatus.SIGNED
    session.flush()
    return signoff
