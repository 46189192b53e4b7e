"""The command line, as a user or a script runs it: output, exit status, nothing written on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from s47desk.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(db_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = run(capsys, "--db", db_url, "demo")
    assert code == 0 and "Loaded 6 fictional demo meetings" in out
    return db_url


def test_demo_and_list(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", demo, "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "CHILD", "FORM", "STATUS", "NEXT", "DEADLINE"]
    assert len(lines) == 7
    for form in ("initial", "review", "pre_birth", "lado", "missing", "exploitation"):
        assert form in out
    assert "Maya Thompson" in out and "Signed" in out


def test_demo_loads_once(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", demo, "demo")
    assert code == 0 and "already loaded" in out
    _, out, _ = run(capsys, "--db", demo, "list", "--json")
    assert len(json.loads(out)) == 6


def test_list_json(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--db", demo, "list", "--json")
    rows = {row["form"]: row for row in json.loads(out)}
    assert set(rows["initial"]) == {
        "id", "reference", "child", "form", "status", "held_at", "next_deadline", "open_actions",
        "overdue_actions", "altered",
    }  # fmt: skip
    assert rows["initial"]["status"] == "signed" and rows["initial"]["open_actions"] == 5
    assert rows["missing"]["next_deadline"]["key"] == "whereabouts_discussion_by"
    assert rows["pre_birth"]["next_deadline"]["key"] == "strategy_discussion_by"


def check_json(capsys: pytest.CaptureFixture[str], db: str, target: str) -> tuple[int, dict]:
    code, out, _ = run(capsys, "--db", db, "check", target, "--json")
    return code, json.loads(out)


def test_check_of_each_demo_meeting(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, initial = check_json(capsys, demo, "1")
    assert code == 0 and initial["ready"] is True and initial["findings"] == []
    assert set(initial["deadlines"]) == {
        "strategy_discussion_by", "record_circulation_by", "icpc_by", "assessment_by",
    }  # fmt: skip
    code, review = check_json(capsys, demo, "2")
    assert code == 1 and review["ready"] is False
    # The review's conference clock runs from the initial discussion, not from the review.
    assert review["deadlines"]["icpc_by"] == initial["deadlines"]["icpc_by"]
    code, pre_birth = check_json(capsys, demo, "3")
    found = {f["code"]: f for f in pre_birth["findings"]}
    assert code == 1 and found["attendance.midwifery"]["severity"] == "blocker"
    assert found["attendance.midwifery"]["step"] == "attendance"
    assert set(found["attendance.midwifery"]) == {
        "code",
        "severity",
        "message",
        "step",
        "field",
        "item",
    }
    _, lado = check_json(capsys, demo, "4")
    assert lado["deadlines"]["lado_notification_by"]
    assert "attendance.lado" not in {f["code"] for f in lado["findings"]}
    _, missing = check_json(capsys, demo, "5")
    assert missing["deadlines"]["whereabouts_discussion_by"] == "2026-11-23T16:00"
    _, exploitation = check_json(capsys, demo, "6")
    codes = {f["code"] for f in exploitation["findings"]}
    assert {"decision.dissent_escalation", "attendance.complex_safeguarding"} <= codes
    # No section 47 enquiry, so no "7 days after the section 47 outcome" and no conference.
    assert "cin_planning_by" not in exploitation["deadlines"]
    assert exploitation["deadline_states"]["cin_planning_by"] == "not_applicable"
    assert exploitation["deadline_states"]["icpc_by"] == "not_applicable"
    assert initial["deadline_states"]["strategy_discussion_by"] == "met_on_time"
    assert review["deadline_states"]["strategy_discussion_by"] == "not_applicable"
    assert set(initial["deadline_states"]) == set(initial["deadlines"]) | {"cin_planning_by"}


def test_check_text_output(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", demo, "check", "3")
    assert code == 1
    assert "NOT READY TO SIGN" in out
    assert "[blocker] attendance.midwifery (Attendance)" in out
    assert "Strategy discussion" in out and "working day" in out


def test_export_import_and_check_a_file(
    demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "meeting.json"
    code, _, _ = run(capsys, "--db", demo, "export-json", "3", "-o", str(path))
    assert code == 0 and json.loads(path.read_text())["meeting"]["form_id"] == "pre_birth"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    code, from_file = check_json(capsys, demo, str(path))
    _, from_db = check_json(capsys, demo, "3")
    assert code == 1 and from_file == from_db
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    code, out, _ = run(capsys, "--db", other, "import", str(path))
    assert code == 0 and out.strip() == "1"
    code, _, err = run(capsys, "--db", demo, "import", str(path))
    assert code == 2 and "already stored as meeting 3" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "99"], "there is no meeting 99"),
        (["export-json", "abc", "-o", "x.json"], "'abc' is not a meeting id"),
        (["import", "missing.json"], "cannot read the file"),
        (["--db", "nonsense", "list"], "not a database URL"),
        (["--protocol", "missing.toml", "list"], "local-protocol file not found"),
        (["export-json", "1", "-o", "no/such/folder/m.json"], "the folder does not exist"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    demo: str, argv: list[str], message: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--db", demo, *argv)
    assert code == 2 and message in err and err.startswith("s47desk: ")
    assert out == ""
    assert not (tmp_path / "x.json").exists()


def test_argument_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["deadlines", "--referral", "2026-02-30"])
    assert exit_.value.code == 2
    assert "'2026-02-30' is not a real date" in capsys.readouterr().err


def test_deadlines_calculator(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "deadlines", "--referral", "2026-12-23", "--identified", "2026-12-24",
        "--held", "2026-12-29", "--urgency", "immediate_action", "--allegation", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out) == {
        "strategy_discussion_by": "2026-12-29",
        "lado_notification_by": "2026-12-29",  # 1 working day after 24 December
        "record_circulation_by": "2026-12-30",
        "icpc_by": "2027-01-20",
        "assessment_by": "2027-03-01",
    }
    code, out, _ = run(capsys, "deadlines", "--referral", "2026-12-31", "--region", "scotland")
    assert code == 0 and "Scotland" in out and "Assessment completed" in out


def test_reference_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "checks")
    assert code == 0 and "attendance.police" in out and "guidance" in out
    code, out, _ = run(capsys, "forms")
    assert code == 0 and "pre_birth" in out
    code, out, _ = run(capsys, "schema")
    assert json.loads(out)["properties"]["format"] == {"const": "s47desk-meeting"}


def test_create_a_certificate_sign_a_meeting_and_verify_its_record(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from s47desk.storage import open_database
    from tests.factories import complete_meeting

    database = open_database(db_url)
    with database.transaction() as session:
        meeting = complete_meeting()  # chaired by Chris Chair
        session.add(meeting)
    database.close()
    monkeypatch.setenv("CHAIR_PASS", "correct horse battery staple")
    p12 = tmp_path / "chair.p12"
    code, out, _ = run(
        capsys, "certificate", "-o", str(p12), "--name", "Chris Chair", "--role", "Team manager",
        "--pass-env", "CHAIR_PASS",
    )  # fmt: skip
    assert code == 0 and oct(p12.stat().st_mode & 0o777) == "0o600"
    fingerprint = out.split("pin): ")[1].strip()
    monkeypatch.setenv("WRONG", "wrong")
    sign = ["--db", db_url, "sign", str(meeting.id), "--certificate", str(p12)]
    code, _, err = run(capsys, *sign, "--pass-env", "WRONG")
    assert code == 2 and "passphrase" in err
    code, out, err = run(capsys, *sign, "--pass-env", "CHAIR_PASS")
    assert code == 0, err
    record = tmp_path / "record.docx"
    code, _, err = run(capsys, "--db", db_url, "record", str(meeting.id), "-o", str(record))
    assert code == 0, err
    code, out, _ = run(capsys, "verify", str(record), "--signer-sha256", fingerprint)
    assert code == 0 and "Chris Chair" in out
    code, _, _ = run(capsys, "verify", str(record), "--signer-sha256", "0" * 64)
    assert code == 1


def test_certificate_needs_a_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "certificate", "-o", str(tmp_path / "c.p12"), "--pass-env", "X")
    assert code == 2 and "--name" in err
