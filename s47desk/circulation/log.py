"""The circulation log: who was sent which version of the record, when and how.

A meeting counts as circulated (its circulation deadline met) only once the record has left:
sent by s47desk, or sent by the chair from their own mail program and confirmed here. Writing
drafts alone does not count, so a forgotten draft never shows as a met deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from s47desk.models import Circulation, Meeting, utcnow
from s47desk.vocab import Agency, MeetingStatus

DRAFT, SMTP, BY_HAND = "draft", "smtp", "by_hand"
METHOD_LABELS = {
    DRAFT: "Draft written",
    SMTP: "Sent by s47desk",
    BY_HAND: "Sent from the chair's mail program",
}


@dataclass(frozen=True)
class Entry:
    """One log row as the window and command line show it."""

    agency: Agency
    recipients: str
    method: str
    at: datetime
    by: str
    record_version: int
    content_fingerprint: str

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method, self.method)


def history(session: Session, meeting_id: int) -> list[Entry]:
    rows = session.scalars(
        select(Circulation)
        .where(Circulation.meeting_id == meeting_id)
        .order_by(Circulation.at, Circulation.id)
    )
    return [
        Entry(r.agency, r.recipients, r.method, r.at, r.by, r.record_version, r.content_fingerprint)
        for r in rows
    ]


def mark_circulated(meeting: Meeting) -> None:
    """Signed → circulated (the only change the lock allows a signed meeting)."""
    if meeting.status is MeetingStatus.SIGNED:
        meeting.status = MeetingStatus.CIRCULATED


def confirm_sent_by_hand(session: Session, meeting: Meeting, *, by: str) -> list[Circulation]:
    """Record that the latest drafts (this record version) were sent from a mail program.

    Returns the new log rows; raises LookupError when there are no drafts to confirm.
    """
    drafts = list(
        session.scalars(
            select(Circulation)
            .where(
                Circulation.meeting_id == meeting.id,
                Circulation.method == DRAFT,
                Circulation.record_version == meeting.record_version,
            )
            .order_by(Circulation.at.desc(), Circulation.id.desc())
        )
    )
    if not drafts:
        raise LookupError(
            f"No drafts of meeting {meeting.id}'s record were written, so none can be confirmed "
            "as sent: run circulate first."
        )
    latest = drafts[0].at
    now = utcnow()
    rows = [
        Circulation(
            meeting_id=d.meeting_id,
            agency=d.agency,
            recipients=d.recipients,
            method=BY_HAND,
            at=now,
            by=by,
            record_version=d.record_version,
            content_fingerprint=d.content_fingerprint,
            document_sha256=d.document_sha256,
            signer_sha256=d.signer_sha256,
            message_id=d.message_id,
        )
        for d in reversed(drafts)
        if d.at == latest
    ]
    session.add_all(rows)
    mark_circulated(meeting)
    session.flush()
    return rows
