"""How s47desk connects to a SQLite database file, and remembers having closed it: shared by
storage (SQLAlchemy's engine) and list_read (sqlite3 alone), which open a file the same way.

SQLite runs in WAL mode with synchronous=FULL (durable across power loss), foreign keys on and
a busy timeout. After s47desk closes a file it notes the file's size and time: a file found
exactly so later needs no full integrity check (dbfile.inspect_database).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from pathlib import Path

from s47desk.paths import data_dir

BUSY_TIMEOUT_MS = 5000


def set_pragmas(connection: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """Every connection's settings. Transactions are begun by s47desk itself (BEGIN IMMEDIATE
    for a write, BEGIN for a read): pysqlite's own handling would start them late and never
    as BEGIN IMMEDIATE."""
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _check_stamp(path: Path) -> Path:
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
    return data_dir() / "checked" / digest


def _fingerprint_of_files(path: Path) -> str:
    """Size and modification time of the database and its -wal: changed by any write."""
    parts = []
    for name in (path, Path(f"{path}-wal")):
        try:
            info = name.stat()
        except OSError:
            parts.append("-")
            continue
        parts.append(f"{info.st_size}:{info.st_mtime_ns}")
    return " ".join(parts)


def untouched_since_we_closed_it(path: Path) -> bool:
    """Whether the file is exactly as s47desk left it when it last closed it. Then the full
    integrity check (a millisecond per megabyte) is not needed again; anything else — a crash,
    another program, a copy, a disk fault — gets the full check."""
    try:
        return _check_stamp(path).read_text(encoding="utf-8") == _fingerprint_of_files(path)
    except OSError:
        return False


def note_closed(path: Path) -> None:
    """Remember how s47desk left the file (after its last connection closed)."""
    stamp = _check_stamp(path)
    with contextlib.suppress(OSError):
        stamp.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(stamp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(_fingerprint_of_files(path))


def forget_closed(path: Path) -> None:
    """Until it is closed again, anything may happen to the file."""
    with contextlib.suppress(OSError):
        _check_stamp(path).unlink()
