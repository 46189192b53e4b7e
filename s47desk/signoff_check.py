"""Does a signed meeting still say what its chair signed? Checked on every open and export.

The chair's sign-off (s47desk.signoff) signed a statement: the content's fingerprint and a
digest per part, the audit trail's head, who signed and when, and the SHA-256 of the signed
files. Here that statement's signature is verified with the certificate stored beside it, and
the stored content is compared with it part by part, so an edit made behind s47desk's back
(with the database's own locks removed) is named, not just detected.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from sqlalchemy import select
from sqlalchemy.orm import Session

from s47desk.models import Meeting, SignedDocument, SignOff
from s47desk.record.certificate import certificate_sha256
from s47desk.record.fingerprint import (
    CONTENT_VERSION,
    content_fingerprint,
    filled_in_later,
    part_digests,
)

STATEMENT_FORMAT = "s47desk-signoff"
RECORD, FAMILY_COPY = "record", "family_copy"


@dataclass(frozen=True)
class Document:
    """A signed file made at sign-off."""

    kind: str  # RECORD or FAMILY_COPY
    filename: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def canonical(value: Any) -> bytes:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8", "surrogatepass")


def statement(
    meeting: Meeting, signoff: SignOff, certificate: x509.Certificate, documents: Sequence[Document]
) -> dict[str, Any]:
    """What the chair's key signs."""
    return {
        "format": STATEMENT_FORMAT,
        "version": 1,
        "meeting_uid": meeting.uid,
        "reference": meeting.reference,
        "record_version": signoff.record_version,
        "content_sha256": signoff.fingerprint,
        "content_version": CONTENT_VERSION,
        "parts": part_digests(meeting),
        "audit_head": signoff.audit_head,
        "signed_by": {
            "name": signoff.name,
            "role": signoff.role,
            "on_behalf_of": signoff.on_behalf_of,
        },
        "signed_at": signoff.signed_at.isoformat(timespec="seconds") + "Z",
        "certificate_sha256": certificate_sha256(certificate),
        "documents": {d.kind: d.sha256 for d in documents},
    }


@dataclass(frozen=True)
class SignoffCheck:
    """Does the stored content still match the chair's sign-off? (``ok``) If not, why, and
    which parts differ, when that is known."""

    ok: bool
    problems: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()  # the parts that differ, named for people
    digital: bool = True  # False for a sign-off made before s47desk signed them digitally

    @property
    def summary(self) -> str:
        if self.ok:
            return ""
        what = f" ({'; '.join(self.parts)})" if self.parts else ""
        return "; ".join(self.problems) + what


_NAMES = {
    "children": "child",
    "attendees": "attendee",
    "information": "information item",
    "decisions": "decision",
    "dissents": "dissent",
    "actions": "action",
}


def _part_names(meeting: Meeting, keys: Sequence[str]) -> list[str]:
    names = []
    for key in keys:
        if key == "meeting":
            names.append("the meeting's details")
            continue
        collection, _, uid = key.partition("/")
        rows = getattr(meeting, collection, [])
        number = next((i for i, r in enumerate(rows, start=1) if r.uid == uid), None)
        label = _NAMES.get(collection, collection)
        if collection == "decisions":
            kind = next((r.kind for r in rows if r.uid == uid), "")
            names.append(f"the decision {kind}" if kind else "a decision that was removed")
        elif number is None:
            names.append(f"a {label} that was removed")
        else:
            names.append(f"{label} {number}")
    return names


def check_signoff(meeting: Meeting) -> SignoffCheck:
    """Check a signed meeting's content against its latest sign-off (unsigned: nothing to do)."""
    if not meeting.is_locked:
        return SignoffCheck(True)
    if not meeting.signoffs:
        return SignoffCheck(False, ("the meeting is marked signed but has no sign-off",))
    signoff = meeting.signoffs[-1]
    if not signoff.statement:  # signed by an earlier s47desk: only its fingerprint to go by
        if signoff.fingerprint != content_fingerprint(meeting, version=1) or filled_in_later(
            meeting, 1
        ):
            problem = "the content no longer matches the fingerprint stored at sign-off"
            return SignoffCheck(False, (problem,), digital=False)
        return SignoffCheck(True, digital=False)
    problems: list[str] = []
    try:
        said = json.loads(signoff.statement)
        certificate = x509.load_der_x509_certificate(base64.b64decode(signoff.certificate))
        key = certificate.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("not an RSA key")
        key.verify(
            base64.b64decode(signoff.signature),
            signoff.statement.encode("utf-8", "surrogatepass"),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (ValueError, TypeError, InvalidSignature):
        return SignoffCheck(False, ("the chair's signature over the sign-off does not verify",))
    expected = {
        "meeting_uid": meeting.uid,
        "record_version": signoff.record_version,
        "content_sha256": signoff.fingerprint,
        "audit_head": signoff.audit_head,
        "signed_at": signoff.signed_at.isoformat(timespec="seconds") + "Z",
        "certificate_sha256": certificate_sha256(certificate),
    }
    for key_name, value in expected.items():
        if said.get(key_name) != value:
            problems.append(
                f"the stored sign-off does not match what the chair signed ({key_name})"
            )
    signer = {"name": signoff.name, "role": signoff.role, "on_behalf_of": signoff.on_behalf_of}
    if said.get("signed_by") != signer:
        problems.append("the stored sign-off names someone other than the chair who signed")
    parts: list[str] = []
    version = said.get("content_version", 2)  # statements before migration 0004 carry none
    if not isinstance(version, int) or not 2 <= version <= CONTENT_VERSION:
        return SignoffCheck(False, ("the sign-off names a content version s47desk does not know",))
    if content_fingerprint(meeting, version) != said.get("content_sha256"):
        problems.append("the record was changed after it was signed")
        now = part_digests(meeting, version)
        then: dict[str, str] = said.get("parts", {})
        differ = sorted(k for k in set(now) | set(then) if now.get(k) != then.get(k))
        parts = _part_names(meeting, differ)
    elif filled_in_later(meeting, version):
        problems.append("the record was changed after it was signed")
        parts = ["fields added to s47desk after it was signed"]
    return SignoffCheck(not problems, tuple(problems), tuple(parts))


def stored_documents(session: Session, meeting: Meeting) -> dict[str, SignedDocument]:
    """The signed files of the meeting's current version, by kind."""
    rows = session.scalars(
        select(SignedDocument).where(
            SignedDocument.meeting_id == meeting.id,
            SignedDocument.record_version == meeting.record_version,
        )
    )
    return {row.kind: row for row in rows}
