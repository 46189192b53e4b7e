"""Signed records: valid under s47desk's verifier and the independent one; tampering is caught."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from s47desk.cli import main
from s47desk.forms import FormRegistry
from s47desk.protocol import Protocol
from s47desk.record.export import export_record
from s47desk.record.signature import VerificationStatus, verify_docx
from s47desk.storage import Database
from tests.conftest import IN_CI
from tests.factories import chris, chris_p12, complete_meeting
from tests.recordkit import (
    DEMO_SIGNED,
    PASSPHRASE,
    chair,
    demo,
    drop_parts,
    parts,
    replace_part,
)

VERIFIER = Path(__file__).resolve().parents[2] / "shared/tools/verify-docx-signature"
VERIFIER_SCRIPT = VERIFIER / "verify-docx-signature.sh"


@pytest.fixture
def signed(
    db: Database, forms: FormRegistry, protocol: Protocol, today: date, tmp_path: Path
) -> dict[str, Path]:
    """The demo's signed meeting exported signed: full record and family copy."""
    with db.transaction() as session:
        demo(session, forms, protocol, today)
    out = {}
    with db.sessions() as session:
        for kind, family in (("full", False), ("family", True)):
            out[kind] = export_record(
                session,
                DEMO_SIGNED,
                tmp_path / f"{kind}.docx",
                forms=forms,
                protocol=protocol,
                family=family,
            ).path
    return out


def _one_byte_changed(data: bytes) -> bytes:
    document = parts(data)["word/document.xml"]
    index = document.index(b"Maya")
    tampered = document[:index] + b"N" + document[index + 1 :]
    return replace_part(data, "word/document.xml", tampered)


def _stripped(data: bytes) -> bytes:
    """The record with its signature removed the way a careful forger would."""
    package = parts(data)
    types = package["[Content_Types].xml"].decode()
    types = re.sub(r"<Default Extension=\"sigs\"[^>]*/>", "", types)
    types = re.sub(r"<Override PartName=\"/_xmlsignatures/[^>]*/>", "", types)
    rels = re.sub(
        r"<Relationship [^>]*digital-signature/origin[^>]*/>", "", package["_rels/.rels"].decode()
    )
    out = replace_part(data, "[Content_Types].xml", types.encode())
    out = replace_part(out, "_rels/.rels", rels.encode())
    return drop_parts(out, "_xmlsignatures/")


def test_signed_record_verifies_with_s47desks_verifier(signed: dict[str, Path]) -> None:
    pin = chair().identity.fingerprint_sha256
    for path in signed.values():
        result = verify_docx(path, signer_sha256=pin)
        assert result.ok, result.problems
        assert result.signer == "Priya Sandhu"
    assert not verify_docx(signed["full"], signer_sha256="00" * 32).ok


def test_one_byte_change_and_stripped_signature_are_caught(
    signed: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = signed["full"].read_bytes()
    tampered = tmp_path / "tampered.docx"
    tampered.write_bytes(_one_byte_changed(data))
    result = verify_docx(tampered)
    assert result.status is VerificationStatus.INVALID
    assert any("document.xml" in p for p in result.problems)
    stripped = tmp_path / "stripped.docx"
    stripped.write_bytes(_stripped(data))
    assert verify_docx(stripped).status is VerificationStatus.UNSIGNED
    assert main(["verify", str(stripped)]) == 1
    assert "UNSIGNED" in capsys.readouterr().out
    assert main(["verify", str(tampered)]) == 1
    assert main(["verify", str(signed["full"])]) == 0
    pin = chair().identity.fingerprint_sha256
    assert main(["verify", str(signed["full"]), "--signer-sha256", pin]) == 0
    assert main(["verify", str(signed["full"]), "--signer-sha256", "ab" * 32]) == 1
    assert main(["verify", str(tmp_path / "missing.docx")]) == 2
    not_a_package = tmp_path / "notes.docx"
    not_a_package.write_text("just text")
    assert main(["verify", str(not_a_package)]) == 1


def test_sign_command_signs_with_the_chairs_passphrase_from_environment(
    db: Database,
    forms: FormRegistry,
    protocol: Protocol,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with db.transaction() as session:
        meeting = complete_meeting()
        session.add(meeting)
    url, p12 = str(db.engine.url), str(chris_p12())
    monkeypatch.setenv("WRONG_PASS", "not it")
    args = ["--db", url, "sign", str(meeting.id), "--certificate", p12]
    assert main([*args, "--pass-env", "WRONG_PASS"]) == 2
    assert "passphrase" in capsys.readouterr().err
    monkeypatch.setenv("CHAIR_PASS", PASSPHRASE)
    assert main([*args, "--pass-env", "CHAIR_PASS"]) == 0
    out = capsys.readouterr().out
    assert "Read back from the database: signed" in out
    assert chris().fingerprint_sha256 in out
    assert main([*args, "--pass-env", "CHAIR_PASS"]) == 2
    assert "already signed" in capsys.readouterr().err
    record = db.engine.url.database + ".docx"
    assert main(["--db", url, "record", str(meeting.id), "-o", record]) == 0
    assert verify_docx(record, signer_sha256=chris().fingerprint_sha256).ok


def _independent(path: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("java") is None and not IN_CI:
        pytest.skip("Java is not installed (CI installs it through the verifier)")
    return subprocess.run(
        ["bash", str(VERIFIER_SCRIPT), "--strict", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ},
    )


@pytest.mark.independent_verifier
def test_independent_verifier_accepts_signed_records_and_rejects_tampering(
    signed: dict[str, Path], tmp_path: Path
) -> None:
    for path in signed.values():
        result = _independent(path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "RESULT: VALID" in result.stdout
    tampered = tmp_path / "tampered.docx"
    tampered.write_bytes(_one_byte_changed(signed["full"].read_bytes()))
    result = _independent(tampered)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "INVALID" in result.stdout
