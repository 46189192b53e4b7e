"""When and by which certificate: the XAdES SignedProperties and the signing times.

The signing time is what the signer's computer claimed; these checks make sure the signature
states one time, covers it, and does not claim a time that has not come yet.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from s47desk.record.certificate_facts import utc_text
from s47desk.record.signature.canonical import sha256
from s47desk.record.signature.names import DS, MDSSI, XADES
from s47desk.record.signature.xmldsig import is_referenced, stated_sha256

# How far ahead of this computer's clock the signer's clock may run.
CLOCK_SKEW = timedelta(hours=1)


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
    return _aware(signature_properties.findtext(XADES + "SigningTime"), problems)


def unsigned_objects(root: etree._Element, referenced: dict[str, etree._Element]) -> list[str]:
    """Every ds:Object must hold something SignedInfo signs.

    Word and LibreOffice display what they find in the Objects (signing time, comments), so an
    Object added after signing could show a reader anything.
    """
    signed = set()
    for element in referenced.values():
        while element.getparent() is not None and element.getparent() is not root:
            element = element.getparent()
        signed.add(element)
    if any(obj not in signed for obj in root.iterchildren(DS + "Object")):
        return ["The signature holds a section that it does not sign (added after signing)."]
    return []


def signing_time_problems(root: etree._Element, signed_at: datetime | None) -> list[str]:
    """The Office signing time (mdssi) must agree with XAdES', and neither may be in the future."""
    if signed_at is None:
        return []
    problems: list[str] = []
    for value in root.iter(MDSSI + "Value"):
        office_time = _aware(value.text, problems)
        if office_time is not None and not _same_second(office_time, signed_at):
            problems.append(
                f"The signature states two different signing times: {utc_text(signed_at)} and "
                f"{utc_text(office_time)}."
            )
    if signed_at > datetime.now(UTC) + CLOCK_SKEW:
        problems.append(
            f"The signature claims to have been made on {utc_text(signed_at)}, which is in the "
            "future."
        )
    return problems


def _same_second(first: datetime, second: datetime) -> bool:
    """Equal to the second: the Office format has no fractions of a second, XAdES may."""
    return first.replace(microsecond=0) == second.replace(microsecond=0)


def _aware(text: str | None, problems: list[str]) -> datetime | None:
    try:
        when = datetime.fromisoformat((text or "").strip())
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        problems.append("The signing time is missing or unreadable.")
        return None
    return when.astimezone(UTC)
