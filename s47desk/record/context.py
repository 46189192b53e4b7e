"""What a record is written from besides the meeting: form, protocol, signer and fingerprint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from s47desk.forms import FormDefinition
from s47desk.models import SignOff, utcnow
from s47desk.protocol import Protocol

if TYPE_CHECKING:
    from cryptography import x509

    from s47desk.amendments import Version

CONFIDENTIALITY = (
    "This record is confidential. It holds personal and sensitive information about children "
    "and their families, shared between agencies to safeguard children under the Children Act "
    "1989 and Working Together to Safeguard Children 2023. Keep it securely, share it only with "
    "people who need it to safeguard the children named in it, and do not copy it into other "
    "records beyond your agency's own case record. Information marked as not to be shared with "
    "the family must not be disclosed to the family or to anyone who might pass it on; ask the "
    "chair before disclosing any part of this record outside the agencies listed in the "
    "distribution list."
)

FAMILY_CONFIDENTIALITY = (
    "This summary is for you and your family. It contains personal information about your "
    "family, so please keep it somewhere safe and think carefully before showing it to anyone "
    "else. If anything in it is wrong, or you do not understand it, please tell the social "
    "worker named in it or the local authority."
)


@dataclass(frozen=True)
class Signer:
    """The certificate that will sign the file, named in the body so the signature covers it.

    Both fingerprints are printed: recipients using LibreOffice see only SHA-1 (and MD5).
    `issuer` is "self-signed" or the issuer's distinguished name. s47desk verify checks what
    the body prints against the certificate that actually signed.
    """

    name: str
    certificate_sha256: str
    certificate_sha1: str = ""
    issuer: str = ""

    @classmethod
    def of(cls, certificate: x509.Certificate) -> Signer:
        """What the body prints about the certificate that will sign it."""
        from s47desk.record.certificate import certificate_sha256
        from s47desk.record.certificate_facts import (
            certificate_sha1,
            issuer_description,
            subject_name,
        )

        return cls(
            name=subject_name(certificate),
            certificate_sha256=certificate_sha256(certificate),
            certificate_sha1=certificate_sha1(certificate),
            issuer=issuer_description(certificate),
        )


@dataclass(frozen=True)
class RecordContext:
    """What a record is written from besides the meeting.

    *signoff* is the chair's authorisation the record carries (None: a draft); it is passed in,
    not read from the meeting, because the signed record is made at the moment of signing,
    before the meeting is stored as signed.
    """

    form_title: str
    form_concerns: frozenset[str]
    protocol: Protocol
    content_fingerprint: str
    signer: Signer | None = None
    signoff: SignOff | None = None
    history: tuple[Version, ...] = ()  # every version of this record, oldest first
    form: FormDefinition | None = None  # None: a form this installation does not know

    @property
    def signed(self) -> bool:
        return self.signoff is not None

    @property
    def asked(self) -> frozenset[str]:
        """The fields the record may print: its form's (all of them for an unknown form)."""
        from s47desk.fields import FIELDS

        return frozenset(self.form.fields) if self.form else frozenset(FIELDS)

    @property
    def as_at(self) -> date:
        """The day the record speaks for: its signing day, or today for a draft."""
        return (self.signoff.signed_at if self.signoff else utcnow()).date()

    @classmethod
    def of(
        cls,
        form: FormDefinition | None,
        protocol: Protocol,
        fingerprint: str,
        signer: Signer | None = None,
        signoff: SignOff | None = None,
        history: Sequence[Version] = (),
    ) -> RecordContext:
        title = form.title if form else "Strategy discussion"
        concerns = form.implies_concerns if form else frozenset()
        return cls(title, concerns, protocol, fingerprint, signer, signoff, tuple(history), form)
