"""Backups are checked copies made through SQLite; a restore keeps what it replaces."""

from __future__ import annotations

import sqlite3
import stat
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from s47desk.backup import (
    BackupError,
    backup_before_migration,
    backup_database,
    daily_backup,
    default_backups_dir,
    list_backups,
    manual_backup,
    restore_database,
    server_backup_message,
    sqlite_path,
)
from s47desk.dbfile import DbState, inspect_database
from s47desk.forms import FormRegistry
from s47desk.models import Meeting
from s47desk.protocol import Protocol
from s47desk.storage import open_database
from tests.dbkit import (
    CHILD,
    add_meetings,
    content,
    crashed_db,
    digests,
    flip,
    held_open,
    make_db,
    meeting_count,
    page_size,
    set_revision,
    url,
)
from tests.factories import complete_meeting, store_signed

NOW = datetime(2026, 11, 23, 9, 30, 0)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return make_db(tmp_path / "data" / "s47desk.sqlite3")


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    return tmp_path / "data" / "backups"


def test_a_backup_is_a_checked_private_copy(database: Path, backups: Path) -> None:
    dest = backup_database(database, backups / "copy.sqlite3")
    assert content(dest) == content(database)
    assert inspect_database(dest).ok
    assert mode(dest) == 0o600 and mode(backups) == 0o700
    assert sorted(p.name for p in backups.iterdir()) == ["copy.sqlite3"]  # no temporary left


def test_a_live_database_is_backed_up_with_its_latest_commits(
    database: Path, backups: Path
) -> None:
    db = open_database(url(database))
    add_meetings(db, 2)  # in the -wal, not yet in the main file
    try:
        dest = backup_database(database, backups / "live.sqlite3")
        assert meeting_count(dest) == 5
    finally:
        db.close()


def test_a_backup_is_taken_while_another_connection_is_writing(
    database: Path, backups: Path
) -> None:
    """An open write transaction neither blocks the backup nor leaks into it."""
    db = open_database(url(database))
    session = db.sessions()
    session.add(complete_meeting(reason="not yet saved"))
    session.flush()  # the write lock is held from here until commit
    try:
        started = time.monotonic()
        dest = backup_database(database, backups / "during-write.sqlite3")
        assert time.monotonic() - started < 2  # not waiting out the 5 s busy timeout
        assert meeting_count(dest) == 3
        session.commit()
        assert meeting_count(database) == 4
    finally:
        session.close()
        db.close()


def test_a_backup_of_a_damaged_database_is_refused(database: Path, backups: Path) -> None:
    pages = database.stat().st_size // page_size(database)
    flip(database, pages // 2 * page_size(database), 16)
    before = digests(database)
    with pytest.raises(BackupError, match="failed SQLite's check") as error:
        backup_database(database, backups / "bad.sqlite3")
    assert digests(database) == {**before, "folder": "backups s47desk.sqlite3"}
    assert list(backups.iterdir()) == []  # no backup, no temporary file
    assert CHILD not in str(error.value)


@pytest.mark.parametrize("content_", [b"", b"not a database"], ids=["empty", "text"])
def test_a_backup_of_a_file_that_is_not_a_database_is_refused(
    tmp_path: Path, backups: Path, content_: bytes
) -> None:
    path = tmp_path / "s47desk.sqlite3"
    path.write_bytes(content_)
    with pytest.raises(BackupError, match=f"Could not back up {path}"):
        backup_database(path, backups / "x.sqlite3")
    assert path.read_bytes() == content_ and not backups.exists()


def test_a_backup_does_not_overwrite_unless_asked(database: Path, tmp_path: Path) -> None:
    dest = tmp_path / "existing.sqlite3"
    dest.write_bytes(b"precious")
    with pytest.raises(BackupError, match="already there"):
        backup_database(database, dest)
    assert dest.read_bytes() == b"precious"
    backup_database(database, dest, overwrite=True)
    assert inspect_database(dest).ok


def test_a_backup_that_cannot_be_written_says_why(database: Path, tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("a file, not a folder")
    with pytest.raises(BackupError, match="a file of that name is in the way"):
        backup_database(database, tmp_path / "blocked" / "copy.sqlite3")


def test_backup_then_restore_gives_back_the_same_content(
    database: Path, backups: Path, forms: FormRegistry, protocol: Protocol
) -> None:
    db = open_database(url(database))
    store_signed(db, complete_meeting(), forms, protocol)
    db.close()
    saved = content(database)
    backup = manual_backup(database, backups, now=NOW)

    db = open_database(url(database))  # later work, then something goes wrong
    add_meetings(db, 2)
    with db.transaction() as session:
        meeting = session.get(Meeting, 1)
        assert meeting is not None
        meeting.reason = "changed after the backup"
    later = content(database)
    db.close()

    restored = restore_database(backup, database, backups, now=NOW + timedelta(hours=1))
    assert content(database) == saved
    assert restored.inspection.ok and restored.inspection.at_head
    assert not restored.kept_as_found and restored.kept is not None
    assert content(restored.kept) == later  # the replaced database is kept, restorable
    assert mode(database) == 0o600 and mode(restored.kept) == 0o600
    assert [(b.kind, b.path) for b in list_backups(backups)] == [
        ("before-restore", restored.kept),
        ("manual", backup),
    ]
    db = open_database(url(database))  # and s47desk carries on with it
    add_meetings(db, 1)
    db.close()
    assert meeting_count(database) == 5


def test_restore_replaces_a_stale_wal_instead_of_replaying_it(
    tmp_path: Path, backups: Path
) -> None:
    """The old -wal left by a crash belongs to the old database; its commits are kept with it."""
    backup = manual_backup(make_db(tmp_path / "earlier.sqlite3", meetings=1), backups, now=NOW)
    database = crashed_db(tmp_path / "s47desk.sqlite3", meetings=4)
    restored = restore_database(backup, database, backups, now=NOW)
    assert meeting_count(database) == 1 and inspect_database(database).ok
    assert not Path(f"{database}-wal").exists() and not Path(f"{database}-shm").exists()
    assert restored.kept is not None and meeting_count(restored.kept) == 4


def spoil(path: Path) -> None:
    pages = path.stat().st_size // page_size(path)
    flip(path, pages // 2 * page_size(path), 16)


def make_foreign(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    connection.close()


@pytest.mark.parametrize(
    ("ruin", "reason"),
    [
        (spoil, "it is damaged"),
        (lambda p: set_revision(p, "0999"), "it was made by a newer version of s47desk"),
        (make_foreign, "it is not an s47desk database"),
        (lambda p: p.write_bytes(b""), "it is an empty file"),
        (lambda p: p.unlink(), "it does not exist"),
    ],
    ids=["damaged", "newer", "foreign", "empty", "missing"],
)
def test_a_bad_backup_is_refused_and_nothing_changes(
    database: Path, backups: Path, ruin: object, reason: str
) -> None:
    backup = manual_backup(database, backups, now=NOW)
    ruin(backup)  # type: ignore[operator]
    db_before, backups_before = digests(database), digests(backup)
    with pytest.raises(BackupError) as error:
        restore_database(backup, database, backups, now=NOW)
    assert str(error.value).startswith(f"{backup} cannot be restored: {reason}")
    assert f"Nothing was changed: {database} is as it was." in str(error.value)
    assert error.value.inspection is not None and not error.value.inspection.ok
    assert digests(database) == db_before and digests(backup) == backups_before
    assert CHILD not in str(error.value)


def test_restoring_over_a_damaged_database_keeps_its_bytes(database: Path, backups: Path) -> None:
    backup = manual_backup(database, backups, now=NOW)
    spoil(database)
    damaged = database.read_bytes()
    restored = restore_database(backup, database, backups, now=NOW)
    assert restored.kept_as_found and restored.kept is not None
    assert restored.kept.parent == backups / "replaced"
    assert restored.kept.read_bytes() == damaged and mode(restored.kept) == 0o600
    assert restored.inspection.ok and content(database) == content(backup)
    assert [b.kind for b in list_backups(backups)] == ["manual"]  # not offered for restoring


def test_restoring_over_an_empty_file_with_a_wal_keeps_the_wal(
    tmp_path: Path, backups: Path
) -> None:
    backup = manual_backup(make_db(tmp_path / "earlier.sqlite3"), backups, now=NOW)
    database = crashed_db(tmp_path / "s47desk.sqlite3")
    database.write_bytes(b"")
    wal = Path(f"{database}-wal").read_bytes()
    restored = restore_database(backup, database, backups, now=NOW)
    assert restored.kept is not None and restored.kept_as_found
    assert Path(f"{restored.kept}-wal").read_bytes() == wal
    assert inspect_database(database).ok


def test_restore_into_a_missing_database(tmp_path: Path, backups: Path) -> None:
    backup = manual_backup(make_db(tmp_path / "earlier.sqlite3"), backups, now=NOW)
    target = tmp_path / "new" / "s47desk.sqlite3"
    restored = restore_database(backup, target, backups, now=NOW)
    assert restored.kept is None and restored.inspection.ok
    assert mode(target) == 0o600 and mode(target.parent) == 0o700


def test_a_database_still_open_is_not_replaced(database: Path, backups: Path) -> None:
    """The caller must close every connection first; one left open is caught, not written past."""
    backup = manual_backup(database, backups, now=NOW)
    with held_open(database, meetings=1):
        saved = content(database)
        with pytest.raises(BackupError, match="is open in another program"):
            restore_database(backup, database, backups, now=NOW)
        assert content(database) == saved
    db = open_database(url(database))
    try:
        with pytest.raises(BackupError, match="is open in another program"):
            restore_database(backup, database, backups, now=NOW)
    finally:
        db.close()
    assert meeting_count(database) == 4
    assert [b.kind for b in list_backups(backups)] == ["manual"]


def test_a_backup_is_not_restored_over_itself(database: Path, backups: Path) -> None:
    with pytest.raises(BackupError, match="is the database itself"):
        restore_database(database, database, backups)


def test_backup_before_migration_is_named_and_listed(database: Path, backups: Path) -> None:
    path = backup_before_migration(database, backups, "0001", now=NOW)
    assert path.name == "s47desk-before-migration-from-0001-2026-11-23-093000.sqlite3"
    [info] = list_backups(backups)
    assert (info.kind, info.from_revision, info.taken) == ("before-migration", "0001", NOW)
    again = backup_before_migration(database, backups, "0001", now=NOW)
    assert again != path and again.name.endswith("-093000-2.sqlite3")


def test_list_backups_is_newest_first_and_ignores_other_files(
    database: Path, backups: Path
) -> None:
    older = manual_backup(database, backups, now=NOW - timedelta(days=3))
    newer = daily_backup(database, backups, NOW.date(), now=NOW).written
    (backups / "notes.txt").write_text("not a backup")
    (backups / "s47desk-daily-garbage.sqlite3").write_text("not ours")
    assert [b.path for b in list_backups(backups)] == [newer, older]
    assert list_backups(backups / "missing") == []


def test_daily_backup_once_a_day(database: Path, backups: Path) -> None:
    first = daily_backup(database, backups, NOW.date(), now=NOW)
    assert first.written is not None and first.removed == ()
    assert mode(first.written) == 0o600
    again = daily_backup(database, backups, NOW.date(), now=NOW + timedelta(hours=3))
    assert again.written is None and again.removed == ()
    assert len(list_backups(backups)) == 1


def test_no_daily_backup_of_a_database_not_yet_created(tmp_path: Path, backups: Path) -> None:
    made = daily_backup(tmp_path / "none.sqlite3", backups, NOW.date())
    assert made.written is None and not backups.exists()


def test_daily_backups_rotate_to_7_days_and_4_weeks(database: Path, backups: Path) -> None:
    start = date(2026, 9, 1)  # a Tuesday
    other = backup_before_migration(database, backups, "0001", now=NOW)
    for n in range(70):
        day = start + timedelta(days=n)
        made = daily_backup(database, backups, day, now=datetime.combine(day, NOW.time()))
        assert made.written is not None
        assert len([b for b in list_backups(backups) if b.kind == "daily"]) <= 7 + 4
    last = start + timedelta(days=69)  # Monday 2026-11-09
    kept = sorted(b.taken.date() for b in list_backups(backups) if b.kind == "daily")
    dailies = [last - timedelta(days=n) for n in range(6, -1, -1)]  # Tue 11-03 .. Mon 11-09
    # then the newest (Sunday) of each of the 4 weeks before the week of Tuesday 11-03
    sundays = [date(2026, 10, 11), date(2026, 10, 18), date(2026, 10, 25), date(2026, 11, 1)]
    assert kept == sundays + dailies
    assert other.exists()  # backups made before a migration are never rotated away


def test_weeks_away_do_not_cost_the_earlier_backups(database: Path, backups: Path) -> None:
    days = [date(2026, 9, 1) + timedelta(days=n) for n in range(10)]
    days.append(date(2026, 11, 23))  # back after ten weeks
    for day in days:
        daily_backup(database, backups, day, now=datetime.combine(day, NOW.time()))
    kept = sorted(b.taken.date() for b in list_backups(backups))
    # the 7 latest days that have a backup; 1-4 September are in the week of the 5th
    assert kept == [*(date(2026, 9, d) for d in range(5, 11)), date(2026, 11, 23)]


def test_a_failed_daily_backup_removes_nothing(database: Path, backups: Path) -> None:
    for n in range(12):
        day = date(2026, 11, 1) + timedelta(days=n)
        daily_backup(database, backups, day, now=datetime.combine(day, NOW.time()))
    before = sorted(p.name for p in backups.iterdir())
    spoil(database)
    with pytest.raises(BackupError):
        daily_backup(database, backups, date(2026, 11, 20), now=NOW)
    assert sorted(p.name for p in backups.iterdir()) == before


def test_backups_live_in_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S47DESK_DATA", str(tmp_path / "data"))
    assert default_backups_dir() == tmp_path / "data" / "backups"


def test_only_a_sqlite_file_is_backed_up() -> None:
    assert sqlite_path("sqlite:////srv/s47/db.sqlite3") == Path("/srv/s47/db.sqlite3")
    assert sqlite_path("sqlite://") is None
    url_ = "postgresql+psycopg://team:secret@db.council.example/s47desk"
    assert sqlite_path(url_) is None
    message = server_backup_message(url_)
    assert "does not back up" in message and "pg_dump" in message and "IT" in message
    assert "secret" not in message
    with pytest.raises(BackupError, match="Not a database URL"):
        sqlite_path("not a url")


def test_a_healthy_backup_still_passes_inspection_untouched(database: Path, backups: Path) -> None:
    backup = manual_backup(database, backups, now=NOW)
    before = digests(backup)
    assert inspect_database(backup).state is DbState.OK
    assert digests(backup) == before


def test_a_backup_from_an_older_schema_is_restored_for_upgrading(
    database: Path, backups: Path
) -> None:
    backup = manual_backup(database, backups, now=NOW)
    set_revision(backup, "0001")
    restored = restore_database(backup, database, backups, now=NOW)
    assert restored.inspection.ok and restored.inspection.revision == "0001"
    assert not restored.inspection.at_head  # the caller backs up, then migrates
