"""Is a signed meeting still what its chair signed? ``signoff_check.check_signoff``'s answer,
for the whole list at once, from plain rows (s47desk.plain_rows).

Every check of ``check_signoff`` is made, in the same order and with the same outcome: a
sign-off there must be, its statement must carry the chair's signature (verified with the
certificate stored beside it), it must say what the stored sign-off says, and the content's
fingerprint — computed from the rows exactly as the meeting file holds it — must be the one the
chair signed. Only the RSA verification is remembered: once a (statement, signature,
certificate) triple has verified, its SHA-256 goes into a per-user file outside the database
(:class:`VerifiedSignatures`), with the certificate's fingerprint. A forged or altered statement,
signature or certificate is another triple, not in the file, and is verified afresh; the
content is compared every time.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

from s47desk.plain_rows import ForeignChild, PlainMeeting, content_fingerprint

_TAG = b"s47desk verified sign-off statement 1\x00"
_MAX_BYTES = 20 * 1024 * 1024  # a file grown past this starts again (it is only a cache)


def triple_key(statement: str, signature: str, certificate: str) -> str:
    """The cache key of one sign-off's signature: every byte of all three, unambiguously."""
    digest = hashlib.sha256(_TAG)
    for part in (statement, signature, certificate):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _is_hex64(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


class VerifiedSignatures:
    """Sign-off signatures already verified on this machine, by this user: key → the
    certificate's SHA-256. Kept in *path* (owner-only), one ``key sha256`` line each."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._known: dict[str, str] | None = None
        self._new: dict[str, str] = {}
        self._lock = threading.Lock()

    def _load(self) -> dict[str, str]:
        if self._known is None:
            known: dict[str, str] = {}
            if self.path is not None:
                with contextlib.suppress(OSError, UnicodeDecodeError):
                    for line in self.path.read_text(encoding="ascii").splitlines():
                        key, _, cert = line.partition(" ")
                        if _is_hex64(key) and _is_hex64(cert):
                            known[key] = cert
            self._known = known
        return self._known

    def get(self, key: str) -> str | None:
        return self._load().get(key)

    def add(self, key: str, certificate_sha256: str) -> None:
        with self._lock:
            self._load()[key] = certificate_sha256
            self._new[key] = certificate_sha256

    def save(self) -> None:
        """Append what was verified since the last save (never fatal: it is only a cache)."""
        with self._lock:
            new, self._new = self._new, {}
        if not new or self.path is None:
            return
        lines = "".join(f"{k} {v}\n" for k, v in new.items()).encode("ascii")
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
            with contextlib.suppress(OSError):
                if self.path.stat().st_size > _MAX_BYTES:
                    flags |= os.O_TRUNC
            fd = os.open(self.path, flags, 0o600)
            try:
                os.write(fd, lines)
            finally:
                os.close(fd)


_DEFAULT: VerifiedSignatures | None = None


def default_cache() -> VerifiedSignatures:
    """The user's cache, in s47desk's data folder (beside, never inside, the database)."""
    global _DEFAULT
    from s47desk.paths import data_dir

    path = data_dir() / "cache" / "verified-signoffs.txt"
    if _DEFAULT is None or _DEFAULT.path != path:
        _DEFAULT = VerifiedSignatures(path)
    return _DEFAULT


def _verify(statement: str, signature: str, certificate: str) -> str | None:
    """The certificate's SHA-256 when *signature* over *statement* verifies with it; else None
    (as ``check_signoff`` treats every failure here: "does not verify")."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    from s47desk.record.certificate import certificate_sha256

    try:
        json.loads(statement)
        cert = x509.load_der_x509_certificate(base64.b64decode(certificate))
        key = cert.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("not an RSA key")
        key.verify(
            base64.b64decode(signature),
            statement.encode("utf-8", "surrogatepass"),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
        return certificate_sha256(cert)
    except (ValueError, TypeError, InvalidSignature):
        return None


def signoff_ok(meeting: PlainMeeting, cache: VerifiedSignatures) -> bool:
    """``check_signoff(meeting).ok``, for a meeting read as plain rows (``plain_rows.assemble``)."""
    if not meeting.is_locked:
        return True
    signoffs = meeting.rows("signoffs")
    if not signoffs:
        return False
    signoff = signoffs[-1]
    try:
        if not signoff.statement:  # signed by an earlier s47desk: only its fingerprint
            return bool(signoff.fingerprint == content_fingerprint(meeting, version=1))
        key = triple_key(signoff.statement, signoff.signature, signoff.certificate)
        cert_sha256 = cache.get(key)
        if cert_sha256 is None:
            cert_sha256 = _verify(signoff.statement, signoff.signature, signoff.certificate)
            if cert_sha256 is None:
                return False
            cache.add(key, cert_sha256)
        said: Any = json.loads(signoff.statement)
        if not isinstance(said, dict):
            return False
        expected = {
            "meeting_uid": meeting.column("uid"),
            "record_version": signoff.record_version,
            "content_sha256": signoff.fingerprint,
            "audit_head": signoff.audit_head,
            "signed_at": signoff.signed_at.isoformat(timespec="seconds") + "Z",
            "certificate_sha256": cert_sha256,
        }
        if any(said.get(k) != v for k, v in expected.items()):
            return False
        signer = {"name": signoff.name, "role": signoff.role, "on_behalf_of": signoff.on_behalf_of}
        if said.get("signed_by") != signer:
            return False
        return bool(content_fingerprint(meeting) == said.get("content_sha256"))
    except ForeignChild:
        return False
