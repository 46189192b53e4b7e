"""Signing and verifying the Word record with real documents, keys and verifiers (no mocks)."""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import docx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph

from s47desk.record.certificate import (
    SigningError,
    SigningIdentity,
    create_self_signed,
    load_identity,
)
from s47desk.record.signature import VerificationStatus, sign_docx, verify_docx

PASSPHRASE = b"correct horse battery staple"
# Inside the validity of the certificates the fixtures make now: a signature claiming a time
# when its certificate was not valid is INVALID (see test_signature_attacks.py).
SIGNED_AT = datetime.now(UTC).replace(microsecond=0)
SIGNATURE_PARTS = {
    "_xmlsignatures/origin.sigs",
    "_xmlsignatures/_rels/origin.sigs.rels",
    "_xmlsignatures/sig1.xml",
}
VERIFIER = (
    Path(__file__).resolve().parents[2]
    / "shared/tools/verify-docx-signature/verify-docx-signature.sh"
)
needs_java = pytest.mark.skipif(
    shutil.which("java") is None and os.environ.get("CI") != "true",
    reason="Java is not installed here (in CI the verifier installs it itself)",
)


# --------------------------------------------------------------------------- helpers


def _tiny_png() -> bytes:
    """A valid 1x1 white PNG, so the record has a binary media part."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _add_hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    """python-docx has no hyperlink API: add the external relationship and w:hyperlink."""
    relationship_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relationship_id)
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.text = text
    run.append(run_text)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def _build_record() -> bytes:
    document = docx.Document()
    document.add_heading("Strategy discussion", level=1)
    document.add_paragraph("Decision: proceed to a section 47 enquiry.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Agency"
    table.cell(0, 1).text = "Attendee"
    table.cell(1, 0).text = "Police"
    table.cell(1, 1).text = "DC Example"
    section = document.sections[0]
    section.header.paragraphs[0].text = "OFFICIAL-SENSITIVE"
    section.footer.paragraphs[0].text = "Strategy discussion record"
    _add_hyperlink(
        document.add_paragraph("See "), "https://example.org/guidance?a=1&b=2", "guidance"
    )
    document.add_picture(io.BytesIO(_tiny_png()), width=Cm(1))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _names(package: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return set(archive.namelist())


def _read(package: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return archive.read(name)


def _rewrite(
    package: bytes,
    *,
    change: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    drop: Callable[[str], bool] = lambda name: False,
) -> bytes:
    """Rebuild the zip with some entries changed, added or dropped, the rest byte for byte."""
    change = change or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if not drop(info.filename):
                target.writestr(info, change.get(info.filename, source.read(info)))
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def _one_byte_changed(package: bytes) -> bytes:
    document = _read(package, "word/document.xml")
    assert document.count(b"proceed") == 1
    return _rewrite(package, change={"word/document.xml": document.replace(b"proceed", b"procees")})


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def identity(tmp_path_factory: pytest.TempPathFactory) -> SigningIdentity:
    return create_self_signed(
        tmp_path_factory.mktemp("identity") / "chair.p12",
        name="Alex Chair",
        role="Team manager",
        email="alex.chair@example.org",
        organisation="Example Council",
        passphrase=PASSPHRASE,
    )


@pytest.fixture(scope="module")
def record() -> bytes:
    return _build_record()


@pytest.fixture(scope="module")
def signed(record: bytes, identity: SigningIdentity) -> bytes:
    return sign_docx(record, identity, signed_at=SIGNED_AT, comment="Approved by the chair")


# --------------------------------------------------------------------------- signing


def test_signed_record_is_valid_and_names_its_signer(
    signed: bytes, identity: SigningIdentity, tmp_path: Path
) -> None:
    path = tmp_path / "record.docx"
    path.write_bytes(signed)

    result = verify_docx(path, signer_sha256=identity.fingerprint_sha256)

    assert result.status is VerificationStatus.VALID, result.problems
    assert result.ok
    assert result.problems == []
    assert result.signer == "Alex Chair"
    assert result.signer_sha256 == identity.fingerprint_sha256
    assert result.signed_at == SIGNED_AT


def test_pin_accepts_the_fingerprint_written_with_colons(
    signed: bytes, identity: SigningIdentity
) -> None:
    fingerprint = identity.fingerprint_sha256.upper()
    with_colons = ":".join(fingerprint[i : i + 2] for i in range(0, len(fingerprint), 2))

    assert verify_docx(signed, signer_sha256=with_colons).ok


def test_signing_keeps_every_part_but_the_unsignable_thumbnail(
    record: bytes, signed: bytes
) -> None:
    assert _names(signed) == (_names(record) - {"docProps/thumbnail.jpeg"}) | SIGNATURE_PARTS
    for name in ("word/document.xml", "customXml/item1.xml", "word/media/image1.png"):
        assert _read(signed, name) == _read(record, name)


def test_signing_is_deterministic_for_a_given_time(
    record: bytes, signed: bytes, identity: SigningIdentity
) -> None:
    again = sign_docx(record, identity, signed_at=SIGNED_AT, comment="Approved by the chair")

    assert again == signed


def test_signing_a_signed_record_is_refused(signed: bytes, identity: SigningIdentity) -> None:
    with pytest.raises(SigningError, match="already signed"):
        sign_docx(signed, identity)


def test_signing_something_that_is_not_a_document_is_refused(identity: SigningIdentity) -> None:
    with pytest.raises(SigningError, match="not a Word document"):
        sign_docx(b"just some text", identity)


def test_overlong_comment_is_refused(record: bytes, identity: SigningIdentity) -> None:
    with pytest.raises(SigningError, match="longer than Word allows"):
        sign_docx(record, identity, comment="x" * 256)


def test_signing_time_without_a_time_zone_is_refused(
    record: bytes, identity: SigningIdentity
) -> None:
    with pytest.raises(ValueError, match="time zone"):
        sign_docx(record, identity, signed_at=SIGNED_AT.replace(tzinfo=None))


# --------------------------------------------------------------------------- tampering


def test_pinned_wrong_fingerprint_is_invalid(signed: bytes, identity: SigningIdentity) -> None:
    expected = "ab" * 32

    result = verify_docx(signed, signer_sha256=expected)

    assert result.status is VerificationStatus.INVALID
    assert len(result.problems) == 1
    assert identity.fingerprint_sha256 in result.problems[0]
    assert expected in result.problems[0]


def test_one_byte_change_in_the_body_is_invalid(signed: bytes) -> None:
    result = verify_docx(_one_byte_changed(signed))

    assert result.status is VerificationStatus.INVALID
    assert result.problems == ["word/document.xml was changed after signing."]


def test_added_part_is_invalid(signed: bytes) -> None:
    result = verify_docx(_rewrite(signed, add={"word/media/image2.png": _tiny_png()}))

    assert result.status is VerificationStatus.INVALID
    assert any("word/media/image2.png is not covered" in p for p in result.problems)


def test_added_relationship_is_invalid(signed: bytes) -> None:
    rels_name = "word/_rels/document.xml.rels"
    extra = (
        b'<Relationship Id="rId99" TargetMode="External" Target="https://evil.example/"'
        b' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"/>'
        b"</Relationships>"
    )
    rels = _read(signed, rels_name).replace(b"</Relationships>", extra)

    result = verify_docx(_rewrite(signed, change={rels_name: rels}))

    assert result.status is VerificationStatus.INVALID
    assert any("rId99" in p and "https://evil.example/" in p for p in result.problems)


def test_stripped_signature_is_unsigned(signed: bytes) -> None:
    stripped = _rewrite(signed, drop=lambda name: name.startswith("_xmlsignatures/"))

    result = verify_docx(stripped)

    assert result.status is VerificationStatus.UNSIGNED
    assert not result.ok


def test_unsigned_record_is_unsigned(record: bytes) -> None:
    assert verify_docx(record).status is VerificationStatus.UNSIGNED


@pytest.mark.parametrize(
    "data",
    [b"not a zip at all", _rewrite(_build_record(), drop=lambda n: n == "[Content_Types].xml")],
    ids=["not-a-zip", "zip-without-content-types"],
)
def test_not_a_package(data: bytes) -> None:
    result = verify_docx(data)

    assert result.status is VerificationStatus.NOT_A_PACKAGE
    assert result.problems


# --------------------------------------------------------------------------- identities


def test_identity_round_trips_through_its_p12(tmp_path: Path) -> None:
    path = tmp_path / "chair.p12"
    created = create_self_signed(
        path,
        name="Sam Chair",
        role="Child protection chair",
        email="sam@example.org",
        organisation="Example Council",
        passphrase=PASSPHRASE,
        years=1,
    )

    loaded = load_identity(path, PASSPHRASE)

    assert loaded.fingerprint_sha256 == created.fingerprint_sha256
    assert loaded.subject_name == "Sam Chair"
    subject = loaded.certificate.subject
    assert subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "Child protection chair"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Example Council"
    assert subject.get_attributes_for_oid(NameOID.EMAIL_ADDRESS)[0].value == "sam@example.org"
    usage = loaded.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert loaded.private_key.key_size == 3072


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_p12_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "chair.p12"
    create_self_signed(
        path, name="Sam Chair", role="Chair", email=None, organisation=None, passphrase=PASSPHRASE
    )

    assert path.stat().st_mode & 0o777 == 0o600


def test_empty_passphrase_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "chair.p12"
    with pytest.raises(SigningError, match="passphrase is needed"):
        create_self_signed(
            path, name="Sam Chair", role="Chair", email=None, organisation=None, passphrase=b""
        )
    assert not path.exists()


@pytest.fixture(scope="module")
def saved_identity(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("saved") / "chair.p12"
    create_self_signed(
        path, name="Sam Chair", role="Chair", email=None, organisation=None, passphrase=PASSPHRASE
    )
    return path


def test_wrong_passphrase_says_so(saved_identity: Path) -> None:
    with pytest.raises(SigningError, match=r"passphrase .* is wrong"):
        load_identity(saved_identity, b"not the passphrase")


def test_missing_passphrase_says_so(saved_identity: Path) -> None:
    with pytest.raises(SigningError, match="needs its passphrase"):
        load_identity(saved_identity, None)


def test_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="does not exist"):
        load_identity(tmp_path / "nowhere.p12", PASSPHRASE)


def test_file_that_is_not_pkcs12_says_so(tmp_path: Path) -> None:
    path = tmp_path / "record.docx"
    path.write_bytes(_build_record())

    with pytest.raises(SigningError, match="not a PKCS#12"):
        load_identity(path, PASSPHRASE)


def test_non_rsa_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ec.p12"
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Elliptic Chair")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(SIGNED_AT)
        .not_valid_after(SIGNED_AT + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"ec", key, certificate, None, BestAvailableEncryption(PASSPHRASE)
        )
    )

    with pytest.raises(SigningError, match="not an RSA key"):
        load_identity(path, PASSPHRASE)


# --------------------------------------------------------------------------- Apache POI


def _run_verifier(path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(VERIFIER), "--strict", *options, str(path)],
        capture_output=True,
        text=True,
        timeout=900,  # the first run installs Java packages and compiles the verifier
        check=False,
    )


@pytest.mark.independent_verifier
@needs_java
def test_independent_verifier_accepts_the_record_and_rejects_a_tampered_one(
    signed: bytes, identity: SigningIdentity, tmp_path: Path
) -> None:
    good = tmp_path / "record.docx"
    good.write_bytes(signed)
    tampered = tmp_path / "tampered.docx"
    tampered.write_bytes(_one_byte_changed(signed))

    accepted = _run_verifier(good, "--signer-sha256", identity.fingerprint_sha256)
    rejected = _run_verifier(tampered)

    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert rejected.returncode == 1, rejected.stdout + rejected.stderr
