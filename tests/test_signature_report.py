"""verify tells the truth about who signed: what the record prints, what verify reports.

Real records from the demo's signed meeting, real certificates (self-signed and CA-issued).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import docx
import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from s47desk.cli import main
from s47desk.forms import FormRegistry
from s47desk.meetings import get_meeting
from s47desk.models import Meeting
from s47desk.protocol import Protocol
from s47desk.record.certificate import SigningIdentity
from s47desk.record.certificate_facts import thumbprint_text
from s47desk.record.signature import VerificationStatus, sign_docx, verify_docx
from s47desk.record.signature.names import MDSSI, MDSSI_NS
from s47desk.record.signature.properties import signing_time_problems
from s47desk.record.verify_report import INVALID_MEANS, NOT_VALIDATED, verification_report
from s47desk.storage import open_database
from tests import certkit, forgery
from tests.recordkit import DEMO_SIGNED, chair, demo, signed_record


@pytest.fixture(scope="module")
def meeting(
    tmp_path_factory: pytest.TempPathFactory, forms: FormRegistry, protocol: Protocol
) -> Iterator[Meeting]:
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('report') / 'db.sqlite3'}")
    with db.transaction() as session:
        demo(session, forms, protocol, date(2026, 11, 23))
    with db.sessions() as session:
        yield get_meeting(session, DEMO_SIGNED)
    db.close()


@pytest.fixture(scope="module")
def records(meeting: Meeting, forms: FormRegistry, protocol: Protocol) -> dict[str, bytes]:
    def signed(identity: SigningIdentity, family: bool = False) -> bytes:
        return signed_record(meeting, identity, forms, protocol, family=family)

    return {"full": signed(chair().identity), "family": signed(chair().identity, family=True)}


def _rows(data: bytes) -> dict[str, str]:
    """The two-column rows of the document, read with python-docx (not s47desk's reader)."""
    document = docx.Document(io.BytesIO(data))
    return {
        row.cells[0].text.strip(): row.cells[1].text.strip()
        for table in document.tables
        for row in table.rows
        if len(row.cells) >= 2
    }


def _sha1(identity: SigningIdentity) -> str:
    return hashlib.sha1(identity.certificate.public_bytes(Encoding.DER)).hexdigest()


@pytest.mark.parametrize("kind", ["full", "family"])
def test_the_record_prints_both_fingerprints_and_the_issuer(
    records: dict[str, bytes], kind: str
) -> None:
    identity = chair().identity
    rows = _rows(records[kind])

    assert rows["Digitally signed by"] == "Priya Sandhu"
    assert rows["Signing certificate (SHA-256)"] == identity.fingerprint_sha256
    sha1 = rows["Signing certificate (SHA-1 thumbprint)"]
    assert sha1.replace(" ", "").lower() == _sha1(identity)
    assert sha1 == sha1.upper() and len(sha1.split(" ")) == 20  # as LibreOffice shows it
    assert rows["Certificate issued by"] == "self-signed"


def test_verify_reports_the_certificate_and_when_it_signed(records: dict[str, bytes]) -> None:
    identity = chair().identity
    certificate = identity.certificate

    result = verify_docx(records["full"])

    assert result.ok, result.problems
    assert result.signer == "Priya Sandhu"
    assert result.signer_sha256 == identity.fingerprint_sha256
    assert result.signer_sha1 == _sha1(identity)
    assert result.not_before == certificate.not_valid_before_utc
    assert result.not_after == certificate.not_valid_after_utc
    assert result.issuer == "self-signed"
    assert result.signed_at is not None
    assert abs(result.signed_at - datetime.now(UTC)) < timedelta(minutes=10)
    assert result.valid_at_signing is True
    assert result.issued_by_ca is None


def test_a_ca_issued_record_names_its_issuer_and_verify_confirms_it(
    meeting: Meeting, forms: FormRegistry, protocol: Protocol
) -> None:
    ca = certkit.organisation_ca()
    identity = certkit.identity("Priya Sandhu", issued_by=ca)
    data = signed_record(meeting, identity, forms, protocol)

    result = verify_docx(data, ca=ca.certificate)
    elsewhere = verify_docx(data, ca=certkit.organisation_ca("Another Council CA").certificate)

    issuer = ca.certificate.subject.rfc4514_string()
    assert _rows(data)["Certificate issued by"] == issuer
    assert result.ok and result.issued_by_ca is True and result.issuer == issuer
    report = verification_report(result, pinned=False)
    assert f"Organisation CA: issued by {issuer}" in report
    assert report[-1] == "Identity: confirmed, the organisation CA issued this certificate."
    assert elsewhere.ok and elsewhere.issued_by_ca is False
    assert verification_report(elsewhere, pinned=False)[-1] == NOT_VALIDATED


def test_report_of_a_valid_record_unpinned_and_pinned(records: dict[str, bytes]) -> None:
    result = verify_docx(records["full"])
    sha1 = thumbprint_text(_sha1(chair().identity))

    unpinned = verification_report(result, pinned=False)
    pinned = verification_report(result, pinned=True)

    assert unpinned[0].startswith("VALID")
    assert "Signed by: Priya Sandhu" in unpinned
    assert f"Certificate SHA-256 fingerprint: {chair().identity.fingerprint_sha256}" in unpinned
    assert f"Certificate SHA-1 thumbprint: {sha1}" in unpinned
    assert "Certificate issued by: self-signed" in unpinned
    assert "Certificate valid at the signing time: yes" in unpinned
    assert "Organisation CA: not checked (no CA certificate given)" in unpinned
    assert any(line.startswith("Certificate valid from ") for line in unpinned)
    assert any(line.startswith("Signed at: ") for line in unpinned)
    assert unpinned[-1] == NOT_VALIDATED and "could not be validated" in NOT_VALIDATED
    assert pinned[-1].startswith("Identity: confirmed")


def test_report_of_an_invalid_record_says_not_to_rely_on_it(records: dict[str, bytes]) -> None:
    result = verify_docx(forgery.one_byte_changed(records["full"]))

    report = verification_report(result, pinned=False)

    assert report[0].startswith("INVALID: do not rely on this file")
    assert "Problem: word/document.xml was changed after signing." in report
    assert report[-1] == INVALID_MEANS
    assert NOT_VALIDATED not in report


def test_report_of_unsigned_and_not_a_record() -> None:
    unsigned = verification_report(verify_docx(forgery.stripped(_plain_signed())), pinned=False)
    not_a_record = verification_report(verify_docx(b"plain text"), pinned=False)

    assert unsigned[0].startswith("UNSIGNED") and "treat this as a failure" in unsigned[0]
    assert not_a_record[0].startswith("NOT A RECORD")


def test_verify_command_prints_the_report(
    records: dict[str, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "record.docx"
    path.write_bytes(records["full"])

    assert main(["verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{path}: VALID")
    assert f"  Certificate SHA-1 thumbprint: {thumbprint_text(_sha1(chair().identity))}" in out
    assert "Identity NOT validated" in out


def test_a_document_that_prints_no_certificate_is_not_checked_for_one() -> None:
    """Python-docx output with no signer rows: nothing printed, nothing to contradict."""
    assert verify_docx(_plain_signed()).ok


def test_an_older_family_copy_naming_another_certificate_is_invalid() -> None:
    """Family copies before the signer block printed "Digital signature | Name (certificate
    SHA-256 …)"; that fingerprint is checked too."""
    document = docx.Document()
    row = document.add_table(rows=1, cols=2).rows[0]
    row.cells[0].text = "Digital signature"
    row.cells[1].text = f"Priya Sandhu (certificate SHA-256 {chair().identity.fingerprint_sha256})"
    buffer = io.BytesIO()
    document.save(buffer)

    genuine = verify_docx(sign_docx(buffer.getvalue(), chair().identity))
    forged = verify_docx(sign_docx(buffer.getvalue(), certkit.identity("Priya Sandhu")))

    assert genuine.ok, genuine.problems
    assert forged.status is VerificationStatus.INVALID
    assert any("SHA-256 fingerprint is" in p for p in forged.problems)


def test_two_different_signing_times_in_one_signature_are_reported() -> None:
    signed_at = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    root = etree.Element("Signature")
    etree.SubElement(
        etree.SubElement(root, MDSSI + "SignatureTime", nsmap={"mdssi": MDSSI_NS}), MDSSI + "Value"
    ).text = "2026-11-01T10:00:00Z"

    problems = signing_time_problems(root, signed_at)

    assert problems == [
        "The signature states two different signing times: 1 December 2026 at 10:00 UTC and "
        "1 November 2026 at 10:00 UTC."
    ]
    root.find(f"{MDSSI}SignatureTime/{MDSSI}Value").text = "2026-12-01T10:00:00Z"  # type: ignore[union-attr]
    assert signing_time_problems(root, signed_at) == []


def _plain_signed() -> bytes:
    document = docx.Document()
    document.add_paragraph("Decision: proceed to a section 47 enquiry.")
    buffer = io.BytesIO()
    document.save(buffer)
    return sign_docx(buffer.getvalue(), chair().identity)
