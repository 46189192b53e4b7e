"""What a signing certificate says about itself, in the words a record and its reader use.

Shared by the check made before signing (certificate_fit) and the one made on receipt
(signature.verifying), so both judge a certificate by the same rules and describe it alike.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding

from s47desk.record.certificate import common_name

SELF_SIGNED = "self-signed"


def certificate_sha1(certificate: x509.Certificate) -> str:
    """Lower-case hex SHA-1 of the DER: the "thumbprint" Word and LibreOffice show."""
    return hashlib.sha1(certificate.public_bytes(Encoding.DER), usedforsecurity=False).hexdigest()


def thumbprint_text(hex_digest: str) -> str:
    """A digest as LibreOffice's certificate viewer shows it: upper-case pairs, spaced."""
    digits = hex_digest.upper()
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def bare_hex(text: str) -> str:
    """A fingerprint as typed or printed (spaces, colons, any case) in comparable form."""
    return "".join(ch for ch in text.lower() if ch not in " :\t\n\u00a0")


def subject_name(certificate: x509.Certificate) -> str:
    """The signer's name as the certificate states it (its CN, else the whole subject)."""
    return common_name(certificate) or certificate.subject.rfc4514_string()


def is_self_signed(certificate: x509.Certificate) -> bool:
    """Issued by itself: its issuer is its subject and its own key verifies its signature."""
    if certificate.issuer != certificate.subject:
        return False
    try:
        certificate.verify_directly_issued_by(certificate)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def issuer_description(certificate: x509.Certificate) -> str:
    """ "self-signed", or the issuer's distinguished name (RFC 4514)."""
    return SELF_SIGNED if is_self_signed(certificate) else certificate.issuer.rfc4514_string()


def utc_text(moment: datetime) -> str:
    """1 December 2026 at 18:22 UTC: certificates and signatures keep UTC, so say so."""
    when = moment.astimezone(UTC)
    return f"{when.day} {when:%B %Y} at {when:%H:%M} UTC"


def validity_period(certificate: x509.Certificate) -> tuple[datetime, datetime]:
    return certificate.not_valid_before_utc, certificate.not_valid_after_utc


def validity_problem(certificate: x509.Certificate, at: datetime, *, what: str) -> str | None:
    """Why *certificate* was not valid at *at* (both dates in the message), or None.

    *what* names it in the message, e.g. "The signing certificate".
    """
    not_before, not_after = validity_period(certificate)
    period = f"it is valid from {utc_text(not_before)} to {utc_text(not_after)}"
    if at < not_before:
        return f"{what} was not yet valid on {utc_text(at)}: {period}."
    if at > not_after:
        return f"{what} had expired on {utc_text(at)}: {period}."
    return None


def key_usage_problem(certificate: x509.Certificate) -> str | None:
    """Why the certificate may not make digital signatures, or None.

    Allowed: KeyUsage digitalSignature or nonRepudiation (contentCommitment), or no KeyUsage
    extension at all, which RFC 5280 reads as "any use".
    """
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None
    except ValueError:  # a duplicated or malformed extension
        return "The certificate's extensions cannot be read, so its permitted uses are unknown."
    if usage.digital_signature or usage.content_commitment:
        return None
    return (
        "The certificate may not be used for digital signatures: its key usage allows neither "
        "digitalSignature nor nonRepudiation."
    )


def same_name(first: str, second: str) -> bool:
    """Names equal ignoring case, Unicode form and runs of whitespace ("priya  SANDHU")."""

    def fold(name: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", name).casefold().split())

    return bool(fold(first)) and fold(first) == fold(second)
