"""Real certificates for the signature tests, made with cryptography's x509 builder.

Self-signed chairs, an organisation CA and the certificates it issues, and the bad ones:
expired, not yet valid, unfit for signing, or falsely claiming the CA.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from s47desk.record.certificate import SigningIdentity

NOW = datetime.now(UTC).replace(microsecond=0)
SIGNING = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)
ENCRYPTION_ONLY = x509.KeyUsage(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=True,
    data_encipherment=True,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)
CA_USAGE = x509.KeyUsage(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=True,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def name(common: str, organisation: str = "Northbridge City Council (fictional)") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )


@dataclass(frozen=True)
class Authority:
    """An organisation CA: its key signs the certificates it issues."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate


def organisation_ca(
    common: str = "Northbridge Signing CA",
    *,
    valid_from: datetime = NOW - timedelta(days=365),
    valid_to: datetime = NOW + timedelta(days=3650),
    is_ca: bool = True,
) -> Authority:
    key = new_key()
    subject = name(common)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from)
        .not_valid_after(valid_to)
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=0 if is_ca else None), True)
        .add_extension(CA_USAGE if is_ca else SIGNING, critical=True)
        .sign(key, hashes.SHA256())
    )
    return Authority(key, certificate)


def identity(
    common: str,
    *,
    valid_from: datetime = NOW - timedelta(hours=1),
    valid_to: datetime = NOW + timedelta(days=365),
    usage: x509.KeyUsage | None = SIGNING,
    issued_by: Authority | None = None,
    claimed_issuer: x509.Name | None = None,
) -> SigningIdentity:
    """A signing identity. Self-signed unless *issued_by*; *claimed_issuer* writes another
    issuer name into a self-made certificate (a forgery of the CA's name)."""
    key = new_key()
    subject = name(common)
    issuer_name = issued_by.certificate.subject if issued_by else (claimed_issuer or subject)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from)
        .not_valid_after(valid_to)
    )
    if usage is not None:
        builder = builder.add_extension(usage, critical=True)
    signing_key = issued_by.key if issued_by else key
    return SigningIdentity(key, builder.sign(signing_key, hashes.SHA256()))
