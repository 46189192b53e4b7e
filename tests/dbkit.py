"""Real s47desk database files for the file-inspection and backup tests, and ways to spoil them."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from s47desk.dbfile import read_only_connection
from s47desk.storage import Database, open_database
from tests.conftest import REPO
from tests.factories import complete_meeting

CHILD = "Zebedee Quixote-Marlowe"  # must never appear in a message or detail
SIDECARS = ("-wal", "-shm", "-journal")


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def add_meetings(db: Database, count: int, reason: str = "Bruising reported by school.") -> None:
    with db.transaction() as session:
        for _ in range(count):
            meeting = complete_meeting(reason=reason)
            meeting.children[0].name = CHILD
            session.add(meeting)


def make_db(path: Path, meetings: int = 3) -> Path:
    """A closed, checkpointed s47desk database (no -wal beside it) made by open_database."""
    db = open_database(url(path))
    add_meetings(db, meetings)
    db.close()
    assert not Path(f"{path}-wal").exists()
    return path


def crashed_db(path: Path, meetings: int = 3, transactions: int = 1) -> Path:
    """A database whose writer stopped dead: its meetings in the -wal, the -shm beside it.

    Made by copying the three files of an idle open database, which is what a killed process
    leaves (SQLite keeps its locks in the operating system, not in the files).
    """
    live = path.with_name(f"live-{path.name}")
    db = open_database(url(live))
    for _ in range(transactions):
        add_meetings(db, meetings)
    try:
        for suffix in ("", "-wal", "-shm"):
            shutil.copyfile(f"{live}{suffix}", f"{path}{suffix}")
    finally:
        db.close()
    live.unlink()
    assert Path(f"{path}-wal").stat().st_size > 0
    return path


@contextlib.contextmanager
def held_open(path: Path, meetings: int = 2) -> Iterator[None]:
    """Another process has the database open, as a running s47desk window would, having just
    saved *meetings* meetings (so they are in the -wal)."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tests.dbkit import add_meetings, url\n"
        "from s47desk.storage import open_database\n"
        f"db = open_database(url(Path({str(path)!r})))\n"
        f"add_meetings(db, {meetings})\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"
        "db.close()\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        try:
            assert holder.stdout.readline() == "ready\n"
            yield
        finally:
            holder.stdin.close()
            holder.wait(timeout=30)


def digests(path: Path) -> dict[str, str | None]:
    """SHA-256 of the database and each of its companion files (None: absent), and the folder."""
    found: dict[str, str | None] = {}
    for suffix in ("", *SIDECARS):
        file = Path(f"{path}{suffix}")
        found[suffix or "db"] = (
            hashlib.sha256(file.read_bytes()).hexdigest() if file.exists() else None
        )
    found["folder"] = " ".join(sorted(p.name for p in path.parent.iterdir()))
    return found


def meeting_count(path: Path) -> int:
    with read_only_connection(path) as connection:
        return int(connection.execute("SELECT count(*) FROM meeting").fetchone()[0])


def content(path: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every row of every table, to compare two databases' contents."""
    with read_only_connection(path) as connection:
        tables = [
            str(r[0])
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
            )
        ]
        return [
            (t, connection.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall())
            for t in tables
        ]


def flip(path: Path, offset: int, length: int) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, offset + length):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def page_size(path: Path) -> int:
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    return 65536 if size == 1 else size


def set_revision(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    connection.close()
