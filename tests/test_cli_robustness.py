"""The command line ends well however it is used: pipes closed early, in-memory databases,
bad identities, and failures that never print a child's details."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from s47desk.cli import main
from tests.conftest import REPO


def test_a_closed_pipe_ends_quietly(db_url: str) -> None:
    """``s47desk list | head``: the reader is gone before s47desk writes (closed here first)."""
    assert main(["--db", db_url, "demo"]) == 0
    child = subprocess.Popen(
        [sys.executable, "-m", "s47desk.cli", "--db", db_url, "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    with child.stderr:
        err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 0
    assert err == ""  # no BrokenPipeError traceback


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_is_refused_where_something_would_be_stored(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting = tmp_path / "m.json"
    meeting.write_text(
        json.dumps(
            {"format": "s47desk-meeting", "format_version": 1, "meeting": {"form_id": "initial"}}
        )
    )
    assert main(["--db", url, "import", str(meeting)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "in-memory database" in err and "nothing written there" in err
    assert main(["--db", url, "demo"]) == 2


def test_an_empty_uid_is_a_validation_error(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting = tmp_path / "m.json"
    body = {"form_id": "initial", "uid": "", "reason": "Maya Thompson was hurt"}
    meeting.write_text(
        json.dumps({"format": "s47desk-meeting", "format_version": 1, "meeting": body})
    )
    assert main(["--db", db_url, "import", str(meeting)]) == 2
    err = capsys.readouterr().err
    assert "$.meeting.uid" in err and "Maya" not in err and "Traceback" not in err


def test_a_defect_is_reported_without_the_data_it_touched(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from s47desk import meetings

    assert main(["--db", db_url, "demo"]) == 0
    capsys.readouterr()

    def broken(*_args: object, **_kwargs: object) -> object:
        raise KeyError("Maya Thompson, 14 Elm Road")

    monkeypatch.setattr(meetings, "summaries", broken)
    assert main(["--db", db_url, "list"]) == 70
    err = capsys.readouterr().err
    assert "failed unexpectedly (KeyError)" in err and "Maya" not in err
    report = Path(err.split("details is in ")[1].split(". Please")[0])
    text = report.read_text()
    assert "builtins.KeyError" in text and "in broken" in text
    assert "Maya" not in text and "Elm Road" not in text
    assert oct(report.stat().st_mode & 0o777) == "0o600"


def test_sql_parameters_never_appear_in_database_errors(db_url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from s47desk.storage import open_database

    db = open_database(db_url)
    try:
        with pytest.raises(IntegrityError) as caught, db.transaction() as session:
            session.execute(
                text("INSERT INTO meeting (id, uid, form_id) VALUES (1, :u, :f), (2, :u, :f)"),
                {"u": "Maya Thompson", "f": "initial"},
            )
        assert "Maya" not in str(caught.value)
    finally:
        db.close()
