"""The chair's sign-off: a digital signature over the whole meeting, made in one transaction.

Signing re-reads the meeting inside the committing transaction, refuses while any blocker
stands, checks that the chair's certificate fits, and signs a *statement* (canonical JSON): the
content fingerprint and a digest per part, the audit trail's head, who signs and when, the
certificate, and the SHA-256 of the signed Word record and family copy made at that moment.
Those two files are stored with the sign-off and are the only files ever exported or circulated
for this version. Afterwards the sign-off is read back from the database before anyone is told
"signed".

s47desk.signoff_check does the reverse, every time a signed meeting is opened, listed, checked
or exported: the stored content must still match what the chair signed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select
from sqlalchemy.orm import Session

from s47desk.errors import UserError
from s47desk.forms import FormRegistry
from s47desk.lock import SignedRecordError
from s47desk.models import Meeting, SignedDocument, SignOff
from s47desk.protocol import Protocol
from s47desk.readiness import NotReadyToSign, readiness
from s47desk.record.certificate import SigningIdentity
from s47desk.record.fingerprint import content_fingerprint
from s47desk.signoff_check import (
    FAMILY_COPY,
    RECORD,
    Document,
    canonical,
    check_signoff,
    statement,
    stored_documents,
)
from s47desk.vocab import MeetingStatus

__all__ = [
    "FAMILY_COPY",
    "RECORD",
    "Document",
    "SignedResult",
    "check_signoff",
    "read_back",
    "seal",
    "sign_in_session",
    "stored_documents",
]


def seal(
    meeting: Meeting, signoff: SignOff, identity: SigningIdentity, documents: Sequence[Document]
) -> None:
    """The chair's signature over the statement of *signoff* (its fields set here)."""
    signoff.certificate = base64.b64encode(identity.certificate.public_bytes(Encoding.DER)).decode()
    said = canonical(statement(meeting, signoff, identity.certificate, documents))
    signoff.statement = said.decode("utf-8", "surrogatepass")
    signature = identity.private_key.sign(said, padding.PKCS1v15(), hashes.SHA256())
    signoff.signature = base64.b64encode(signature).decode()


def sign_in_session(
    session: Session,
    meeting: Meeting,
    *,
    forms: FormRegistry,
    protocol: Protocol,
    identity: SigningIdentity,
    name: str,
    role: str,
    on_behalf_of: str = "",
    ca: x509.Certificate | None = None,
    at: datetime | None = None,
) -> SignOff:
    """Sign *meeting* (fully loaded) inside the caller's write transaction.

    Raises SignedRecordError (already signed), NotReadyToSign (blockers), SigningError (the
    certificate does not fit the chair, is not valid now, or may not sign), UserError (no name).
    """
    from s47desk.record.certificate_fit import check_certificate_fits
    from s47desk.record.export import signed_documents

    form = forms.get(meeting.form_id)
    if meeting.is_locked:
        last = meeting.signoffs[-1] if meeting.signoffs else None
        who = f" by {last.name} at {last.signed_at:%d/%m/%Y %H:%M} UTC" if last else ""
        raise SignedRecordError(f"This meeting is already signed{who}.")
    if not name.strip() or not role.strip():
        raise UserError("Enter the name and role of the person signing.")
    blockers = readiness(meeting, form, protocol).blockers
    if blockers:
        raise NotReadyToSign(blockers)
    when = (at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    check_certificate_fits(
        identity, chair_name=meeting.chair_name, on_behalf_of=on_behalf_of, at=when, ca=ca
    )
    head = session.scalar(select(Meeting.audit_head).where(Meeting.id == meeting.id)) or ""
    signoff = SignOff(
        name=name.strip(),
        role=role.strip(),
        on_behalf_of=on_behalf_of.strip(),
        signed_at=when.replace(tzinfo=None),
        record_version=meeting.record_version,
        fingerprint=content_fingerprint(meeting),
        audit_head=head,
    )
    from s47desk.amendments import versions

    history = versions(session, meeting) if meeting.id is not None else []
    documents = signed_documents(
        meeting, signoff, identity, when, forms=forms, protocol=protocol, history=history
    )
    seal(meeting, signoff, identity, documents)
    meeting.signoffs.append(signoff)
    session.flush()  # the sign-off and its documents first: a signed meeting takes nothing more
    session.add_all(
        SignedDocument(
            meeting_id=meeting.id,
            record_version=meeting.record_version,
            kind=d.kind,
            filename=d.filename,
            sha256=d.sha256,
            data=d.data,
        )
        for d in documents
    )
    session.flush()
    meeting.status = MeetingStatus.SIGNED
    session.flush()
    return signoff


@dataclass
class SignedResult:
    """A sign-off as read back from the database after the commit."""

    meeting_id: int
    name: str
    role: str
    on_behalf_of: str
    signed_at: datetime
    certificate_sha256: str
    documents: dict[str, str] = field(default_factory=dict)  # kind -> SHA-256


def read_back(session: Session, meeting: Meeting) -> SignedResult:
    """What the database holds now: signed, with a sign-off that checks; else UserError."""
    check = check_signoff(meeting)
    if not meeting.is_locked or not meeting.signoffs or not check.ok:
        raise UserError(
            "The sign-off could not be read back from the database, so the meeting is not "
            "shown as signed: " + (check.summary or "it is not stored as signed") + "."
        )
    signoff = meeting.signoffs[-1]
    said = json.loads(signoff.statement) if signoff.statement else {}
    return SignedResult(
        meeting.id,
        signoff.name,
        signoff.role,
        signoff.on_behalf_of,
        signoff.signed_at,
        str(said.get("certificate_sha256", "")),
        {kind: doc.sha256 for kind, doc in stored_documents(session, meeting).items()},
    )
