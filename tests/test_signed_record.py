"""A signed record cannot lie: the database refuses changes to it, anything that slips past is
reported as altered, import cannot forge a sign-off, one version is one file, amendments keep
the old version whole, and the audit trail catches an edited, deleted or reordered entry.
Storage cases run on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from s47desk.audit import Actor
from s47desk.cli import main
from s47desk.editing import FieldEdit, MeetingLocked, save_edits
from s47desk.forms import FormRegistry
from s47desk.graph import load
from s47desk.meetings import get_meeting
from s47desk.protocol import Protocol
from s47desk.signoff_check import check_signoff
from s47desk.storage import Database, open_database
from s47desk.vocab import MeetingStatus
from tests.dbkit_triggers import without_triggers
from tests.factories import chris, complete_meeting, store_signed


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, db_url: str) -> str:
    if request.param == "sqlite":
        return db_url
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def signed(url: str, forms: FormRegistry, protocol: Protocol) -> tuple[Database, int]:
    database = open_database(url)
    meeting = complete_meeting()
    for attendee in meeting.attendees:
        attendee.email = f"{attendee.agency.value}@agency.example"
    meeting_id = store_signed(database, meeting, forms, protocol)
    yield database, meeting_id  # type: ignore[misc]
    database.close()


STATEMENTS = [
    "UPDATE decision SET rationale = 'forged' WHERE meeting_id = :m",
    "UPDATE meeting SET reason = 'forged' WHERE id = :m",
    "UPDATE child SET name = 'Someone else' WHERE meeting_id = :m",
    "DELETE FROM action WHERE meeting_id = :m",
    "INSERT INTO child (uid, meeting_id, position, name, role, gender, reference, outcome, "
    "outcome_note) VALUES ('5b4c2f3e-6a1d-4e0b-9a47-000000000001', :m, 9, 'Added', 'sibling', "
    "'', '', 'undecided', '')",
    "UPDATE signoff SET fingerprint = 'f' WHERE meeting_id = :m",
    "UPDATE meeting SET status = 'draft' WHERE id = :m",
    "DELETE FROM meeting WHERE id = :m",
    "UPDATE audit_entry SET new = 'x'",
    "DELETE FROM audit_entry",
]


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: s[:40])
def test_the_database_refuses_to_change_a_signed_meeting(
    signed: tuple[Database, int], statement: str
) -> None:
    database, meeting_id = signed
    with pytest.raises(DBAPIError, match="s47desk: this"), database.engine.begin() as c:
        c.execute(text(statement), {"m": meeting_id})
    with database.sessions() as session:
        meeting = load(session, meeting_id)
        assert meeting is not None and meeting.status is MeetingStatus.SIGNED
        assert check_signoff(meeting).ok


def test_circulating_is_the_one_change_a_signed_meeting_takes(signed: tuple[Database, int]) -> None:
    database, meeting_id = signed
    with database.engine.begin() as c:
        c.execute(text("UPDATE meeting SET status = 'circulated' WHERE id = :m"), {"m": meeting_id})
    with pytest.raises(DBAPIError), database.engine.begin() as c:
        c.execute(text("UPDATE meeting SET status = 'signed' WHERE id = :m"), {"m": meeting_id})


def test_a_window_that_has_not_seen_the_signature_cannot_write(
    signed: tuple[Database, int],
) -> None:
    """Window A still holds the meeting as unsigned; B signed it. A's next save is refused."""
    database, meeting_id = signed
    with database.sessions() as session:
        meeting = get_meeting(session, meeting_id)
        uid, reason = meeting.uid, meeting.reason
    edits = [FieldEdit("meeting", uid, "reason", reason, "A's change after B signed")]
    with pytest.raises(MeetingLocked, match="signed"):
        save_edits(database, uid, edits, Actor("A", "a"))
    with database.sessions() as session:
        assert get_meeting(session, meeting_id).reason == reason


def test_with_the_locks_removed_an_edit_is_reported_as_altered_everywhere(
    signed: tuple[Database, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database, meeting_id = signed
    with without_triggers(database), database.engine.begin() as c:
        c.execute(
            text("UPDATE decision SET rationale = 'forged' WHERE meeting_id = :m AND kind = 's47'"),
            {"m": meeting_id},
        )
    url = database.engine.url.render_as_string(hide_password=False)
    capsys.readouterr()
    assert main(["--db", url, "check", str(meeting_id), "--json"]) == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    assert [f["code"] for f in found] == ["record.altered"]
    assert "the decision s47" in found[0]["message"]
    assert main(["--db", url, "list", "--json"]) == 0
    [row] = [r for r in json.loads(capsys.readouterr().out) if r["id"] == meeting_id]
    assert row["altered"] is True
    assert main(["--db", url, "list"]) == 0
    assert "ALTERED" in capsys.readouterr().out
    for command in (["record", str(meeting_id), "-o", str(tmp_path / "r.docx")],
                    ["export-json", str(meeting_id), "-o", str(tmp_path / "m.json")]):  # fmt: skip
        assert main(["--db", url, *command]) == 2
        assert "altered after it was signed" in capsys.readouterr().err
    assert not (tmp_path / "r.docx").exists() and not (tmp_path / "m.json").exists()


def test_with_the_locks_removed_a_forged_fingerprint_is_still_caught(
    signed: tuple[Database, int], forms: FormRegistry, protocol: Protocol
) -> None:
    """Rewrite the content *and* the stored fingerprint: only the chair's key could re-sign."""
    from s47desk.record.fingerprint import content_fingerprint

    database, meeting_id = signed
    with without_triggers(database), database.engine.begin() as c:
        c.execute(text("UPDATE meeting SET reason = 'forged' WHERE id = :m"), {"m": meeting_id})
    with database.sessions() as session:
        meeting = load(session, meeting_id)
        assert meeting is not None
        forged = content_fingerprint(meeting)
    with database.engine.begin() as c:
        c.execute(
            text("UPDATE signoff SET fingerprint = :f WHERE meeting_id = :m"),
            {"f": forged, "m": meeting_id},
        )
    with database.sessions() as session:
        meeting = load(session, meeting_id)
        assert meeting is not None
        result = check_signoff(meeting)
        assert not result.ok and "does not match what the chair signed" in result.summary


# -- import -------------------------------------------------------------------------------


def exported(url: str, meeting_id: int, path: Path) -> dict[str, Any]:
    assert main(["--db", url, "export-json", str(meeting_id), "-o", str(path)]) == 0
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_meeting_file_cannot_sign_itself(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = {
        "format": "s47desk-meeting",
        "format_version": 1,
        "meeting": {
            "form_id": "review",
            "status": "signed",
            "reason": "A review with blockers",
            "signoffs": [
                {
                    "name": "Head of Service",
                    "role": "Head",
                    "signed_at": "2026-11-24T10:00",
                    "fingerprint": "0" * 64,
                }
            ],
        },
    }
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(draft), encoding="utf-8")
    assert main(["--db", db_url, "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "cannot be proven" in err and "nothing was imported" in err
    assert main(["--db", db_url, "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_genuinely_signed_meeting_imports_signed_and_an_altered_one_is_refused(
    signed: tuple[Database, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database, meeting_id = signed
    url = database.engine.url.render_as_string(hide_password=False)
    document = exported(url, meeting_id, tmp_path / "m.json")
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    tampered = json.loads(json.dumps(document))
    tampered["meeting"]["reason"] = "Edited in the file"
    (tmp_path / "t.json").write_text(json.dumps(tampered), encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", other, "import", str(tmp_path / "t.json")]) == 2
    assert "changed after it was signed" in capsys.readouterr().err
    assert main(["--db", other, "import", str(tmp_path / "m.json")]) == 0
    new_id = int(capsys.readouterr().out.strip())
    again = open_database(other)
    with again.sessions() as session:
        meeting = load(session, new_id)
        assert meeting is not None and meeting.status is MeetingStatus.SIGNED
        assert check_signoff(meeting).ok
        assert meeting.reference == document["meeting"]["reference"]  # kept on import
        assert meeting.provenance.startswith("Imported from m.json by")
    again.close()
    out = tmp_path / "copy.docx"
    assert main(["--db", other, "record", str(new_id), "-o", str(out)]) == 0
    assert main(["--db", url, "record", str(meeting_id), "-o", str(tmp_path / "orig.docx")]) == 0
    assert out.read_bytes() == (tmp_path / "orig.docx").read_bytes()


# -- one version, one file; amendments ------------------------------------------------------


def test_record_and_circulate_write_the_same_bytes(
    signed: tuple[Database, int], tmp_path: Path
) -> None:
    database, meeting_id = signed
    url = database.engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "record", str(meeting_id), "-o", str(tmp_path / "a.docx")]) == 0
    assert main(["--db", url, "circulate", str(meeting_id), "--outdir", str(tmp_path / "c")]) == 0
    assert main(["--db", url, "circulate", str(meeting_id), "--outdir", str(tmp_path / "d")]) == 0
    [c] = list((tmp_path / "c").glob("*.docx"))
    [d] = list((tmp_path / "d").glob("*.docx"))
    assert (tmp_path / "a.docx").read_bytes() == c.read_bytes() == d.read_bytes()


def test_an_amendment_keeps_version_1_whole_and_supersedes_it_once_signed(
    signed: tuple[Database, int],
    tmp_path: Path,
    forms: FormRegistry,
    protocol: Protocol,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from s47desk.signoff import sign_in_session

    database, meeting_id = signed
    url = database.engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "record", str(meeting_id), "-o", str(tmp_path / "v1.docx")]) == 0
    v1 = (tmp_path / "v1.docx").read_bytes()
    capsys.readouterr()
    assert main(["--db", url, "amend", str(meeting_id), "--reason", "Wrong date of birth"]) == 0
    new_id = int(capsys.readouterr().out.splitlines()[0])
    assert main(["--db", url, "amend", str(meeting_id), "--reason", "Again"]) == 2
    assert "already being amended" in capsys.readouterr().err
    with database.transaction() as session:
        amendment = load(session, new_id)
        assert amendment is not None
        assert amendment.record_version == 2 and amendment.status is MeetingStatus.DRAFT
        amendment.children[0].name = "Alex Tested"
        session.flush()
        sign_in_session(
            session, amendment, forms=forms, protocol=protocol, identity=chris(),
            name="Chris Chair", role="Team manager",
        )  # fmt: skip
    assert main(["--db", url, "record", str(meeting_id), "-o", str(tmp_path / "again.docx")]) == 0
    assert (tmp_path / "again.docx").read_bytes() == v1  # version 1: as it was, still exportable
    assert main(["--db", url, "record", str(new_id), "-o", str(tmp_path / "v2.docx")]) == 0
    import docx

    body = "\n".join(
        "\t".join(c.text for c in row.cells)
        for t in docx.Document(str(tmp_path / "v2.docx")).tables
        for row in t.rows
    )
    assert "Wrong date of birth" in body and "2 (this record)" in body and "First version" in body
    assert main(["--db", url, "circulate", str(new_id), "--outdir", str(tmp_path / "c")]) == 0
    [draft] = sorted((tmp_path / "c").glob("*police.eml"))
    message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "It supersedes version 1, signed by Chris Chair" in body
    assert "Wrong date of birth" in body


# -- the audit trail ------------------------------------------------------------------------


def audit_verdict(url: str, meeting_id: int, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--db", url, "audit", str(meeting_id), "--verify"])
    return code, capsys.readouterr().out


@pytest.mark.parametrize(
    ("attack", "words"),
    [
        ("UPDATE audit_entry SET new = 'rewritten' WHERE seq = 2 AND meeting_uid = :u", "altered"),
        ("DELETE FROM audit_entry WHERE seq = 2 AND meeting_uid = :u", "missing"),
        ("UPDATE audit_entry SET seq = seq + 100 WHERE seq = 1 AND meeting_uid = :u", "order"),
        (
            "DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry "
            "WHERE meeting_uid = :u) AND meeting_uid = :u",
            "removed",
        ),
    ],
    ids=["edited", "deleted", "reordered", "last removed"],
)
def test_audit_verify_catches_an_edited_deleted_or_reordered_entry(
    signed: tuple[Database, int], capsys: pytest.CaptureFixture[str], attack: str, words: str
) -> None:
    database, meeting_id = signed
    url = database.engine.url.render_as_string(hide_password=False)
    code, out = audit_verdict(url, meeting_id, capsys)
    assert code == 0 and "whole and in order" in out
    assert (" create " in out and " sign" in out) or "status" in out
    with database.sessions() as session:
        uid = get_meeting(session, meeting_id).uid
    with without_triggers(database), database.engine.begin() as c:
        c.execute(text(attack), {"u": uid})
    code, out = audit_verdict(url, meeting_id, capsys)
    assert code == 1 and "AUDIT TRAIL BROKEN" in out and words in out


def test_the_audit_trail_names_who_changed_what(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = open_database(db_url)
    with database.transaction() as session:
        meeting = complete_meeting()
        session.add(meeting)
    save_edits(
        database,
        meeting.uid,
        [FieldEdit("meeting", meeting.uid, "reason", meeting.reason, "Updated", "Reason")],
        Actor("Sam Reid", "sreid"),
    )
    database.close()
    capsys.readouterr()
    assert main(["--db", db_url, "audit", str(meeting.id), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["whole"] is True
    last = report["entries"][-1]
    assert (last["actor"], last["login"], last["field"], last["new"]) == (
        "Sam Reid", "sreid", "Reason", "Updated"
    )  # fmt: skip
    assert last["old"] == "Bruising reported by school."
