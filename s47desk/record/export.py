"""The Word record of a meeting: made and signed once at sign-off, then only ever copied.

A signed meeting's record and family copy are the files made and signed at the moment the
chair signed (s47desk.signoff): every export and every circulation of that version writes those
same bytes, after checking the stored content still matches the sign-off and the files still
match what it lists. A draft's record is made fresh, marked DRAFT and unsigned. Writing is
atomic (temp file, fsync, rename): a failure never leaves a half-written record or destroys an
earlier one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from s47desk.amendments import Version, versions
from s47desk.atomic import atomic_write_bytes
from s47desk.errors import UserError
from s47desk.forms import FormRegistry
from s47desk.meetings import MeetingNotFound
from s47desk.models import Meeting, SignOff
from s47desk.protocol import Protocol
from s47desk.record.context import RecordContext, Signer
from s47desk.record.fingerprint import content_fingerprint
from s47desk.record.full import render_full
from s47desk.record.labels import reference

if TYPE_CHECKING:
    # Imported where used: a draft's record needs neither the family copy nor signing nor
    # the sign-off check (cryptography's import was a tenth of the `record` command).
    from s47desk.record.certificate import SigningIdentity
    from s47desk.signoff_check import Document

Progress = Callable[[str], None]
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class RecordError(UserError):
    """The record cannot be made as asked; the message says why in plain words."""


@dataclass(frozen=True)
class BuiltRecord:
    """A finished record in memory: its bytes and what identifies it."""

    data: bytes
    reference: str
    record_version: int
    family: bool
    content_fingerprint: str
    signer_sha256: str | None
    caution: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def filename(self) -> str:
        return record_filename(self.reference, self.record_version, self.family)


def record_filename(ref: str, version: int, family: bool) -> str:
    """A file name that names no child: the reference, version and kind of copy."""
    kind = "family-copy" if family else "record"
    return f"strategy-discussion-{ref}-v{version}-{kind}.docx"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    record: BuiltRecord


def _context(
    meeting: Meeting,
    forms: FormRegistry,
    protocol: Protocol,
    signoff: SignOff | None,
    signer: Signer | None,
    history: Sequence[Version] = (),
) -> RecordContext:
    form = forms.get(meeting.form_id) if meeting.form_id in forms else None
    fingerprint = content_fingerprint(meeting)
    return RecordContext.of(form, protocol, fingerprint, signer, signoff, history)


def record_bytes(
    meeting: Meeting,
    *,
    forms: FormRegistry,
    protocol: Protocol,
    signoff: SignOff | None = None,
    signer: Signer | None = None,
    family: bool = False,
    history: Sequence[Version] = (),
) -> bytes:
    """The record (or family copy) of *meeting* as authorised by *signoff* (None: a draft),
    unsigned; RecordError when no family copy may be made."""
    ctx = _context(meeting, forms, protocol, signoff, signer, history)
    if not family:
        return render_full(meeting, ctx)
    from s47desk.record.family import FamilyCopyRefused, family_view, render_family

    try:
        return render_family(family_view(meeting, ctx), signer=signer)
    except FamilyCopyRefused as exc:
        raise RecordError(str(exc)) from None


def family_caution(
    meeting: Meeting, signoff: SignOff, *, forms: FormRegistry, protocol: Protocol
) -> str:
    """What to say when the family copy is handed out (sharing agreed for later)."""
    return _caution(meeting, _context(meeting, forms, protocol, signoff, None))


def _caution(meeting: Meeting, ctx: RecordContext) -> str:
    from s47desk.record.family import FamilyCopyRefused, family_view

    try:
        view = family_view(meeting, ctx)
    except FamilyCopyRefused:
        return ""
    if not view.share_later:
        return ""
    return (
        "The discussion agreed to share information with the family later, once agreed with "
        "the police: give the family copy only then."
    )


def signed_documents(
    meeting: Meeting,
    signoff: SignOff,
    identity: SigningIdentity,
    when: datetime,
    *,
    forms: FormRegistry,
    protocol: Protocol,
    history: Sequence[Version] = (),
) -> list[Document]:
    """The record and (where the discussion agreed to share) the family copy, made and signed
    for *signoff* at *when*; each signature checked before it is handed out."""
    from s47desk.record.signature import sign_docx, verify_docx
    from s47desk.signoff_check import FAMILY_COPY, RECORD, Document

    signer = Signer.of(identity.certificate)
    ref = reference(meeting)
    full = record_bytes(
        meeting, forms=forms, protocol=protocol, signoff=signoff, signer=signer, history=history
    )
    made = [(RECORD, full)]
    with contextlib.suppress(RecordError):  # no family copy: the record itself says why
        copy = record_bytes(
            meeting, forms=forms, protocol=protocol, signoff=signoff, signer=signer, family=True
        )
        made.append((FAMILY_COPY, copy))
    out = []
    for kind, data in made:
        family = kind == FAMILY_COPY
        comment = f"Strategy discussion record {ref}, version {meeting.record_version}"
        comment += ", family copy" if family else ""
        signed = sign_docx(data, identity, signed_at=when, comment=comment)
        result = verify_docx(signed, signer_sha256=identity.fingerprint_sha256)
        if not result.ok:  # never store a record whose signature does not verify
            raise RecordError(
                "The signed record failed its own check: " + "; ".join(result.problems)
            )
        out.append(Document(kind, record_filename(ref, meeting.record_version, family), signed))
    return out


def family_refusal(meeting: Meeting, forms: FormRegistry, protocol: Protocol) -> str:
    """Why a signed meeting has no family copy ("" when it has one)."""
    from s47desk.record.family import FamilyCopyRefused, family_view

    ctx = _context(meeting, forms, protocol, meeting.signoffs[-1], None)
    try:
        family_view(meeting, ctx)
    except FamilyCopyRefused as exc:
        return str(exc)
    return ""


def draft_record(
    meeting: Meeting,
    *,
    forms: FormRegistry,
    protocol: Protocol,
    history: Sequence[Version] = (),
) -> BuiltRecord:
    """A draft's record, made fresh: marked DRAFT, not authorised, not signed."""
    data = record_bytes(meeting, forms=forms, protocol=protocol, history=history)
    fingerprint = content_fingerprint(meeting)
    return BuiltRecord(data, reference(meeting), meeting.record_version, False, fingerprint, None)


def build_record(
    session: Session,
    meeting: Meeting,
    *,
    forms: FormRegistry,
    protocol: Protocol,
    family: bool = False,
    progress: Progress | None = None,
) -> BuiltRecord:
    """The record of *meeting*: the stored signed file once it is signed, else a new draft."""
    say = progress or (lambda _message: None)
    ref = reference(meeting)
    if not meeting.is_locked:
        if family:
            raise RecordError(
                "The family copy is made from the authorised record: the chair must sign the "
                "record first."
            )
        say("Building the draft record")
        history = versions(session, meeting) if meeting.id is not None else []
        return draft_record(meeting, forms=forms, protocol=protocol, history=history)
    from s47desk.signoff_check import FAMILY_COPY, RECORD, check_signoff, stored_documents

    say("Checking the record against the chair's sign-off")
    check = check_signoff(meeting)
    if not check.ok:
        raise RecordError(
            f"Meeting {meeting.id} was altered after it was signed: {check.summary}. No record "
            "was written. The database may have been changed outside s47desk; ask your system "
            "administrator."
        )
    signoff = meeting.signoffs[-1]
    documents = stored_documents(session, meeting)
    kind = FAMILY_COPY if family else RECORD
    stored = documents.get(kind)
    if stored is None:
        if family:
            raise RecordError(
                family_refusal(meeting, forms, protocol) or "No family copy was made."
            )
        raise RecordError(
            f"Meeting {meeting.id} was signed before s47desk kept the signed files: record an "
            "amendment to make a signed record."
        )
    listed = json.loads(signoff.statement).get("documents", {}) if signoff.statement else {}
    actual = hashlib.sha256(stored.data).hexdigest()
    if actual != stored.sha256 or listed.get(kind) != actual:
        raise RecordError(
            f"The stored {'family copy' if family else 'record'} of meeting {meeting.id} is not "
            "the file the chair signed. No record was written; ask your system administrator."
        )
    said = json.loads(signoff.statement)
    ctx = _context(meeting, forms, protocol, signoff, None)
    return BuiltRecord(
        stored.data,
        ref,
        meeting.record_version,
        family,
        signoff.fingerprint,
        str(said.get("certificate_sha256", "")) or None,
        _caution(meeting, ctx) if family else "",
    )


def export_record(
    session: Session,
    meeting_id: int,
    path: str | Path,
    *,
    forms: FormRegistry,
    protocol: Protocol,
    family: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the record of meeting *meeting_id* to *path*.

    Raises RecordError (cannot be made: a family copy of a draft, or altered after signing)
    or ExportError (cannot write; an earlier file at *path* is left as it was).
    """
    from s47desk.graph import load

    meeting = load(session, meeting_id)
    if meeting is None:
        raise RecordError(
            str(MeetingNotFound(f"there is no meeting {meeting_id}")).capitalize() + "."
        )
    record = build_record(
        session, meeting, forms=forms, protocol=protocol, family=family, progress=progress
    )
    target = Path(path)
    if progress:
        progress(f"Writing {target.name}")
    atomic_write_bytes(target, record.data)
    return ExportResult(target, record)


__all__ = [
    "DOCX_MIME",
    "BuiltRecord",
    "ExportResult",
    "RecordError",
    "build_record",
    "draft_record",
    "export_record",
    "family_caution",
    "record_bytes",
    "record_filename",
    "signed_documents",
]
