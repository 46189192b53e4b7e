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
from s47desk.record.signature.canonical import unb64
from s47desk.record.signature.manifest import check_manifest, coverage_problems
from s47desk.record.signature.names import DS
from s47desk.record.signature.package import (
    CheckError,
    Package,
    parse_xml,
    read_package,
    shown,
    signature_parts,
)
from s47desk.record.signature.properties import check_signed_properties
from s47desk.record.signature.signed_info import check_signed_info


class VerificationStatus(Enum):
    """Overall verdict on a record's signature."""

    VALID = "valid"
    INVALID = "invalid"
    UNSIGNED = "unsigned"
    NOT_A_PACKAGE = "not a package"


@dataclass(frozen=True)
class VerificationResult:
    """What s47desk found when checking a record; `problems` explains anything but VALID.

    `signer` and `signed_at` are what the signature claims: trust them only when `ok`.
    """

    status: VerificationStatus
    signer: str | None = None
    signer_sha256: str | None = None
    signed_at: datetime | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True only for a valid signature (UNSIGNED is a failure when a signature is expected)."""
        return self.status is VerificationStatus.VALID


def verify_docx(
    data_or_path: bytes | str | os.PathLike[str], *, signer_sha256: str | None = None
) -> VerificationResult:
    """Check a record's signature with s47desk's own verifier (no Java, no network).

    Besides the cryptography, checks that the signature covers every part and relationship
    except the document properties, so that anything added after signing is caught. Pin
    *signer_sha256* (the certificate's SHA-256 fingerprint): a self-signed certificate alone
    proves integrity, not identity. Raises OSError only when a path cannot be read.
    """
    data = data_or_path if isinstance(data_or_path, bytes) else Path(data_or_path).read_bytes()
    try:
        package = read_package(data)
    except CheckError as exc:
        return VerificationResult(VerificationStatus.NOT_A_PACKAGE, problems=[str(exc)])
    try:
        signatures = signature_parts(package)
    except CheckError as exc:
        return VerificationResult(VerificationStatus.INVALID, problems=[str(exc)])
    if not signatures:
        return VerificationResult(
            VerificationStatus.UNSIGNED, problems=["The document has no signature."]
        )
    if len(signatures) > 1:
        problem = f"The document holds {len(signatures)} signatures; an s47desk record has one."
        return VerificationResult(VerificationStatus.INVALID, problems=[problem])
    return _verify_signature(package, signatures[0], signer_sha256)


def _verify_signature(package: Package, name: str, pin: str | None) -> VerificationResult:
    try:
        root = _load_signature(package, name)
        certificate = _embedded_certificate(root)
    except CheckError as exc:
        return VerificationResult(VerificationStatus.INVALID, problems=[str(exc)])
    problems: list[str] = []
    signed_at = None
    try:
        referenced = check_signed_info(root, certificate, problems)
        coverage = check_manifest(package, root, referenced, problems)
        problems += coverage_problems(package, coverage)
        signed_at = check_signed_properties(root, certificate, referenced, problems)
    except CheckError as exc:
        problems.append(str(exc))
    problems += _pin_problems(certificate, pin)
    return VerificationResult(
        VerificationStatus.INVALID if problems else VerificationStatus.VALID,
        signer=common_name(certificate),
        signer_sha256=certificate_sha256(certificate),
        signed_at=signed_at,
        problems=problems,
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
