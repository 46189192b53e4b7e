"""Storage: durable SQLite settings, private files, migrations, locked signed records, no lost edits."""

from __future__ import annotations

import stat
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from s47desk import migrations
from s47desk.errors import UserError
from s47desk.forms import FormRegistry
from s47desk.lock import SignedRecordError
from s47desk.migrations import HEAD
from s47desk.models import Action, Base, Child, Meeting
from s47desk.paths import default_database_url as default_url
from s47desk.protocol import Protocol
from s47desk.readiness import NotReadyToSign
from s47desk.storage import Database, StorageError, open_database, schema_revision
from s47desk.vocab import MeetingStatus
from tests.factories import complete_meeting, sign, store_signed


def test_sqlite_pragmas_are_set_on_every_connection(db: Database) -> None:
    with db.engine.connect() as connection:
        pragma = {
            name: connection.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 5000,
    }


def test_database_file_and_folder_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "s47desk.sqlite3"
    database = open_database(f"sqlite:///{path}")
    with database.transaction() as session:
        session.add(Meeting(form_id="initial"))
    database.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_default_database_is_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("S47DESK_DATA", str(tmp_path / "data"))
    assert default_url() == f"sqlite:///{tmp_path / 'data' / 's47desk.sqlite3'}"
    monkeypatch.setenv("S47DESK_DB", "sqlite:////elsewhere.db")
    assert default_url() == "sqlite:////elsewhere.db"


def test_head_revision_matches_alembic() -> None:
    script = ScriptDirectory(str(Path(migrations.__file__).parent))
    assert script.get_current_head() == HEAD


def test_migrations_build_exactly_the_models(db: Database) -> None:
    assert schema_revision(db.engine) == HEAD
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_bad_urls_are_reported(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="not a database URL"):
        open_database("not a url")
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(StorageError, match="is not a SQLite database"):
        open_database(
            f"sqlite:///{tmp_path / 'not-a-database.db'}".replace("not-a-database.db", "a-file")
        )


def signed_meeting(db: Database, forms: FormRegistry, protocol: Protocol) -> int:
    return store_signed(db, complete_meeting(), forms, protocol)


def test_signing_needs_no_blockers(db: Database, forms: FormRegistry, protocol: Protocol) -> None:
    with db.transaction() as session:
        meeting = complete_meeting(chair_name="")
        session.add(meeting)
        with pytest.raises(NotReadyToSign, match="No chair is recorded"):
            sign(session, meeting, forms, protocol)
        assert meeting.status is MeetingStatus.DRAFT


@pytest.mark.parametrize(
    "change",
    [
        lambda m: setattr(m, "reason", "rewritten"),
        lambda m: setattr(m.children[0], "name", "Someone else"),
        lambda m: m.actions.append(Action(text="late addition")),
        lambda m: m.children.append(Child(name="New")),
        lambda m: m.information.pop(),
        lambda m: setattr(m, "status", MeetingStatus.DRAFT),
    ],
    ids=["field", "child", "add action", "add child", "remove information", "unsign"],
)
def test_a_signed_record_never_changes(
    db: Database, forms: FormRegistry, protocol: Protocol, change: object
) -> None:
    meeting_id = signed_meeting(db, forms, protocol)
    with pytest.raises(SignedRecordError, match="signed"), db.transaction() as session:
        meeting = session.get(Meeting, meeting_id)
        change(meeting)  # type: ignore[operator]
        session.flush()
    with db.sessions() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        assert meeting.reason == "Bruising reported by school."
        assert [c.name for c in meeting.children] == ["Alex Test"]
        assert meeting.status is MeetingStatus.SIGNED


def test_a_signed_record_cannot_be_deleted_but_can_be_circulated(
    db: Database, forms: FormRegistry, protocol: Protocol
) -> None:
    meeting_id = signed_meeting(db, forms, protocol)
    with pytest.raises(SignedRecordError), db.transaction() as session:
        session.delete(session.get(Meeting, meeting_id))
    with db.transaction() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        meeting.status = MeetingStatus.CIRCULATED
    with db.sessions() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None and meeting.status is MeetingStatus.CIRCULATED
        assert meeting.signoffs[0].name == "Chris Chair"


@pytest.mark.postgres
def test_postgresql_stores_and_locks_like_sqlite(
    postgres_url: str, forms: FormRegistry, protocol: Protocol
) -> None:
    database = open_database(postgres_url)
    assert schema_revision(database.engine) == HEAD
    meeting_id = signed_meeting(database, forms, protocol)
    with database.sessions() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        assert meeting.held_at == datetime(2026, 11, 24, 14, 0)
        assert meeting.decision("s47") is not None
    with pytest.raises(SignedRecordError), database.transaction() as session:
        stored = session.get(Meeting, meeting_id)
        assert stored is not None
        stored.reason = "changed"
    database.close()


def test_signing_twice_or_anonymously_is_refused(
    db: Database, forms: FormRegistry, protocol: Protocol
) -> None:
    meeting_id = signed_meeting(db, forms, protocol)
    with db.transaction() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        with pytest.raises(SignedRecordError, match="already signed"):
            sign(session, meeting, forms, protocol)
    with db.transaction() as session:
        fresh = complete_meeting()
        session.add(fresh)
        with pytest.raises(UserError, match="name and role"):
            sign(session, fresh, forms, protocol, name=" ")


def test_list_order_is_stored_however_the_list_was_set(db: Database) -> None:
    """Assigning a whole list must number its items, or their order would be up to the database."""
    with db.transaction() as session:
        meeting = complete_meeting()
        meeting.actions = [Action(text=f"action {n}") for n in range(5)]
        meeting.children = [Child(name="B"), Child(name="A")]
        session.add(meeting)
    with db.transaction() as session:
        stored = session.get(Meeting, meeting.id)
        assert stored is not None
        assert [a.position for a in stored.actions] == [0, 1, 2, 3, 4]
        assert [a.number for a in stored.actions] == [1, 2, 3, 4, 5]
        assert [c.name for c in stored.children] == ["B", "A"]
        stored.actions = [stored.actions[4], stored.actions[0]]
    with db.sessions() as session:
        stored = session.get(Meeting, meeting.id)
        assert stored is not None
        assert [(a.text, a.position) for a in stored.actions] == [("action 4", 0), ("action 0", 1)]


def test_signing_stores_the_fingerprint_of_what_was_authorised(
    db: Database, forms: FormRegistry, protocol: Protocol
) -> None:
    from s47desk.record.fingerprint import content_fingerprint

    meeting_id = signed_meeting(db, forms, protocol)
    with db.sessions() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        assert len(meeting.signoffs[0].fingerprint) == 64
        assert meeting.signoffs[0].fingerprint == content_fingerprint(meeting)
