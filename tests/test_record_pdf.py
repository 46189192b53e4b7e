"""LibreOffice renders the record: every page carries the marking and "Page N of M"."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from s47desk.forms import FormRegistry
from s47desk.models import Action
from s47desk.protocol import Protocol
from s47desk.record.export import export_record
from s47desk.record.signature import verify_docx
from s47desk.storage import Database
from s47desk.vocab import Agency
from tests.conftest import IN_CI
from tests.factories import chris, complete_meeting, store_signed


def _tools() -> tuple[str, str]:
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        if IN_CI:
            pytest.fail("LibreOffice and poppler-utils must be installed in CI")
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    return soffice, pdftotext


def to_pdf(docx_path: Path, outdir: Path) -> Path:
    soffice, _ = _tools()
    profile = outdir / "lo-profile"  # its own profile: concurrent runs otherwise write nothing
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = outdir / (docx_path.stem + ".pdf")
    assert pdf.is_file(), "LibreOffice wrote no PDF"
    return pdf


def pages(pdf: Path) -> list[str]:
    _, pdftotext = _tools()
    out = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [p for p in out.split("\f") if p.strip()]


def test_every_page_of_a_long_signed_record_carries_marking_and_page_numbers(
    db: Database, forms: FormRegistry, protocol: Protocol, today: date, tmp_path: Path
) -> None:
    _tools()
    meeting = complete_meeting()
    meeting.actions += [
        Action(
            text=f"Numbered action {n:03d}: " + "carry out the agreed enquiry " * 3,
            owner="Sam Social",
            agency=Agency.SOCIAL_CARE,
            due=date(2026, 11, 30),
        )
        for n in range(1, 91)
    ]
    meeting_id = store_signed(db, meeting, forms, protocol)
    with db.sessions() as session:
        record = export_record(
            session,
            meeting_id,
            tmp_path / "record.docx",
            forms=forms,
            protocol=protocol,
        )
    assert verify_docx(record.path, signer_sha256=chris().fingerprint_sha256).ok
    text = pages(to_pdf(record.path, tmp_path))
    total = len(text)
    assert total >= 4, f"expected a multi-page record, got {total} page(s)"
    for number, page in enumerate(text, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, f"page {number} lacks the marking"
        assert re.search(rf"Page {number} of {total}\b", page), f"page {number}: no page X of Y"
    action_pages = [p for p in text if "Numbered action" in p]
    assert len(action_pages) >= 2, "the action plan should run over pages"
    for page in action_pages:
        assert re.search(r"No\.\s+Action\s+Owner\s+Agency\s+Due by\s+Status", page)
