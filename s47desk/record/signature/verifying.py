"""verify_docx: s47desk's own check of a record's signature (no Java, no network)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path

from cryptography import x509
from lxml import etree

from s47desk.record.certificate import certificate_sha256, common_name
from s47desk.record.certificate_facts import certificate_sha1, issuer_description, validity_period
from s47desk.record.signature.canonical import unb64
from s47desk.record.signature.manifest import check_manifest, coverage_problems
from s47desk.record.signature.names import DS
from s47desk.record.signature.package import (
    CheckError,
    Package,
    Plumbing,
    find_plumbing,
    parse_xml,
    read_package,
    shown,
)
from s47desk.record.signature.printed import printed_problems
from s47desk.record.signature.properties import (
    check_signed_properties,
    signing_time_problems,
    unsigned_objects,
)
from s47desk.record.signature.signed_info import check_signed_info
from s47desk.record.signature.trust import judge_certificate


class VerificationStatus(Enum):
    """Overall verdict on a record's signature."""

    VALID = "valid"
    INVALID = "invalid"
    UNSIGNED = "unsigned"
    NOT_A_PACKAGE = "not a package"


@dataclass(frozen=True)
class VerificationResult:
    """What s47desk found when checking a record; `problems` explains anything but VALID.

    The certificate facts describe the certificate inside the signature, whatever the status.
    `signed_at` is what the signer's computer claimed. VALID means intact and truthful about
    its certificate; who holds that certificate is proven only by a pinned fingerprint or by
    `issued_by_ca` (None: no organisation CA was given).
    """

    status: VerificationStatus
    signer: str | None = None
    signer_sha256: str | None = None
    signed_at: datetime | None = None
    problems: list[str] = field(default_factory=list)
    signer_sha1: str | None = None
    not_before: datetime | None = None
    not_after: datetime | None = None
    issuer: str | None = None  # "self-signed" or the issuer's distinguished name
    valid_at_signing: bool | None = None
    issued_by_ca: bool | None = None
    ca_name: str | None = None

    @property
    def ok(self) -> bool:
        """True only for a valid signature (UNSIGNED is a failure when a signature is expected)."""
        return self.status is VerificationStatus.VALID


def verify_docx(
    data_or_path: bytes | str | os.PathLike[str],
    *,
    signer_sha256: str | None = None,
    ca: x509.Certificate | None = None,
) -> VerificationResult:
    """Check a record's signature with s47desk's own verifier (no Java, no network).

    Besides the cryptography, checks that the signature covers every part and relationship
    except the document properties, so that anything added after signing is caught; that the
    certificate was valid at the signing time and may sign; and that what the body prints
    about its signing certificate is true of the one that signed. Pin *signer_sha256* (the
    certificate's SHA-256 fingerprint) or give the organisation *ca*: a self-signed
    certificate alone proves integrity, not identity. Raises OSError only when a path cannot
    be read.
    """
    data = data_or_path if isinstance(data_or_path, bytes) else Path(data_or_path).read_bytes()
    try:
        package = read_package(data)
    except CheckError as exc:
        return VerificationResult(VerificationStatus.NOT_A_PACKAGE, problems=[str(exc)])
    try:
        plumbing = find_plumbing(package)
    except CheckError as exc:
        return VerificationResult(VerificationStatus.INVALID, problems=[str(exc)])
    if plumbing is None or not plumbing.signatures:
        return VerificationResult(
            VerificationStatus.UNSIGNED, problems=["The document has no signature."]
        )
    if len(plumbing.signatures) > 1:
        problem = (
            f"The document holds {len(plumbing.signatures)} signatures; an s47desk record has "
            "one, and anyone can add another."
        )
        return VerificationResult(VerificationStatus.INVALID, problems=[problem])
    return _verify_signature(package, plumbing, signer_sha256, ca)


def _verify_signature(
    package: Package, plumbing: Plumbing, pin: str | None, ca: x509.Certificate | None
) -> VerificationResult:
    try:
        root = _load_signature(package, plumbing.signatures[0])
        certificate = _embedded_certificate(root)
    except CheckError as exc:
        return VerificationResult(VerificationStatus.INVALID, problems=[str(exc)])
    problems: list[str] = []
    signed_at = None
    try:
        referenced = check_signed_info(root, certificate, problems)
        problems += unsigned_objects(root, referenced)
        coverage = check_manifest(package, root, referenced, problems)
        problems += coverage_problems(package, plumbing, coverage)
        signed_at = check_signed_properties(root, certificate, referenced, problems)
        problems += signing_time_problems(root, signed_at)
        problems += printed_problems(package, certificate)
    except CheckError as exc:
        problems.append(str(exc))
    trust = judge_certificate(certificate, signed_at, ca)
    problems += trust.problems
    problems += _pin_problems(certificate, pin)
    not_before, not_after = validity_period(certificate)
    return VerificationResult(
        VerificationStatus.INVALID if problems else VerificationStatus.VALID,
        signer=common_name(certificate),
        signer_sha256=certificate_sha256(certificate),
        signed_at=signed_at,
        problems=problems,
        signer_sha1=certificate_sha1(certificate),
        not_before=not_before,
        not_after=not_after,
        issuer=issuer_description(certificate),
        valid_at_signing=trust.valid_at_signing,
        issued_by_ca=trust.issued_by_ca,
        ca_name=ca.subject.rfc4514_string() if ca is not None else None,
    )


def _load_signature(package: Package, name: str) -> etree._Element:
    if name not in package.parts:
        raise CheckError(f"The signature part {shown(name)} is missing.")
    root = parse_xml(package.parts[name], name)
    if root.tag != DS + "Signature":
        raise CheckError(f"{shown(name)} is not an XML signature.")
    return root


def _embedded_certificate(root: etree._Element) -> x509.Certificate:
    text = root.findtext(f"{DS}KeyInfo/{DS}X509Data/{DS}X509Certificate")
    if not text:
        raise CheckError("The signature does not include the signer's certificate.")
    try:
        return x509.load_der_x509_certificate(unb64(text))
    except ValueError as exc:
        raise CheckError("The signer's certificate inside the signature is damaged.") from exc


def _pin_problems(certificate: x509.Certificate, pin: str | None) -> list[str]:
    if pin is None:
        return []
    actual = certificate_sha256(certificate)
    expected = pin.replace(":", "").strip().lower()
    if actual == expected:
        return []
    return [
        f"The document was signed with certificate {actual}, "
        f"not with the expected certificate {expected}."
    ]
