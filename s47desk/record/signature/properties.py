"""The XAdES SignedProperties: which certificate signed, and when the signer says it signed."""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from s47desk.record.signature.canonical import sha256
from s47desk.record.signature.names import XADES
from s47desk.record.signature.xmldsig import is_referenced, stated_sha256


def check_signed_properties(
    root: etree._Element,
    certificate: x509.Certificate,
    referenced: dict[str, etree._Element],
    problems: list[str],
) -> datetime | None:
    """Check the XAdES properties name the embedded certificate; return the signing time."""
    found = list(root.iter(XADES + "SignedProperties"))
    properties = found[0] if len(found) == 1 else None
    if properties is None or not is_referenced(properties, referenced):
        problems.append(
            "The signing time and certificate details are not covered by the signature."
        )
        return None
    signature_properties = properties.find(XADES + "SignedSignatureProperties")
    if signature_properties is None:
        problems.append("The signature does not say when it was made or by which certificate.")
        return None
    cert_digest = signature_properties.find(
        f"{XADES}SigningCertificate/{XADES}Cert/{XADES}CertDigest"
    )
    expected = sha256(certificate.public_bytes(Encoding.DER))
    if cert_digest is None or stated_sha256(cert_digest) != expected:
        problems.append(
            "The signed certificate details do not match the certificate inside the signature."
        )
    return _signing_time_of(signature_properties, problems)


def _signing_time_of(signature_properties: etree._Element, problems: list[str]) -> datetime | None:
    text = (signature_properties.findtext(XADES + "SigningTime") or "").strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        problems.append("The signing time is missing or unreadable.")
        return None
    return when.astimezone(UTC)
