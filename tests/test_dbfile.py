"""Looking at a database file changes nothing, and names every way it can be wrong.

Each case runs on a real file made by open_database, spoilt the way disks, people and other
programs spoil files, and checks the SHA-256 of the database and of every file beside it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from s47desk import dbfile, migrations
from s47desk.dbfile import (
    APPLICATION_ID,
    DbInspection,
    DbState,
    inspect_database,
    known_revisions,
    mark_as_ours,
    read_only_connection,
)
from s47desk.migrations import HEAD
from s47desk.storage import open_database
from tests.conftest import REPO
from tests.dbkit import (
    CHILD,
    add_meetings,
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

RESTORE_ADVICE = "Restore your meetings from a backup"


def inspect_unchanged(path: Path) -> DbInspection:
    """Inspect *path* and assert that no file was created, changed or removed."""
    before = digests(path)
    verdict = inspect_database(path)
    assert digests(path) == before
    assert CHILD not in verdict.message + verdict.detail
    assert str(path) in verdict.message
    return verdict


@pytest.fixture
def healthy(tmp_path: Path) -> Path:
    return make_db(tmp_path / "s47desk.sqlite3")


def test_a_healthy_database_is_ok_and_untouched(healthy: Path) -> None:
    verdict = inspect_unchanged(healthy)
    assert verdict.state is DbState.OK and verdict.ok
    assert (verdict.revision, verdict.at_head, verdict.holds_meetings) == (HEAD, True, True)
    assert verdict.marked  # open_database marks every database it creates or migrates
    assert not verdict.created_empty_by_s47desk
    assert verdict.message == f"{healthy} is an s47desk database (up to date)."


def test_a_missing_file_may_be_created_and_nothing_is_created(tmp_path: Path) -> None:
    path = tmp_path / "s47desk.sqlite3"
    verdict = inspect_database(path)
    assert verdict.state is DbState.MISSING and verdict.may_create
    assert list(tmp_path.iterdir()) == []
    assert inspect_database(tmp_path / "no-folder" / "db.sqlite3").may_create
    assert not (tmp_path / "no-folder").exists()


def test_a_zero_byte_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s47desk.sqlite3"
    path.write_bytes(b"")
    verdict = inspect_unchanged(path)
    assert verdict.state is DbState.EMPTY_FILE and not verdict.ok and not verdict.may_create
    assert verdict.message.startswith(
        f"{path} is an empty file (0 bytes): s47desk did not create it, and will not write into it"
    )
    assert "backup" in verdict.message and "IT" in verdict.message


def test_a_zero_byte_file_with_a_wal_beside_it_keeps_the_wal(tmp_path: Path) -> None:
    """SQLite deletes the -wal beside a zero-byte file on any open, read-only too: never let it."""
    path = crashed_db(tmp_path / "s47desk.sqlite3")
    path.write_bytes(b"")
    verdict = inspect_unchanged(path)
    assert verdict.state is DbState.EMPTY_FILE
    assert f"{path}-wal" in verdict.message and "do not delete it" in verdict.message
    with pytest.raises(sqlite3.DatabaseError), read_only_connection(path):
        pass
    assert digests(path)["-wal"] is not None


def test_sqlite_itself_deletes_the_wal_of_a_zero_byte_file(tmp_path: Path) -> None:
    """Why the check above matters (SQLite 3.40): a read-only open removes a -wal full of data."""
    path = crashed_db(tmp_path / "s47desk.sqlite3")
    path.write_bytes(b"")
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    connection.close()
    assert not Path(f"{path}-wal").exists()


@pytest.mark.parametrize(
    "content",
    [os.urandom(8192), b"meeting notes\n" * 100, b"SQLite", b"\x00" * 4096],
    ids=["random bytes", "text", "short", "zeros"],
)
def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "s47desk.sqlite3"
    path.write_bytes(content)
    verdict = inspect_unchanged(path)
    assert verdict.state is DbState.NOT_SQLITE
    assert verdict.message.startswith(f"{path} is not a SQLite database")


def spoil_middle(path: Path) -> None:
    """Flip 16 bytes at the start of a page in the middle of the file (a b-tree page header)."""
    with sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True) as connection:
        assert connection.execute("PRAGMA freelist_count").fetchone() == (0,)  # no unused pages
    connection.close()
    pages = path.stat().st_size // page_size(path)
    flip(path, pages // 2 * page_size(path), 16)


def cut_at_page(path: Path) -> None:
    os.truncate(path, path.stat().st_size // page_size(path) // 2 * page_size(path))


def cut_mid_page(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2 + 100)


def set_header_byte(offset: int, value: int) -> Callable[[Path], None]:
    def spoil(path: Path) -> None:
        data = bytearray(path.read_bytes())
        data[offset] = value
        path.write_bytes(bytes(data))

    return spoil


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        (spoil_middle, "check found errors|disk image is malformed"),
        (lambda p: flip(p, 100, 8), "disk image is malformed"),  # page 1's b-tree
        (cut_at_page, "cut short"),
        (cut_mid_page, "cut short"),
        (lambda p: os.truncate(p, 60), "cut short"),
        (lambda p: flip(p, 16, 2), "header is damaged"),  # page size
        (set_header_byte(19, 3), "header is damaged"),  # read version
        (set_header_byte(47, 9), "header is damaged"),  # schema format
    ],
    ids=[
        "flipped bytes in the middle",
        "flipped schema page",
        "truncated at a page",
        "truncated mid-page",
        "truncated in the header",
        "flipped page size",
        "unknown read version",
        "unknown schema format",
    ],
)
def test_a_damaged_file_is_refused_and_left_as_it_was(
    healthy: Path, spoil: Callable[[Path], None], says: str
) -> None:
    spoil(healthy)
    verdict = inspect_unchanged(healthy)
    assert verdict.state is DbState.DAMAGED
    assert re.search(says, verdict.message + verdict.detail)
    assert verdict.message.startswith(f"{healthy} is damaged: ")
    assert "s47desk has not changed it" in verdict.message and RESTORE_ADVICE in verdict.message


def test_what_sqlite_calls_not_a_database_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "small-pages.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA page_size = 512")
        connection.execute("CREATE TABLE t (x)")
    connection.close()
    set_header_byte(20, 100)(path)  # reserved bytes leave too little of each page
    verdict = inspect_unchanged(path)
    assert verdict.state is DbState.DAMAGED
    assert "SQLite says: file is not a database" in verdict.message


def test_quick_check_errors_are_reported(healthy: Path) -> None:
    """An index that disagrees with its table is damage that opening alone does not notice."""
    with sqlite3.connect(healthy) as connection:
        connection.execute("PRAGMA writable_schema = ON")
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_meeting_1'"
        ).fetchone()[0]
    connection.close()
    flip(healthy, (root - 1) * page_size(healthy) + 8 + 4, 1)  # first cell pointer of the index
    verdict = inspect_unchanged(healthy)
    assert verdict.state is DbState.DAMAGED
    assert CHILD not in verdict.detail


def test_a_same_length_edit_of_text_is_not_seen(healthy: Path) -> None:
    """A limit worth knowing: SQLite's checks do not read the text (only a signature would)."""
    data = healthy.read_bytes()
    assert data.count(b"Bruising") >= 1
    healthy.write_bytes(data.replace(b"Bruising", b"Scalding", 1))
    assert inspect_unchanged(healthy).state is DbState.OK


def foreign_tables(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
        connection.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    connection.close()


def foreign_mark(path: Path) -> None:
    """Another program's database that also uses Alembic, with a revision s47desk knows."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA application_id = 0x0F055112")
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        connection.execute("INSERT INTO alembic_version VALUES ('0001')")
        connection.execute("CREATE TABLE meeting (id INTEGER PRIMARY KEY)")
    connection.close()


def foreign_alembic(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        connection.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
        connection.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY)")
    connection.close()


def no_tables(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 1")  # writes a header, no table
    connection.close()


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (foreign_tables, "none of s47desk's tables"),
        (foreign_mark, "another program's mark"),
        (foreign_alembic, "not one of s47desk's"),
        (no_tables, "no tables"),
    ],
    ids=["other tables", "other application_id", "other Alembic history", "no tables"],
)
def test_another_programs_database_is_refused(
    tmp_path: Path, make: Callable[[Path], None], why: str
) -> None:
    path = tmp_path / "other.db"
    make(path)
    verdict = inspect_unchanged(path)
    assert verdict.state is DbState.FOREIGN
    assert why in verdict.message
    assert verdict.message.startswith(f"{path} is a SQLite database that is not s47desk's")


def test_a_database_from_a_newer_s47desk_is_refused(healthy: Path) -> None:
    set_revision(healthy, "0999")
    verdict = inspect_unchanged(healthy)
    assert verdict.state is DbState.NEWER_SCHEMA and verdict.revision == "0999"
    assert "newer version of s47desk" in verdict.message and "0999" in verdict.message


def test_an_older_revision_is_ok_and_not_at_head(healthy: Path) -> None:
    set_revision(healthy, "0001")
    verdict = inspect_unchanged(healthy)
    assert verdict.ok and verdict.revision == "0001" and not verdict.at_head
    assert "to be upgraded from 0001 to" in verdict.message


def test_s47desk_marks_its_own_databases(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    with sqlite3.connect(path) as connection:
        mark_as_ours(connection)
    connection.close()
    verdict = inspect_unchanged(path)
    assert verdict.ok and verdict.marked and verdict.revision is None
    assert verdict.created_empty_by_s47desk  # a new, empty database: demo meetings may go here
    assert path.read_bytes()[68:72] == b"S47D" == APPLICATION_ID.to_bytes(4, "big")

    engine = create_engine(url(path))
    with engine.begin() as sa_connection:
        mark_as_ours(sa_connection)
    engine.dispose()
    db = open_database(url(path))
    db.close()
    verdict = inspect_unchanged(path)
    assert verdict.ok and verdict.marked and verdict.at_head
    assert verdict.created_empty_by_s47desk
    db = open_database(url(path))
    add_meetings(db, 1)
    db.close()
    assert not inspect_unchanged(path).created_empty_by_s47desk


def test_a_marked_database_without_its_schema_version_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "s47desk.sqlite3"
    with sqlite3.connect(path) as connection:
        mark_as_ours(connection)
        connection.execute("CREATE TABLE meeting (id INTEGER PRIMARY KEY)")
    connection.close()
    assert inspect_unchanged(path).state is DbState.DAMAGED


def test_a_database_in_use_is_read_with_its_latest_commits(healthy: Path) -> None:
    """While s47desk has it open, the newest meetings are in the -wal, and the -shm is live."""
    with held_open(healthy, meetings=2):
        assert Path(f"{healthy}-wal").stat().st_size > 0
        verdict = inspect_unchanged(healthy)
        assert verdict.ok and verdict.holds_meetings
        before = digests(healthy)
        assert meeting_count(healthy) == 5
        assert digests(healthy) == before


def test_a_database_open_in_this_process_is_read_without_changing_it(healthy: Path) -> None:
    """In one process SQLite shares one -shm mapping, opened read-write by the first connection:
    a reader may then note its read position in the -shm, as every reader does. The database and
    its -wal stay as they were."""
    db = open_database(url(healthy))
    add_meetings(db, 2)
    try:
        before = digests(healthy)
        verdict = inspect_database(healthy)
        after = digests(healthy)
        assert verdict.ok and meeting_count(healthy) == 5
        assert {k: v for k, v in after.items() if k != "-shm"} == {
            k: v for k, v in before.items() if k != "-shm"
        }
    finally:
        db.close()


def test_a_database_left_by_a_crash_is_read_without_recovering_it(tmp_path: Path) -> None:
    path = crashed_db(tmp_path / "s47desk.sqlite3")
    verdict = inspect_unchanged(path)
    assert verdict.ok and verdict.at_head and verdict.holds_meetings  # all of it in the -wal
    before = digests(path)
    assert meeting_count(path) == 3
    assert digests(path) == before


def wal_frame(path: Path, n: int) -> int:
    """Offset of the *n*-th frame (from 1) of the -wal of *path*."""
    return 32 + (n - 1) * (24 + page_size(path))


def wal_frames(path: Path) -> int:
    return (Path(f"{path}-wal").stat().st_size - 32) // (24 + page_size(path))


@pytest.mark.parametrize(
    "spoil",
    [
        lambda p: flip(Path(f"{p}-wal"), wal_frame(p, 3) + 24 + 1000, 4),
        lambda p: flip(Path(f"{p}-wal"), wal_frame(p, 3) + 8, 1),
    ],
    ids=["page in an early frame", "salt of an early frame"],
)
def test_a_damaged_wal_that_would_lose_later_commits_is_refused(
    tmp_path: Path, spoil: Callable[[Path], None]
) -> None:
    """SQLite stops reading a -wal at its first bad frame: ten saved meetings would vanish."""
    path = crashed_db(tmp_path / "s47desk.sqlite3", meetings=1, transactions=10)
    spoil(path)
    verdict = inspect_unchanged(path)
    assert verdict.state is DbState.DAMAGED
    assert f"{path.name}-wal beside it, are damaged" in verdict.message
    assert "fails its checksum" in verdict.detail


def test_a_torn_last_transaction_in_the_wal_is_what_a_power_cut_leaves(tmp_path: Path) -> None:
    """Its commit was never acknowledged (FULL syncs each commit): SQLite drops it, as it should."""
    path = crashed_db(tmp_path / "s47desk.sqlite3", meetings=1, transactions=10)
    flip(Path(f"{path}-wal"), wal_frame(path, wal_frames(path)) + 24 + 1000, 4)
    verdict = inspect_unchanged(path)
    assert verdict.ok and meeting_count(path) == 9


def test_a_wal_without_its_shm_is_read_from_a_private_copy(tmp_path: Path) -> None:
    path = crashed_db(tmp_path / "s47desk.sqlite3")
    Path(f"{path}-shm").unlink()
    verdict = inspect_unchanged(path)
    assert verdict.ok and verdict.holds_meetings
    before = digests(path)
    assert meeting_count(path) == 3
    assert digests(path) == before


def test_a_shm_sqlite_cannot_use_read_only_falls_back_to_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = crashed_db(tmp_path / "s47desk.sqlite3")
    connect = dbfile._connect

    def refuse_readonly_shm(uri: str) -> sqlite3.Connection:
        if "readonly_shm=1" in uri:
            error = sqlite3.OperationalError("attempt to write a readonly database")
            error.sqlite_errorname = "SQLITE_READONLY_RECOVERY"
            raise error
        return connect(uri)

    monkeypatch.setattr(dbfile, "_connect", refuse_readonly_shm)
    verdict = inspect_unchanged(path)
    assert verdict.ok and verdict.holds_meetings


def test_a_cleanly_closed_database_gets_no_wal_or_shm(healthy: Path) -> None:
    """A plain read-only open would leave an empty -wal and a -shm behind."""
    inspect_unchanged(healthy)
    assert sorted(p.name for p in healthy.parent.iterdir()) == [healthy.name]


def test_a_missing_database_with_a_wal_left_behind_is_not_created_over(tmp_path: Path) -> None:
    path = crashed_db(tmp_path / "s47desk.sqlite3")
    path.unlink()
    before = digests(path)
    verdict = inspect_database(path)
    assert digests(path) == before
    assert verdict.state is DbState.DAMAGED and not verdict.may_create
    assert f"{path}-wal" in verdict.message


def test_a_writer_holding_a_transaction_does_not_block_the_check(healthy: Path) -> None:
    writer = sqlite3.connect(healthy, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE meeting SET reason = 'uncommitted' WHERE id = 1")
    try:
        started = time.monotonic()
        verdict = inspect_database(healthy)
        assert time.monotonic() - started < 2
        assert verdict.ok
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_an_interrupted_rollback_journal_is_not_touched(tmp_path: Path) -> None:
    """Another program's database in rollback mode, its writer killed mid-transaction."""
    path = tmp_path / "other.db"
    code = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('CREATE TABLE t (x)')\n"
        "c.execute('PRAGMA cache_size = 1')\n"
        "c.execute('BEGIN')\n"
        "for i in range(5000): c.execute('INSERT INTO t VALUES (?)', ('z' * 200,))\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    assert Path(f"{path}-journal").stat().st_size > 0
    verdict = inspect_unchanged(path)
    assert verdict.state is DbState.UNREADABLE
    assert "middle of a change" in verdict.message


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    folder = tmp_path / "s47desk.sqlite3"
    folder.mkdir()
    verdict = inspect_database(folder)
    assert verdict.state is DbState.UNREADABLE and "is a folder" in verdict.message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions")
def test_a_file_that_may_not_be_read_is_reported(healthy: Path) -> None:
    healthy.chmod(0)
    try:
        verdict = inspect_database(healthy)
    finally:
        healthy.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert verdict.state is DbState.UNREADABLE and "permission" in verdict.message


@pytest.mark.parametrize("name", ["with space.db", "q?uery#frag%20.db", "Zoë’s notes.db"])
def test_any_file_name_works(tmp_path: Path, name: str) -> None:
    """Names that mean something in a URI (the database is opened as file:...?mode=ro)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    clean, crashed = make_db(tmp_path / "a" / "db"), crashed_db(tmp_path / "b" / "db")
    for made in (clean, crashed):
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{made}{suffix}").exists():
                Path(f"{made}{suffix}").rename(made.parent / f"{name}{suffix}")
        verdict = inspect_unchanged(made.parent / name)
        assert verdict.ok and verdict.holds_meetings


def test_known_revisions_are_alembics() -> None:
    script = ScriptDirectory(str(Path(migrations.__file__).parent))
    assert known_revisions() == {r.revision for r in script.walk_revisions()}
    assert HEAD in known_revisions()


def test_inspection_imports_neither_alembic_nor_sqlalchemy(healthy: Path) -> None:
    code = (
        "import json, sys, time\n"
        "started = time.perf_counter()\n"
        "from s47desk.dbfile import inspect_database\n"
        "verdict = inspect_database(sys.argv[1])\n"
        "print(json.dumps([verdict.state.value, time.perf_counter() - started,\n"
        "    [m for m in ('alembic', 'sqlalchemy', 'PySide6') if m in sys.modules]]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(healthy)], check=True, capture_output=True, cwd=REPO
    )
    state, _seconds, imported = json.loads(out.stdout)
    assert state == "ok" and imported == []


def test_a_copy_of_the_files_is_inspected_like_the_original(healthy: Path, tmp_path: Path) -> None:
    """Someone copied the database with its -wal (as files): the copy is read as SQLite would."""
    db = open_database(url(healthy))
    add_meetings(db, 1)
    copy = tmp_path / "copy" / "s47desk.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(healthy, copy)
    shutil.copyfile(f"{healthy}-wal", f"{copy}-wal")
    db.close()
    assert inspect_unchanged(copy).ok
    assert meeting_count(copy) == 4
