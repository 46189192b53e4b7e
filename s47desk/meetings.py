"""Operations on meetings that the window, the command line and the record share.

SQLAlchemy and the models are imported where used: the command line lists the meetings of a
SQLite file without them (s47desk.list_read).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from s47desk.deadlines import Deadline, meeting_deadlines, next_deadline
from s47desk.errors import UserError
from s47desk.forms import FormDefinition, FormRegistry
from s47desk.protocol import Protocol
from s47desk.reference import make_reference
from s47desk.vocab import ActionStatus, MeetingStatus, Urgency

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from s47desk.meetingfile.reader import ParsedMeeting
    from s47desk.models import Meeting
    from s47desk.plain_rows import PlainMeeting
    from s47desk.signoff_check import Document


class MeetingNotFound(LookupError, UserError):
    pass


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    from s47desk.models import Meeting

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
    from s47desk.models import Meeting

    meeting = Meeting(
        form_id=form.id,
        reference="",
        referral_received=referral_received,
        concerns_identified=concerns_identified,
        urgency=urgency,
        concerns=sorted(form.implies_concerns),
        chair_name=chair_name,
        chair_role=chair_role,
        local_authority=local_authority,
    )
    meeting.reference = make_reference(meeting.uid, local_authority)
    session.add(meeting)
    session.flush()
    return meeting


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
    reference: str = ""
    altered: bool = False  # signed, but the content no longer matches the chair's sign-off
    children: tuple[str, ...] = ()  # every child's name and case reference, for searching


def summarise(
    meeting: Meeting, forms: FormRegistry, protocol: Protocol, today: date, *, altered: bool
) -> MeetingSummary:
    """One meeting's line in the list: from a graph (the open meeting, as edited) or from
    plain rows (plain_rows.PlainMeeting, which answers what is read here)."""
    form = forms.get(meeting.form_id) if meeting.form_id in forms else None
    open_actions = [a for a in meeting.actions if a.status is ActionStatus.OPEN]
    return MeetingSummary(
        id=meeting.id,
        child=meeting.display_name(),
        form_id=meeting.form_id,
        form_title=form.title if form else meeting.form_id,
        status=meeting.status,
        held_at=meeting.held_at,
        next_deadline=next_deadline(
            meeting_deadlines(meeting, protocol, form if form is not None else frozenset())
        ),
        open_actions=len(open_actions),
        overdue_actions=sum(1 for a in open_actions if a.due is not None and a.due < today),
        reference=meeting.reference,
        altered=altered,
        children=tuple(t for c in meeting.children for t in (c.name, c.reference) if t),
    )


def summaries(
    session: Session | Connection | list[PlainMeeting],
    forms: FormRegistry,
    protocol: Protocol,
    today: date,
    *,
    ids: Iterable[int] | None = None,
) -> list[MeetingSummary]:
    """Every meeting (or those of *ids*), newest first, with its next deadline, action counts
    and whether a signed one was altered after signing (signoff_check.check_signoff's answer).

    Read in bulk as plain rows (s47desk.meeting_rows), one statement per table, in one read
    transaction — or given already read so (s47desk.list_read, as they are: *ids* is for
    reading); the chair's signatures already verified on this machine are remembered
    (signoff_rows.VerifiedSignatures), the content is compared every time.
    """
    from s47desk.plain_rows import paused_gc
    from s47desk.signoff_rows import default_cache, signoff_ok

    cache = default_cache()
    with paused_gc():
        if isinstance(session, list):
            plain = session
        else:
            from sqlalchemy.orm import Session

            from s47desk import meeting_rows

            connection = session.connection() if isinstance(session, Session) else session
            plain = meeting_rows.load(connection, ids=ids)
        out = [
            summarise(m.as_meeting(), forms, protocol, today, altered=not signoff_ok(m, cache))
            for m in plain
        ]
    cache.save()
    return out


def import_meeting(session: Session, parsed: ParsedMeeting, *, provenance: str = "") -> Meeting:
    """Store a parsed meeting file as a new meeting; refuse one that is already stored.

    Import cannot sign: a meeting comes in as a draft, unless it carries a sign-off whose
    chair's signature verifies against its content (and its signed files against the
    sign-off), in which case it stays signed and read-only, with where it came from recorded.
    A sign-off that does not verify is refused with the reason; nothing is written.
    """
    from sqlalchemy import select

    from s47desk.meetingfile import MeetingFileError
    from s47desk.models import Meeting, SignedDocument
    from s47desk.signoff_check import check_signoff

    meeting = parsed.meeting
    existing = session.scalar(select(Meeting.id).where(Meeting.uid == meeting.uid))
    if meeting.uid and existing is not None:
        raise MeetingFileError(
            [f"$.meeting.uid: this meeting is already stored as meeting {existing}"]
        )
    status = meeting.status
    signed = status in (MeetingStatus.SIGNED, MeetingStatus.CIRCULATED)
    if meeting.signoffs and not signed:
        raise MeetingFileError(
            ["$.meeting.signoffs: a meeting that is not signed cannot carry a sign-off"]
        )
    if signed:
        check = check_signoff(meeting)
        problems = [] if check.ok else [f"$.meeting.signoffs: {check.summary}"]
        if not check.digital or not meeting.signoffs or not meeting.signoffs[-1].statement:
            problems = [
                "$.meeting.signoffs: this sign-off was made without the chair's digital "
                "signature, so it cannot be proven; remove it (and set status to draft) to "
                "import the meeting as a draft"
            ]
        problems += _document_problems(meeting, parsed.documents)
        if problems:
            raise MeetingFileError(
                [
                    *problems,
                    "nothing was imported: a signed meeting is imported only with its "
                    "chair's signature intact",
                ]
            )
    if parsed.initiating_uid:
        meeting.initiating_meeting = session.scalar(
            select(Meeting).where(Meeting.uid == parsed.initiating_uid)
        )
    if not meeting.reference:
        meeting.reference = make_reference(meeting.uid, meeting.local_authority)
    meeting.provenance = provenance
    meeting.status = MeetingStatus.DRAFT  # the record first: a signed meeting takes no rows
    session.add(meeting)
    session.flush()
    if signed:
        session.add_all(
            SignedDocument(
                meeting_id=meeting.id,
                record_version=meeting.record_version,
                kind=doc.kind,
                filename=doc.filename,
                sha256=doc.sha256,
                data=doc.data,
            )
            for doc in parsed.documents
        )
        session.flush()
    if meeting.status is not status:
        meeting.status = status
        session.flush()
    return meeting


def _document_problems(meeting: Meeting, documents: Sequence[Document]) -> list[str]:
    """The signed files a signed meeting file carries must be the ones its sign-off lists."""
    import json

    listed = json.loads(meeting.signoffs[-1].statement or "{}").get("documents", {})
    carried = {d.kind: d.sha256 for d in documents}
    if carried != listed:
        return [
            "$.meeting.signed_documents: the signed files are not the ones the chair's "
            "sign-off lists"
        ]
    return []
