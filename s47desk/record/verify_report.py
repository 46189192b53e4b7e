"""What `s47desk verify` tells a police officer, health professional or court about a record.

Plain lines, the verdict first. Recipients also open records in Word or LibreOffice, which
call every self-signed certificate "could not be validated"; the report says how that differs
from INVALID, so that a reader neither trusts a forgery nor rejects a genuine record.
"""

from __future__ import annotations

from s47desk.record.certificate_facts import thumbprint_text, utc_text
from s47desk.record.signature import VerificationResult, VerificationStatus

_VERDICTS = {
    VerificationStatus.VALID: "VALID: the signature is intact and covers the whole record.",
    VerificationStatus.INVALID: (
        "INVALID: do not rely on this file. It was changed after signing, or its signature "
        "does not tell the truth about who signed it or when."
    ),
    VerificationStatus.UNSIGNED: (
        "UNSIGNED: the file carries no digital signature. A signature can be removed without "
        "trace, so when a signed record is expected, treat this as a failure."
    ),
    VerificationStatus.NOT_A_PACKAGE: "NOT A RECORD: the file is not a Word document.",
}
NOT_VALIDATED = (
    "Identity NOT validated: the signature proves the file is unchanged since it was signed "
    "with this certificate, not whose certificate it is. Compare the SHA-256 fingerprint or "
    "SHA-1 thumbprint above with the one the chair gave you (or the one your organisation "
    "publishes). Word and LibreOffice say the certificate \u201ccould not be validated\u201d for "
    "every self-signed certificate: that is expected, and the thumbprint is what to compare."
)
INVALID_MEANS = (
    "INVALID is not the same as \u201cnot validated\u201d: it means the file or its signature is "
    "untrue. Ask the sender for the record again, and do not act on this copy."
)


def verification_report(result: VerificationResult, *, pinned: bool) -> list[str]:
    """The lines `s47desk verify` prints; *pinned*: a --signer-sha256 was given and checked."""
    lines = [_VERDICTS[result.status]]
    if result.signer_sha256 is not None:
        lines += _certificate_lines(result)
    lines += [f"Problem: {problem}" for problem in result.problems]
    if result.status is VerificationStatus.INVALID:
        lines.append(INVALID_MEANS)
    elif result.ok:
        lines.append(_identity(result, pinned=pinned))
    return lines


def _certificate_lines(result: VerificationResult) -> list[str]:
    lines = [f"Signed by: {result.signer or '(the certificate names no one)'}"]
    lines.append(f"Certificate SHA-256 fingerprint: {result.signer_sha256}")
    if result.signer_sha1:
        lines.append(f"Certificate SHA-1 thumbprint: {thumbprint_text(result.signer_sha1)}")
    if result.not_before and result.not_after:
        lines.append(
            f"Certificate valid from {utc_text(result.not_before)} to {utc_text(result.not_after)}"
        )
    if result.issuer:
        lines.append(f"Certificate issued by: {result.issuer}")
    when = utc_text(result.signed_at) if result.signed_at else "unknown"
    lines.append(f"Signed at: {when} (as the signer's computer stated it)")
    if result.valid_at_signing is not None:
        answer = "yes" if result.valid_at_signing else "NO"
        lines.append(f"Certificate valid at the signing time: {answer}")
    lines.append(_ca_line(result))
    return lines


def _ca_line(result: VerificationResult) -> str:
    if result.ca_name is None:
        return "Organisation CA: not checked (no CA certificate given)"
    if result.issued_by_ca:
        return f"Organisation CA: issued by {result.ca_name}"
    return f"Organisation CA: NOT issued by {result.ca_name}"


def _identity(result: VerificationResult, *, pinned: bool) -> str:
    if pinned:
        return "Identity: confirmed, this is the certificate whose fingerprint you gave."
    if result.issued_by_ca:
        return "Identity: confirmed, the organisation CA issued this certificate."
    return NOT_VALIDATED
