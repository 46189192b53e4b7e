"""The Word record: template, content, labels, marking, fields, safe text and safe writing."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import time
import unicodedata
from datetime import date
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import text

from s47desk.atomic import ExportError
from s47desk.cli import main
from s47desk.decisions import DECISIONS
from s47desk.forms import FormRegistry
from s47desk.graph import load
from s47desk.meetings import get_meeting
from s47desk.models import Action, InformationItem
from s47desk.protocol import Protocol
from s47desk.record.export import RecordError, build_record, draft_record, export_record
from s47desk.record.fingerprint import content_fingerprint
from s47desk.record.template import REQUIRED_STYLES, TEMPLATE_PATH, build_template
from s47desk.record.text import xml_safe
from s47desk.storage import Database
from s47desk.vocab import Agency, FamilySharing, MeetingStatus
from tests.dbkit_triggers import without_triggers
from tests.factories import complete_meeting, sign
from tests.recordkit import DEMO_SIGNED, DEMO_UNSIGNED, demo, parts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(xml: bytes) -> str:
    """The visible text of a WordprocessingML part, paragraphs on their own lines."""
    root = etree.fromstring(xml)
    lines = []
    for p in root.iter(f"{W}p"):
        lines.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return "\n".join(lines)


def _record(db: Database, forms: FormRegistry, protocol: Protocol, meeting_id: int) -> bytes:
    """The record as s47desk hands it out: the signed file for a signed meeting, else a draft."""
    with db.sessions() as session:
        meeting = load(session, meeting_id)
        assert meeting is not None
        return build_record(session, meeting, forms=forms, protocol=protocol).data


@pytest.fixture
def demo_db(db: Database, forms: FormRegistry, protocol: Protocol, today: date) -> Database:
    with db.transaction() as session:
        demo(session, forms, protocol, today)
    return db


# -- the template -------------------------------------------------------------------------


def test_committed_template_is_what_the_builder_makes() -> None:
    committed = parts(TEMPLATE_PATH.read_bytes())
    built = parts(build_template())
    assert committed.keys() == built.keys()
    for name in built:
        assert committed[name] == built[name], (
            f"{name} differs: run python -m s47desk.record.template"
        )


def test_template_defines_every_style_and_carries_no_leftovers() -> None:
    document = docx.Document(str(TEMPLATE_PATH))
    names = {s.name for s in document.styles}
    assert set(REQUIRED_STYLES) <= names
    package = parts(TEMPLATE_PATH.read_bytes())
    assert not [n for n in package if n.startswith("customXml/") or "thumbnail" in n]
    assert b"python-docx" not in package["docProps/core.xml"]
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


# -- content ------------------------------------------------------------------------------


def test_full_record_has_every_section_with_shared_labels(
    demo_db: Database, forms: FormRegistry, protocol: Protocol
) -> None:
    data = _record(demo_db, forms, protocol, DEMO_SIGNED)
    body = _text(parts(data)["word/document.xml"])
    assert body.splitlines()[0] == forms.get("initial").title
    for heading in (
        "1. Meeting details",
        "2. Children in scope",
        "3. Parents, carers and household",
        "4. Attendance",
        "5. Reason for the strategy discussion",
        "6. Information shared by agency",
        "7. Analysis and the child's voice",
        "8. Decisions",
        "9. Action plan",
        "10. Contingency plan",
        "11. Key dates",
        "12. What may be shared with the family",
        "13. Distribution list",
        "14. Confidentiality",
        "15. Authorisation",
    ):
        assert heading in body.splitlines(), heading
    with demo_db.sessions() as session:
        meeting = get_meeting(session, DEMO_SIGNED)
        for decision in meeting.decisions:
            kind = next(k for k in DECISIONS if k.key == decision.kind)
            option = kind.option(decision.choice)
            assert option is not None
            assert kind.title in body and option.label in body and kind.question in body
        assert "Apologies, information sent" in body and "Clinic; report sent in advance" in body
        assert "NOT to be shared with the family (Would jeopardise a police investigation)" in body
        assert content_fingerprint(meeting) in body
        assert meeting.signoffs[0].name in body
    assert "DRAFT" not in body
    assert re.search(
        r"\b\d{1,2} (January|February|March|April|May|June|July|August|September"
        r"|October|November|December) 20\d\d\b",
        body,
    )
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", body), "ISO dates in the record"


def test_draft_record_says_draft_and_shows_dissent(
    demo_db: Database, forms: FormRegistry, protocol: Protocol
) -> None:
    data = _record(demo_db, forms, protocol, 6)  # exploitation: dissent on section 47
    package = parts(data)
    body = _text(package["word/document.xml"])
    assert "DRAFT: this record has not been authorised by the chair" in body
    assert "Police consider the risk of criminal exploitation is significant harm." in body
    assert "Recorded dissent" in body
    header = "".join(_text(v) for k, v in package.items() if k.startswith("word/header"))
    assert "DRAFT" in header


def test_marking_is_in_header_and_footer_with_page_x_of_y(
    demo_db: Database, forms: FormRegistry
) -> None:
    protocol = Protocol(protective_marking="OFFICIAL-SENSITIVE PERSONAL")
    package = parts(_record(demo_db, forms, protocol, DEMO_UNSIGNED))
    headers = [v for k, v in package.items() if re.fullmatch(r"word/header\d+\.xml", k)]
    footers = [v for k, v in package.items() if re.fullmatch(r"word/footer\d+\.xml", k)]
    assert headers and footers
    for part in headers + footers:
        assert "OFFICIAL-SENSITIVE PERSONAL" in _text(part)
    footer = footers[0].decode()
    assert re.search(r"Page .*<w:instrText[^>]*> PAGE </w:instrText>.* of .*NUMPAGES", footer)
    document = package["word/document.xml"].decode()
    sect = re.search(r"<w:sectPr.*</w:sectPr>", document, re.S)
    assert sect and "headerReference" in sect.group(0) and "footerReference" in sect.group(0)


def test_action_plan_header_row_repeats_on_every_page(
    demo_db: Database, forms: FormRegistry, protocol: Protocol
) -> None:
    document = docx.Document(io.BytesIO(_record(demo_db, forms, protocol, DEMO_SIGNED)))
    actions = next(t for t in document.tables if t.rows[0].cells[0].text == "No.")
    assert [c.text for c in actions.rows[0].cells] == [
        "No.",
        "Action",
        "Owner",
        "Agency",
        "Due by",
        "Status",
    ]
    assert actions.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert [r.cells[0].text for r in actions.rows[1:]] == ["1", "2", "3", "4", "5"]
    assert actions.style.name == "Record Grid"


def test_document_properties_name_no_child(
    demo_db: Database, forms: FormRegistry, protocol: Protocol
) -> None:
    package = parts(_record(demo_db, forms, protocol, DEMO_SIGNED))
    props = package["docProps/core.xml"].decode() + package["docProps/app.xml"].decode()
    for name in ("Maya", "Thompson", "Leo", "NB-1042"):
        assert name not in props
    core = docx.Document(io.BytesIO(_record(demo_db, forms, protocol, DEMO_SIGNED)))
    assert core.core_properties.title == f"{forms.get('initial').title} – OFFICIAL-SENSITIVE"
    assert not [n for n in package if n.startswith("customXml/")]


# -- users' text ---------------------------------------------------------------------------

_VISIBLE = ("L", "N", "P", "S", "Zs")


def _visible(s: str) -> list[str]:
    """Characters a reader sees (U+FFFD aside: it stands in for broken ones)."""
    return [c for c in s if unicodedata.category(c).startswith(_VISIBLE) and c != "\ufffd"]


_SCRATCH = docx.Document().add_paragraph()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=80))
def test_xml_safe_text_is_accepted_and_keeps_every_visible_character(raw: str) -> None:
    safe = xml_safe(raw)
    _SCRATCH.add_run(safe)  # raises for anything Word cannot store
    assert _visible(safe) == _visible(raw)
    if any("\ud800" <= c <= "\udfff" for c in raw):
        assert "\ufffd" in safe  # a broken character leaves a visible mark


def test_control_characters_and_very_long_text_export(
    db: Database, forms: FormRegistry, protocol: Protocol, tmp_path: Path
) -> None:
    nasty = "Before\x00\x01\x08\x0bline\x0cpage\x1f\ufffe\uffff \u202eevil\u202c after"
    long_text = "Paragraph of the record. " * 12_000  # about 300,000 characters
    with db.transaction() as session:
        meeting = complete_meeting(reason=nasty, risks=long_text)
        meeting.information[0].text = nasty
        session.add(meeting)
        session.flush()
        meeting_id = meeting.id
    with db.sessions() as session:
        result = export_record(
            session, meeting_id, tmp_path / "r.docx", forms=forms, protocol=protocol
        )
    document = docx.Document(str(result.path))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Before\nline\npage\ufffd\ufffd evil after" in paragraphs
    assert any(len(p) > 290_000 for p in paragraphs)
    assert "\u202e" not in "\n".join(paragraphs)


def test_lone_surrogate_in_memory_still_exports(forms: FormRegistry, protocol: Protocol) -> None:
    """Databases refuse lone surrogates, but text being edited in memory may hold one."""
    meeting = complete_meeting(reason="broken \ud800 character", record_version=1)
    meeting.status = MeetingStatus.DRAFT
    data = draft_record(meeting, forms=forms, protocol=protocol).data
    assert "broken \ufffd character" in [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


# -- fingerprint and integrity ------------------------------------------------------------


def test_content_fingerprint_is_stable_and_reproducible_from_the_meeting_file(
    db: Database, forms: FormRegistry, protocol: Protocol, tmp_path: Path
) -> None:
    with db.transaction() as session:
        meeting = complete_meeting()
        session.add(meeting)
        session.flush()
        before = content_fingerprint(meeting)
        sign(session, meeting, forms, protocol)
        assert meeting.signoffs[0].fingerprint == before
        assert content_fingerprint(meeting) == before
        meeting.status = MeetingStatus.CIRCULATED
        session.flush()
        assert content_fingerprint(meeting) == before
        meeting_id = meeting.id
    out = tmp_path / "m.json"
    assert main(["--db", str(db.engine.url), "export-json", str(meeting_id), "-o", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    not_content = ("status", "signoffs", "signed_documents")
    body = {k: v for k, v in document["meeting"].items() if k not in not_content}
    recipe = {
        "format": document["format"],
        "format_version": document["format_version"],
        "meeting": body,
    }
    canonical = json.dumps(recipe, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(canonical.encode()).hexdigest() == before


def test_record_changed_after_signing_is_refused_and_earlier_file_kept(
    demo_db: Database, forms: FormRegistry, protocol: Protocol, tmp_path: Path
) -> None:
    target = tmp_path / "record.docx"
    with demo_db.sessions() as session:
        export_record(session, DEMO_SIGNED, target, forms=forms, protocol=protocol)
    earlier = target.read_bytes()
    with without_triggers(demo_db), demo_db.transaction() as session:
        # an edit behind s47desk's back, straight in SQL, with the database's locks removed
        session.execute(
            text(
                "UPDATE decision SET rationale = 'changed' WHERE meeting_id = :m AND kind = 's47'"
            ),
            {"m": DEMO_SIGNED},
        )
    with demo_db.sessions() as session, pytest.raises(RecordError, match="altered after it was"):
        export_record(session, DEMO_SIGNED, target, forms=forms, protocol=protocol)
    assert target.read_bytes() == earlier


def test_a_draft_has_no_family_copy(
    demo_db: Database, forms: FormRegistry, protocol: Protocol, tmp_path: Path
) -> None:
    with demo_db.sessions() as session, pytest.raises(RecordError, match="sign the record first"):
        export_record(
            session, DEMO_UNSIGNED, tmp_path / "r.docx", forms=forms, protocol=protocol, family=True
        )
    assert not (tmp_path / "r.docx").exists()


# -- safe writing -------------------------------------------------------------------------


def test_unwritable_folder_gives_a_clear_message(
    demo_db: Database, forms: FormRegistry, protocol: Protocol, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"a file where a folder should be")
    with demo_db.sessions() as session, pytest.raises(ExportError) as caught:
        export_record(session, DEMO_SIGNED, blocker / "record.docx", forms=forms, protocol=protocol)
    assert "Could not write" in str(caught.value)
    assert blocker.read_bytes() == b"a file where a folder should be"


def test_full_disk_leaves_the_earlier_record_intact(
    demo_db: Database,
    forms: FormRegistry,
    protocol: Protocol,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "out" / "record.docx"
    target.parent.mkdir()
    with demo_db.sessions() as session:
        export_record(session, DEMO_SIGNED, target, forms=forms, protocol=protocol)
    earlier = target.read_bytes()

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with demo_db.sessions() as session, pytest.raises(ExportError, match="the disk is full"):
        export_record(session, DEMO_SIGNED, target, forms=forms, protocol=protocol, family=True)
    assert target.read_bytes() == earlier
    assert sorted(p.name for p in target.parent.iterdir()) == ["record.docx"]  # no temp file left


# -- command line -------------------------------------------------------------------------


def test_record_command(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = str(demo_db.engine.url)
    out = tmp_path / "r.docx"
    assert main(["--db", url, "record", str(DEMO_SIGNED), "-o", str(out)]) == 0
    assert "The file the chair signed at sign-off" in capsys.readouterr().out
    first = out.read_bytes()
    assert main(["--db", url, "record", str(DEMO_SIGNED), "-o", str(out)]) == 0
    assert out.read_bytes() == first  # one signed file per version, whatever the command
    assert docx.Document(str(out)).paragraphs[0].text == "Initial strategy discussion"
    assert main(["--db", url, "record", str(DEMO_UNSIGNED), "-o", str(out)]) == 0
    assert "A DRAFT" in capsys.readouterr().out
    assert main(["--db", url, "record", "99", "-o", str(out)]) == 2
    assert "there is no meeting 99" in capsys.readouterr().err.lower()
    assert main(["--db", url, "record", str(DEMO_UNSIGNED), "--family", "-o", str(out)]) == 2
    assert "sign the record first" in capsys.readouterr().err


def test_multi_page_record_builds_quickly(
    db: Database, forms: FormRegistry, protocol: Protocol
) -> None:
    with db.transaction() as session:
        meeting = complete_meeting()
        meeting.actions = [
            Action(text=f"Action {n} " + "detail " * 20, owner="Owner", agency=Agency.POLICE)
            for n in range(150)
        ]
        meeting.information = [
            InformationItem(
                agency=Agency.HEALTH, text="Item " * 80, family_sharing=FamilySharing.NO
            )
            for _ in range(60)
        ]
        session.add(meeting)
        session.flush()
        started = time.perf_counter()
        data = draft_record(meeting, forms=forms, protocol=protocol).data
        elapsed = time.perf_counter() - started
    assert elapsed < 5, f"building took {elapsed:.1f} s"
    tables = docx.Document(io.BytesIO(data)).tables
    assert len(next(t for t in tables if t.rows[0].cells[0].text == "No.").rows) == 151
