"""The rows that name the signing certificate in a record's body, and their labels.

The full record and the family copy print the same rows, and s47desk verify finds them by
these labels and checks them against the certificate that actually signed: a record that
names one certificate and is signed with another is reported INVALID.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from s47desk.record.context import Signer

SIGNED_BY = "Digitally signed by"
SHA256 = "Signing certificate (SHA-256)"
SHA1 = "Signing certificate (SHA-1 thumbprint)"
ISSUED_BY = "Certificate issued by"
LABELS = (SIGNED_BY, SHA256, SHA1, ISSUED_BY)
FINGERPRINTS = frozenset({SHA256, SHA1})  # printed in the fixed-width fingerprint style


def signer_rows(signer: Signer) -> list[tuple[str, str]]:
    """(label, value) rows; SHA-1 spaced in pairs as LibreOffice shows it, so it is easy to
    compare by eye."""
    from s47desk.record.certificate_facts import thumbprint_text  # cryptography: signed only

    rows = [(SIGNED_BY, signer.name), (SHA256, signer.certificate_sha256)]
    if signer.certificate_sha1:
        rows.append((SHA1, thumbprint_text(signer.certificate_sha1)))
    if signer.issuer:
        rows.append((ISSUED_BY, signer.issuer))
    return rows
