"""Export a meeting's Word record (full or family copy), optionally signed, safely to disk.

The one entry point the window and the command line share: it checks the record still matches
what the chair authorised, builds it, signs it, checks the signature it just made, and only then
replaces the file (temp file, fsync, rename), so a failure never leaves a half-written record
or destroys an earlier one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from s47desk.atomic import atomic_write_bytes
from s47desk.errors import UserError
from s47desk.forms import FormRegistry
from s47desk.meetings import MeetingNotFound, get_meeting
from s47desk.models import Meeting
from s47desk.protocol import Protocol
from s47desk.record.certificate import SigningIdentity
from s47desk.record.context import RecordContext, Signer
from s47desk.record.family import FamilyCopyRefused, family_view, render_family
from s47desk.record.fingerprint import content_fingerprint
from s47desk.record.full import render_full
from s47desk.record.labels import latest_signoff, reference
from s47desk.record.signature import sign_docx, verify_docx

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
        """A file name that names no child: the reference, version and kind of copy."""
        kind = "family-copy" if self.family else "record"
        return f"strategy-discussion-{self.reference}-v{self.record_version}-{kind}.docx"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    record: BuiltRecord


def check_integrity(meeting: Meeting) -> str:
    """The content fingerprint, refusing a signed meeting whose content changed since signing."""
    fingerprint = content_fingerprint(meeting)
    signoff = latest_signoff(meeting)
    stored = signoff.fingerprint if signoff is not None and meeting.is_locked else ""
    if stored and stored != fingerprint:
        raise RecordError(
            f"Meeting {meeting.id} no longer matches what the chair signed (content fingerprint "
            f"{stored[:12]}… at signing, {fingerprint[:12]}… now). The database may have been "
            "changed outside s47desk; no record was written. Ask your system administrator."
        )
    return fingerprint


def build_record(
    meeting: Meeting,
    *,
    forms: FormRegistry,
    protocol: Protocol,
    family: bool = False,
    identity: SigningIdentity | None = None,
    progress: Progress | None = None,
) -> BuiltRecord:
    """Build (and with *identity*, sign) the record of *meeting* in memory."""
    say = progress or (lambda _message: None)
    if identity is not None and not meeting.is_locked:
        raise RecordError(
            "A draft record cannot be signed digitally: the chair must authorise the record "
            "(review and sign) first."
        )
    fingerprint = check_integrity(meeting)
    form = forms.get(meeting.form_id) if meeting.form_id in forms else None
    signer = Signer.of(identity.certificate) if identity is not None else None
    ctx = RecordContext.of(form, protocol, fingerprint, signer)
    caution = ""
    say("Building the family copy" if family else "Building the record")
    if family:
        try:
            view = family_view(meeting, ctx)
        except FamilyCopyRefused as exc:
            raise RecordError(str(exc)) from None
        data = render_family(view, signer=signer)
        if view.share_later:
            when = f" ({view.contact_when})" if view.contact_when else ""
            caution = f"The discussion agreed to share information with the family later{when}."
    else:
        data = render_full(meeting, ctx)
    ref = reference(meeting)
    if identity is not None:
        say("Signing the record")
        comment = f"Strategy discussion record {ref}, version {meeting.record_version}"
        comment += ", family copy" if family else ""
        data = sign_docx(data, identity, comment=comment)
        say("Checking the signature")
        result = verify_docx(data, signer_sha256=identity.fingerprint_sha256)
        if not result.ok:  # never hand out a record whose signature does not verify
            raise RecordError(
                "The signed record failed its own check: " + "; ".join(result.problems)
            )
    return BuiltRecord(
        data=data,
        reference=ref,
        record_version=meeting.record_version,
        family=family,
        content_fingerprint=fingerprint,
        signer_sha256=identity.fingerprint_sha256 if identity is not None else None,
        caution=caution,
    )


def export_record(
    session: Session,
    meeting_id: int,
    path: str | Path,
    *,
    forms: FormRegistry,
    protocol: Protocol,
    family: bool = False,
    identity: SigningIdentity | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the record of meeting *meeting_id* to *path* (for the window's Export button).

    Raises RecordError (cannot be made: draft to sign, family copy refused, changed since
    signing), SigningError (key problems) or ExportError (cannot write; an earlier file at
    *path* is left as it was).
    """
    try:
        meeting = get_meeting(session, meeting_id)
    except MeetingNotFound as exc:
        raise RecordError(str(exc).capitalize() + ".") from None
    record = build_record(
        meeting, forms=forms, protocol=protocol, family=family, identity=identity, progress=progress
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
    "check_integrity",
    "export_record",
]
