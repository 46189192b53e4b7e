"""An organisation's certificate authority: load its certificate, and tell what it issued.

One level only: a signing certificate issued directly by the organisation CA. Revocation is
not checked (there is no network check here, by design).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from s47desk.record.certificate import SigningError
from s47desk.record.certificate_facts import validity_problem


def load_ca_certificate(path: str | os.PathLike[str]) -> x509.Certificate:
    """The organisation CA certificate from a PEM (or DER) file; SigningError saying why not."""
    where = Path(path)
    try:
        data = where.read_bytes()
    except FileNotFoundError as exc:
        raise SigningError(f"The CA certificate file {where} does not exist.") from exc
    except OSError as exc:
        raise SigningError(
            f"Could not read the CA certificate file {where}: {exc.strerror}."
        ) from exc
    try:
        if b"-----BEGIN" in data:
            found = x509.load_pem_x509_certificates(data)
        else:
            found = [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise SigningError(f"{where} is not a certificate file (PEM or DER).") from exc
    if len(found) != 1:
        raise SigningError(
            f"{where} holds {len(found)} certificates; give the one CA certificate that issues "
            "the signing certificates."
        )
    ca = found[0]
    problem = _not_a_ca(ca)
    if problem:
        raise SigningError(f"{where}: {problem}")
    return ca


def claims_issued_by(certificate: x509.Certificate, ca: x509.Certificate) -> bool:
    """The certificate names *ca* as its issuer (which proves nothing until it verifies)."""
    return certificate.issuer == ca.subject


def issuance_problem(
    certificate: x509.Certificate, ca: x509.Certificate, at: datetime
) -> str | None:
    """Why *ca* did not validly issue *certificate* as at *at*, or None when it did.

    Issued means: issuer name = CA subject, the CA certificate is a CA (basicConstraints) that
    may sign certificates and was valid at *at*, and the CA's key verifies the signature.
    """
    ca_name = ca.subject.rfc4514_string()
    if not claims_issued_by(certificate, ca):
        return (
            f"The certificate was issued by {certificate.issuer.rfc4514_string()}, not by the "
            f"organisation CA ({ca_name})."
        )
    unfit = _not_a_ca(ca)
    if unfit:
        return f"The organisation CA certificate ({ca_name}) cannot vouch for anyone: {unfit}"
    expired = validity_problem(ca, at, what=f"The organisation CA certificate ({ca_name})")
    if expired:
        return expired
    try:
        certificate.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        return (
            f"The certificate names the organisation CA ({ca_name}) as its issuer, but the CA's "
            "signature on it does not verify: that CA did not issue it."
        )
    return None


def _not_a_ca(ca: x509.Certificate) -> str | None:
    try:
        constraints = ca.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        constraints = None
    except ValueError:
        return "the CA certificate's extensions cannot be read."
    if constraints is None or not constraints.ca:
        return "it is not a CA certificate (its basicConstraints do not say CA)."
    try:
        usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None
    if not usage.key_cert_sign:
        return "the CA certificate may not sign certificates (its key usage lacks keyCertSign)."
    return None
