"""Settings never stop s47desk: a bad value is reported (file, key, problem), its default used,
and the file left exactly as it was; the organisation's file sits under the user's."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from s47desk.cli import main
from s47desk.settings import Settings, load_settings, save_settings, settings_path


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        (
            '{"smtp_port": "587", "chair_name": "Priya Sandhu"}',
            "smtp_port",
            "must be a whole number",
        ),
        ('{"chair_nmae": "Priya", "chair_name": "Priya Sandhu"}', "chair_nmae", "not a setting"),
        ('{"chair_name": "Priya Sandhu", "region": "wales"}', "region", "is not one of"),
        ('{"chair_name": "Priya Sandhu",', "", "not valid JSON"),
    ],
)
def test_a_bad_setting_is_reported_and_its_default_used(text: str, key: str, problem: str) -> None:
    digest = write(settings_path(), text)
    loaded = load_settings()
    assert len(loaded.problems) == 1
    found = loaded.problems[0]
    assert (found.key, found.file) == (key, settings_path())
    assert problem in str(found)
    assert hashlib.sha256(settings_path().read_bytes()).hexdigest() == digest
    if key:  # the rest of the file still counts
        assert loaded.settings.chair_name == "Priya Sandhu"
    assert loaded.settings.smtp_port == 587 and loaded.settings.region == "england_wales"


def test_list_works_with_bad_settings_and_says_what_was_ignored(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write(settings_path(), '{"smtp_port": "587"}')
    assert main(["--db", db_url, "list"]) == 0
    out, err = capsys.readouterr()
    assert "No meetings yet" in out
    assert f"warning: {settings_path()}: smtp_port: must be a whole number" in err
    assert "the default (587) is used" in err


def test_the_organisation_sets_defaults_and_fixes_what_it_must(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = tmp_path / "etc" / "settings.json"
    write(
        org,
        json.dumps(
            {
                "smtp_host": "relay.council.example",
                "sender_email": "safeguarding@council.example",
                "export_folder": "/srv/records",
                "fixed": ["smtp_host", "sender_email"],
            }
        ),
    )
    monkeypatch.setenv("S47DESK_ORG_CONFIG", str(org))
    write(
        settings_path(),
        json.dumps({"smtp_host": "smtp.gmail.com", "export_folder": "/home/me/records"}),
    )
    loaded = load_settings()
    assert loaded.settings.smtp_host == "relay.council.example"  # fixed: the user's is ignored
    assert loaded.settings.export_folder == "/home/me/records"  # a default: the user's wins
    assert loaded.settings.sender_email == "safeguarding@council.example"
    assert loaded.organisation == {"smtp_host", "sender_email"}
    with pytest.raises(ValueError, match="smtp_host"):
        loaded.settings.with_changes(smtp_host="smtp.gmail.com")
    save_settings(loaded.settings.with_changes(chair_name="Priya Sandhu"))
    saved = json.loads(settings_path().read_text())
    assert "smtp_host" not in saved and saved["chair_name"] == "Priya Sandhu"


def test_saving_keeps_settings_from_a_newer_version() -> None:
    write(settings_path(), '{"chair_name": "Priya", "theme_colour": "teal"}')
    loaded = load_settings()
    save_settings(loaded.settings.with_changes(chair_role="Team manager"), keep=loaded.unknown)
    assert json.loads(settings_path().read_text())["theme_colour"] == "teal"


def test_settings_are_complete_when_built() -> None:
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.chair_name = "x"  # type: ignore[misc]


def test_the_organisation_names_the_teams_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "team" / "s47desk.sqlite3"
    shared.parent.mkdir()
    org = tmp_path / "etc" / "settings.json"
    write(org, json.dumps({"database_url": f"sqlite:///{shared}", "fixed": ["database_url"]}))
    monkeypatch.setenv("S47DESK_ORG_CONFIG", str(org))
    assert main(["demo"]) == 0  # no --db, no S47DESK_DB: the organisation's database
    assert shared.exists()
    own = tmp_path / "mine.sqlite3"
    assert main(["--db", f"sqlite:///{own}", "list"]) == 0  # --db still comes first
    assert own.exists()
    capsys.readouterr()
