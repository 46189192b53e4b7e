"""Signing identities: an RSA key and its X.509 certificate, kept in a passphrase-protected .p12."""

from __future__ import annotations

import datetime
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    pkcs12,
)
from cryptography.x509.oid import NameOID

from s47desk.atomic import atomic_write_bytes
from s47desk.errors import SigningError as SigningError  # (raised here; defined there)

_KEY_BITS = 3072
# Back-date the start of validity so a verifier whose clock runs slightly slow still accepts it.
_CLOCK_SKEW = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class SigningIdentity:
    """The key that signs records and the certificate that lets others check the signature."""

    private_key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    extra_certificates: tuple[x509.Certificate, ...] = ()

    @property
    def fingerprint_sha256(self) -> str:
        """What a reader pins to be sure a record was signed with this certificate."""
        return certificate_sha256(self.certificate)

    @property
    def subject_name(self) -> str:
        """The signer's name as the certificate states it."""
        return common_name(self.certificate) or self.certificate.subject.rfc4514_string()


def certificate_sha256(certificate: x509.Certificate) -> str:
    """Lower-case hex SHA-256 of the certificate's DER encoding (its usual fingerprint)."""
    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()


def common_name(certificate: x509.Certificate) -> str | None:
    """The certificate subject's CN, or None when it has none."""
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else None


def load_identity(p12_path: str | os.PathLike[str], passphrase: bytes | None) -> SigningIdentity:
    """Load the RSA key and certificate from a PKCS#12 (.p12/.pfx) file."""
    path = Path(p12_path)
    data = _read_certificate_file(path)
    if not _looks_like_pkcs12(data):
        raise SigningError(f"{path} is not a PKCS#12 certificate file (.p12 or .pfx).")
    try:
        bundle = pkcs12.load_pkcs12(data, passphrase)
    except ValueError as exc:
        if passphrase is None:
            raise SigningError(f"The certificate file {path} needs its passphrase.") from exc
        raise SigningError(f"The passphrase for {path} is wrong (or the file is damaged).") from exc
    if bundle.key is None or bundle.cert is None:
        raise SigningError(f"{path} does not hold both a private key and its certificate.")
    if not isinstance(bundle.key, rsa.RSAPrivateKey):
        raise SigningError(
            f"The key in {path} is not an RSA key; Word-compatible signatures need RSA."
        )
    certificate = bundle.cert.certificate
    if certificate.public_key() != bundle.key.public_key():
        raise SigningError(f"The certificate in {path} does not belong to the key stored with it.")
    extra = tuple(item.certificate for item in bundle.additional_certs)
    return SigningIdentity(bundle.key, certificate, extra)


def self_signed_identity(
    *,
    name: str,
    role: str,
    email: str | None,
    organisation: str | None,
    years: int = 3,
    key_bits: int = _KEY_BITS,
) -> SigningIdentity:
    """A new key and self-signed certificate, in memory only."""
    if not name.strip():
        raise SigningError("A name is needed for the signing certificate.")
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_bits)
    subject = _subject(name=name, role=role, email=email, organisation=organisation)
    return SigningIdentity(key, _self_sign(key, subject, years))


def create_self_signed(
    p12_path: str | os.PathLike[str],
    *,
    name: str,
    role: str,
    email: str | None,
    organisation: str | None,
    passphrase: bytes,
    years: int = 3,
) -> SigningIdentity:
    """Make a new key and self-signed certificate and save them, encrypted, to *p12_path*.

    A self-signed certificate proves a record is unchanged, not who signed it: readers should
    pin its fingerprint. Raises SigningError for an empty passphrase or name, ExportError when
    the file cannot be written.
    """
    if not passphrase:
        raise SigningError("A passphrase is needed to protect the signing key.")
    identity = self_signed_identity(
        name=name, role=role, email=email, organisation=organisation, years=years
    )
    data = pkcs12.serialize_key_and_certificates(
        name.encode("utf-8"),
        identity.private_key,
        identity.certificate,
        None,
        BestAvailableEncryption(passphrase),
    )
    atomic_write_bytes(p12_path, data, mode=0o600)
    return identity


def _read_certificate_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise SigningError(f"The certificate file {path} does not exist.") from exc
    except OSError as exc:
        raise SigningError(f"Could not read the certificate file {path}: {exc.strerror}.") from exc


def _looks_like_pkcs12(data: bytes) -> bool:
    """Tell "not a .p12 at all" from "wrong passphrase", which the loader reports alike.

    A PFX is a DER/BER SEQUENCE whose first member is INTEGER 3 (RFC 7292 section 4).
    """
    if len(data) < 5 or data[0] != 0x30:
        return False
    length_byte = data[1]
    offset = 2 + (length_byte & 0x7F if length_byte & 0x80 else 0)
    return data[offset : offset + 3] == b"\x02\x01\x03"


def _subject(*, name: str, role: str, email: str | None, organisation: str | None) -> x509.Name:
    candidates = [
        (NameOID.COMMON_NAME, name),
        (NameOID.TITLE, role),
        (NameOID.ORGANIZATION_NAME, organisation),
        (NameOID.EMAIL_ADDRESS, email),
    ]
    return x509.Name(
        [
            x509.NameAttribute(oid, value.strip())
            for oid, value in candidates
            if value and value.strip()
        ]
    )


def _self_sign(key: rsa.RSAPrivateKey, subject: x509.Name, years: int) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(
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
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
