"""Look at a SQLite database file before s47desk opens it, without changing a single byte.

Opening a file with SQLite is not harmless: a read-write open recovers and checkpoints the
``-wal``, a plain read-only open of a WAL database creates ``-wal`` and ``-shm`` files and leaves
them behind, and any open of a zero-byte file deletes the ``-wal`` beside it (measured with
SQLite 3.40). So s47desk looks first, and refuses a file that is not its own or not healthy,
saying in plain words what is wrong and what to do; the record may be needed in court.

Public API (Qt-free; no Alembic or SQLAlchemy import):

``inspect_database(path, *, quick_check=True) -> DbInspection``
    Classify the file as one of :class:`DbState`; never raises for a problem with the file.
``DbInspection``
    ``state``, ``message`` (plain English, names the file), ``revision``, ``at_head``,
    ``marked`` (carries s47desk's application_id), ``holds_meetings``, ``detail`` (SQLite's own
    words, for IT), and ``ok``, ``may_create``, ``created_empty_by_s47desk``.
``read_only_connection(path)``
    A context manager yielding a ``sqlite3.Connection`` that sees the database as SQLite would
    (its ``-wal`` included) and cannot change any of its files. Raises ``sqlite3.Error``.
``mark_as_ours(connection)``, ``APPLICATION_ID``
    s47desk sets ``PRAGMA application_id = 0x53343744`` ("S47D") in every database it creates.
``known_revisions() -> frozenset[str]``
    The schema revisions this build can open, read from the migration scripts' text.

Messages hold file paths, states and schema revisions only, never anything stored in a meeting.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import functools
import os
import re
import shutil
import sqlite3
import stat
import struct
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from s47desk import migrations
from s47desk.migrations import HEAD

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection as SAConnection

APPLICATION_ID = 0x53343744
"""``PRAGMA application_id`` of a database s47desk created: the bytes "S47D"."""

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 5.0
_RETRIES = 3
_WHAT_TO_DO = "Restore it from a backup, or ask IT for help."
_CHANGED = "changed while being read"


class DbState(enum.Enum):
    """What a database file is, from s47desk's point of view."""

    OK = "ok"
    MISSING = "missing"  # nothing there yet: s47desk may create it
    EMPTY_FILE = "empty file"  # zero bytes
    NOT_SQLITE = "not a SQLite database"
    DAMAGED = "damaged"
    FOREIGN = "not an s47desk database"
    NEWER_SCHEMA = "made by a newer s47desk"
    UNREADABLE = "cannot be read"  # permission, not a file, in use, disk error


@dataclass(frozen=True)
class DbInspection:
    """The verdict on one database file. Only ``OK`` and ``MISSING`` may be opened."""

    path: Path
    state: DbState
    message: str
    revision: str | None = None
    at_head: bool = False
    marked: bool = False
    holds_meetings: bool = False
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state is DbState.OK

    @property
    def may_create(self) -> bool:
        """Nothing is there: s47desk may create a new database at this path."""
        return self.state is DbState.MISSING

    @property
    def created_empty_by_s47desk(self) -> bool:
        """s47desk made this database and no meeting is in it: the only place for demo meetings."""
        return self.ok and self.marked and not self.holds_meetings


def mark_as_ours(connection: sqlite3.Connection | SAConnection) -> None:
    """Set s47desk's application_id, so a later look can tell s47desk's databases from others.

    Accepts a ``sqlite3`` connection or a SQLAlchemy ``Connection``; runs inside the caller's
    transaction if one is open (call it in the transaction that creates the schema).
    """
    statement = f"PRAGMA application_id = {APPLICATION_ID}"
    if isinstance(connection, sqlite3.Connection):
        connection.execute(statement)
    else:
        connection.exec_driver_sql(statement)


@functools.cache
def known_revisions() -> frozenset[str]:
    """Revisions of the migration scripts shipped with this build, read as text.

    Importing Alembic costs ~0.5 s at start-up; a regular expression over two small files does
    not. A test checks the answer against Alembic's own reading of the scripts.
    """
    folder = Path(migrations.__file__).with_name("versions")
    pattern = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
    found = {
        match.group(1)
        for script in folder.glob("*.py")
        for match in pattern.finditer(script.read_text(encoding="utf-8"))
    }
    if HEAD not in found:
        raise RuntimeError(
            f"s47desk's migration scripts are missing from {folder}: reinstall s47desk."
        )
    return frozenset(found)


def sidecar(path: Path, suffix: str) -> Path:
    """SQLite's companion file (``-wal``, ``-shm``, ``-journal``) of *path*."""
    return path.with_name(path.name + suffix)


def inspect_database(path: str | os.PathLike[str], *, quick_check: bool = True) -> DbInspection:
    """Classify the database file at *path* without creating, changing or deleting any file.

    Looks at the header and size, then at the ``-wal``'s frame checksums (SQLite would silently
    drop every commit after a damaged frame), then through SQLite read-only: application_id,
    tables, ``PRAGMA quick_check``, the Alembic revision and whether any meeting is stored.
    With ``quick_check=False`` SQLite's structural check is skipped (it reads every page, about
    1 ms per MB); everything else is still looked at. If the file changes while it is being looked at (another
    program writing), the look is repeated before a problem is reported.
    """
    target = Path(path)
    verdict = _inspect_once(target, quick_check)
    for _ in range(_RETRIES - 1):
        if verdict.state in (DbState.OK, DbState.MISSING) or not verdict.detail.startswith(
            _CHANGED
        ):
            break
        time.sleep(0.1)
        verdict = _inspect_once(target, quick_check)
    return verdict


# --- the file itself, before SQLite is allowed near it ------------------------------------


def _file_verdict(path: Path) -> DbInspection | None:
    """A verdict from the file's size and header alone, or None if SQLite may look at it."""
    wal = sidecar(path, "-wal")
    try:
        info = path.stat()
    except FileNotFoundError:
        return _missing(path)
    except OSError as exc:
        return _unreadable(path, exc)
    if stat.S_ISDIR(info.st_mode):
        return _verdict(path, DbState.UNREADABLE, f"{path} is a folder, not a database file.")
    if not stat.S_ISREG(info.st_mode):
        return _verdict(path, DbState.UNREADABLE, f"{path} is not an ordinary file.")
    if info.st_size == 0:
        return _empty_file(path, _size(wal))
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        return _unreadable(path, exc)
    if not header.startswith(SQLITE_MAGIC):
        return _verdict(
            path,
            DbState.NOT_SQLITE,
            f"{path} is not a SQLite database (it does not begin as one does), so it cannot be "
            "s47desk's: s47desk will not open it or write into it. Check that the database "
            f"setting names the right file. If your meetings should be in it: {_WHAT_TO_DO}",
        )
    if len(header) < 100:
        return _damaged(path, "it has been cut short", detail="shorter than a SQLite header")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    schema_format = int.from_bytes(header[44:48], "big")
    if (
        page_size < 512
        or page_size & (page_size - 1)
        or header[18] not in (1, 2)
        or header[19] not in (1, 2)
        or header[21:24] != b"\x40\x20\x20"
        or schema_format not in (0, 1, 2, 3, 4)  # 0: no schema yet
    ):
        return _damaged(path, "its header is damaged", detail="invalid SQLite header")
    if info.st_size % page_size:
        return _damaged(path, "it has been cut short", detail="not a whole number of pages")
    pages = int.from_bytes(header[28:32], "big")
    header_size_valid = pages and header[24:28] == header[92:96]
    if header_size_valid and not _size(wal) and pages * page_size > info.st_size:
        return _damaged(
            path, "it has been cut short", detail=f"{info.st_size // page_size} of {pages} pages"
        )
    return None


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


_WAL_MAGIC = (0x377F0682, 0x377F0683)


def _wal_damage(wal: Path) -> str | None:
    """Why SQLite would silently drop commits from *wal* on opening it, or None.

    SQLite reads a -wal up to its first frame that fails its checksum and treats the rest as
    never written: right for the last transaction torn by a power cut, but a damaged frame
    further back would lose every later, acknowledged commit. So: a bad frame followed by at
    least two commit frames of the same -wal generation (same salts), one of which verifies, is
    damage. Cost: one read of the -wal, which exists only while open or after a crash.
    """
    try:
        data = wal.read_bytes()
    except OSError:
        return None
    if len(data) < 32 or int.from_bytes(data[:4], "big") not in _WAL_MAGIC:
        return None  # SQLite ignores such a -wal; nothing in it was ever readable
    order = ">" if data[3] & 1 else "<"
    page_size = int.from_bytes(data[8:12], "big")
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        return None
    checksum = _wal_checksum(data, 0, 24, (0, 0), order)
    if checksum != struct.unpack_from(">II", data, 24):
        return None  # an invalid header: SQLite reads none of it, as for a torn reset
    salts = data[16:24]
    frame_size = 24 + page_size
    frames = (len(data) - 32) // frame_size
    first_bad: int | None = None
    commits_after = 0
    previous = checksum
    for n in range(frames):
        offset = 32 + n * frame_size
        stored = struct.unpack_from(">II", data, offset + 16)
        ours = data[offset + 8 : offset + 16] == salts
        valid = ours and (
            _wal_checksum(
                data,
                offset + 24,
                page_size,
                _wal_checksum(data, offset, 8, previous, order),
                order,
            )
            == stored
        )
        previous = stored
        if first_bad is None:
            if not valid:
                first_bad = n
            continue
        if ours and int.from_bytes(data[offset + 4 : offset + 8], "big"):  # a commit frame
            commits_after += 1
            if valid and commits_after >= 2:
                return (
                    f"-wal frame {first_bad + 1} of {frames} fails its checksum; "
                    f"{commits_after} or more commits follow it"
                )
    return None


def _wal_checksum(
    data: bytes, start: int, length: int, seed: tuple[int, int], order: str
) -> tuple[int, int]:
    """SQLite's WAL checksum (a Fletcher-like sum over pairs of 32-bit words)."""
    s0, s1 = seed
    words = struct.unpack_from(f"{order}{length // 4}I", data, start)
    pairs = iter(words)
    for x0, x1 in zip(pairs, pairs, strict=True):
        s0 = (s0 + x0 + s1) & 0xFFFFFFFF
        s1 = (s1 + x1 + s0) & 0xFFFFFFFF
    return s0, s1


# --- reading it through SQLite, read-only ------------------------------------------------


def _uri(path: Path, **options: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"mode": "ro", **options}.items())
    return f"{path.absolute().as_uri()}?{query}"


def _connect(uri: str) -> sqlite3.Connection:
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)


@contextlib.contextmanager
def read_only_connection(path: str | os.PathLike[str]) -> Iterator[sqlite3.Connection]:
    """A connection that reads the database (``-wal`` included) and cannot change its files.

    - ``-wal`` and ``-shm`` present (in use, or left by a crash): ``readonly_shm=1``, so SQLite
      maps the ``-shm`` read-only and respects the locks of any program using the database.
    - no ``-wal``, or an empty one: the main file holds everything: ``immutable=1``, which makes
      SQLite create no ``-wal``/``-shm`` (a plain read-only open would create and leave both).
    - a ``-wal`` with content but no ``-shm``: no program has the database open, and SQLite
      cannot read it read-only; it reads a private copy of the two files instead (owner-only,
      in the system's temporary folder, deleted afterwards).
    - a rollback-journal database (not WAL, as s47desk's are not): plain read-only, which
      creates nothing and refuses to read past an interrupted change.

    A zero-byte file is refused (``sqlite3.DatabaseError``): SQLite deletes the ``-wal`` beside
    one, even when opening it read-only.

    One exception to "cannot change": if this process already has the database open, SQLite
    shares that connection's read-write mapping of the ``-shm``, and this reader notes its read
    position there as every reader does. The database and its ``-wal`` are never written.
    """
    target = Path(path)
    if not target.stat().st_size:
        raise sqlite3.DatabaseError(f"{target} is an empty file: not opened")
    wal, shm = sidecar(target, "-wal"), sidecar(target, "-shm")
    if wal.exists() and shm.exists():
        connection = _with_readonly_shm(target)
        if connection is not None:
            with contextlib.closing(connection):
                yield connection
            return
    if _size(wal):
        with _private_copy(target, wal) as copy, contextlib.closing(_connect(copy)) as connection:
            yield connection
        return
    if not wal.exists() and _rollback_mode_header(target):
        uri = _uri(target)
    else:
        uri = _uri(target, immutable="1")
    with contextlib.closing(_connect(uri)) as connection:
        yield connection


# What SQLite says when it cannot use a -shm read-only; the private copy then does instead.
_SHM_TROUBLE = ("SQLITE_READONLY_RECOVERY", "SQLITE_READONLY_CANTINIT", "SQLITE_CANTOPEN")


def _with_readonly_shm(path: Path) -> sqlite3.Connection | None:
    connection: sqlite3.Connection | None = None
    try:
        connection = _connect(_uri(path, readonly_shm="1"))
        connection.execute("PRAGMA schema_version").fetchone()  # reads the -wal index
    except sqlite3.OperationalError as exc:
        if connection is not None:
            connection.close()
        if getattr(exc, "sqlite_errorname", "").startswith(_SHM_TROUBLE):
            return None
        raise
    except BaseException:
        if connection is not None:
            connection.close()
        raise
    return connection


def _rollback_mode_header(path: Path) -> bool:
    """True for a database in rollback-journal mode, which SQLite reads without a -wal."""
    with path.open("rb") as handle:
        header = handle.read(20)
    return header[18:20] == b"\x01\x01"


def _stamp(*paths: Path) -> tuple[tuple[int, int, int] | None, ...]:
    stamps: list[tuple[int, int, int] | None] = []
    for p in paths:
        try:
            info = p.stat()
        except OSError:
            stamps.append(None)
        else:
            stamps.append((info.st_size, info.st_mtime_ns, info.st_ino))
    return tuple(stamps)


@contextlib.contextmanager
def _private_copy(path: Path, wal: Path) -> Iterator[str]:
    """Copy the database and its ``-wal`` (reading them only) into a private temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="s47desk-check-"))  # created owner-only
    try:
        copy = folder / "copy.sqlite3"
        for _ in range(_RETRIES):
            before = _stamp(path, wal)
            shutil.copyfile(path, copy)
            shutil.copyfile(wal, sidecar(copy, "-wal"))
            if _stamp(path, wal) == before:
                break
        else:
            raise _InUse(f"{path} kept changing while being read")
        yield str(copy)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class _InUse(sqlite3.OperationalError):
    """The files kept changing while being copied (another program is writing)."""


@dataclass
class _Facts:
    application_id: int
    tables: set[str]
    problems: list[str]
    versions: list[str] | None  # None: no alembic_version table
    holds_meetings: bool


def _read_facts(connection: sqlite3.Connection, quick_check: bool) -> _Facts:
    connection.execute("BEGIN")  # one read transaction: every answer from one snapshot
    try:
        application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
        tables = {
            str(row[0])
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        problems: list[str] = []
        if quick_check:
            problems = [
                " ".join(str(row[0]).split()) for row in connection.execute("PRAGMA quick_check(5)")
            ]
            if problems == ["ok"]:
                problems = []
        versions: list[str] | None = None
        if "alembic_version" in tables:
            versions = [
                str(row[0]) for row in connection.execute("SELECT version_num FROM alembic_version")
            ]
        holds = "meeting" in tables and bool(
            connection.execute("SELECT EXISTS (SELECT 1 FROM meeting)").fetchone()[0]
        )
    finally:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
    return _Facts(application_id, tables, problems, versions, holds)


def _inspect_once(path: Path, quick_check: bool) -> DbInspection:
    early = _file_verdict(path)
    if early is not None:
        return early
    watched = (path, sidecar(path, "-wal"), sidecar(path, "-journal"))
    before = _stamp(*watched)
    wal_damage = _wal_damage(sidecar(path, "-wal"))
    if wal_damage is not None:
        if _stamp(*watched) != before:
            return _in_use(path, f"{_CHANGED} (-wal)")
        wal = sidecar(path, "-wal")
        return _damaged(
            path,
            f"the changes saved last, in {wal.name} beside it, are damaged, and opening it would "
            "lose every change saved after the damage",
            detail=wal_damage,
            extra=f" Keep {wal} with it.",
        )
    try:
        with read_only_connection(path) as connection:
            facts = _read_facts(connection, quick_check)
    except _InUse:
        return _in_use(path, _CHANGED)
    except sqlite3.Error as exc:
        verdict = _sqlite_error(path, exc)
    else:
        verdict = _classify(path, facts)
    if verdict.state is not DbState.OK and _stamp(*watched) != before:
        return _in_use(path, f"{_CHANGED} ({verdict.state.value}: {verdict.detail})")
    return verdict


def _classify(path: Path, facts: _Facts) -> DbInspection:
    marked = facts.application_id == APPLICATION_ID
    if facts.problems:
        return _damaged(path, "SQLite's check found errors in it", detail="; ".join(facts.problems))
    if facts.application_id not in (0, APPLICATION_ID):
        return _foreign(
            path,
            "it carries another program's mark",
            detail=f"application_id 0x{facts.application_id:08x}",
        )
    if facts.versions is None:
        if not facts.tables and marked:  # s47desk created it, then stopped before any table
            return _ok(path, None, marked=True, holds_meetings=False)
        if not facts.tables:
            return _foreign(path, "it holds no tables, and s47desk did not create it")
        if marked:
            return _damaged(path, "its schema version is missing", detail="no alembic_version")
        return _foreign(path, "it has none of s47desk's tables", detail="no alembic_version")
    rows = facts.versions
    unknown = [r for r in rows if r != HEAD and r not in known_revisions()]
    if unknown and (marked or "meeting" in facts.tables):
        return _newer(path, unknown[0], marked)
    if unknown or len(rows) > 1:
        return _foreign(path, "its schema version is not one of s47desk's", detail=", ".join(rows))
    if not rows:
        if facts.tables <= {"alembic_version"}:
            return _ok(path, None, marked=marked, holds_meetings=False)
        return _foreign(path, "its schema version is not recorded", detail="alembic_version empty")
    if "meeting" not in facts.tables:
        if marked:
            return _damaged(path, "its tables are missing", detail=f"revision {rows[0]}")
        return _foreign(path, "it has none of s47desk's tables", detail=f"revision {rows[0]}")
    return _ok(path, rows[0], marked=marked, holds_meetings=facts.holds_meetings)


_DAMAGE_CODES = ("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_FORMAT")
_BUSY_CODES = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_PROTOCOL", "SQLITE_READONLY_CANTINIT")


def _sqlite_error(path: Path, exc: sqlite3.Error) -> DbInspection:
    name = getattr(exc, "sqlite_errorname", "") or type(exc).__name__
    detail = f"{name}: {exc}"  # SQLite's fixed wording and codes, never stored content
    if name.startswith(_DAMAGE_CODES) or type(exc) is sqlite3.DatabaseError:
        return _damaged(path, f"SQLite says: {exc}", detail=detail)
    if name.startswith(_BUSY_CODES):
        return _in_use(path, detail)
    if name == "SQLITE_READONLY_ROLLBACK":
        return _verdict(
            path,
            DbState.UNREADABLE,
            f"{path} was left in the middle of a change by a program that stopped (a -journal "
            "file is beside it). s47desk has not changed it, and cannot check it without "
            "finishing that change. Ask IT for help; do not delete either file.",
            detail=detail,
        )
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return _verdict(
            path,
            DbState.UNREADABLE,
            f"s47desk cannot open {path}: check that you may read it and the folder it is in. "
            "Ask IT if you are not sure.",
            detail=detail,
        )
    return _verdict(
        path,
        DbState.UNREADABLE,
        f"s47desk could not read {path} (the disk or SQLite reported an error). s47desk has not "
        "changed it. Try again; if it happens again, ask IT.",
        detail=detail,
    )


# --- verdicts ------------------------------------------------------------------------------


def _verdict(path: Path, state: DbState, message: str, detail: str = "") -> DbInspection:
    return DbInspection(path=path, state=state, message=message, detail=detail)


def _missing(path: Path) -> DbInspection:
    leftovers = [s for s in ("-wal", "-journal") if _size(sidecar(path, s))]
    if leftovers:
        other = sidecar(path, leftovers[0])
        return _damaged(
            path,
            f"the file is missing, but {other.name} beside it is not, and may hold meetings",
            detail=f"{other.name}: {_size(other)} bytes",
            extra=f" s47desk will not create a new database there. Do not delete {other}.",
        )
    return _verdict(path, DbState.MISSING, f"{path} does not exist yet: s47desk will create it.")


def _empty_file(path: Path, wal_size: int | None) -> DbInspection:
    message = (
        f"{path} is an empty file (0 bytes): s47desk did not create it, and will not write into "
        "it. If your meetings should be in it: " + _WHAT_TO_DO
    )
    detail = "0 bytes"
    if wal_size:
        wal = sidecar(path, "-wal")
        message += (
            f" The file beside it, {wal}, holds {wal_size} bytes that may be your meetings: do "
            "not delete it, and do not open the database with any program until IT has looked."
        )
        detail += f"; {wal.name}: {wal_size} bytes"
    return _verdict(path, DbState.EMPTY_FILE, message, detail)


def _damaged(path: Path, why: str, detail: str = "", extra: str = "") -> DbInspection:
    return _verdict(
        path,
        DbState.DAMAGED,
        f"{path} is damaged: {why}. s47desk has not changed it.{extra} Restore your meetings "
        "from a backup, and keep the damaged file for IT: do not delete it.",
        detail or why,
    )


def _foreign(path: Path, why: str, detail: str = "") -> DbInspection:
    return _verdict(
        path,
        DbState.FOREIGN,
        f"{path} is a SQLite database that is not s47desk's ({why}). s47desk will not open it "
        "or write into it. Check that the database setting names the right file; ask IT if you "
        "are not sure.",
        detail or why,
    )


def _newer(path: Path, revision: str, marked: bool) -> DbInspection:
    return DbInspection(
        path=path,
        state=DbState.NEWER_SCHEMA,
        message=(
            f"{path} was last used by a newer version of s47desk (its schema is at revision "
            f"{revision}, which this version does not know). This version will not open it, so "
            "that nothing in it is lost or changed. Install the newer version of s47desk, or ask "
            "IT."
        ),
        revision=revision,
        marked=marked,
        detail=f"unknown revision {revision}; this build knows up to {HEAD}",
    )


def _ok(path: Path, revision: str | None, *, marked: bool, holds_meetings: bool) -> DbInspection:
    at_head = revision == HEAD
    if at_head:
        state = "up to date"
    elif revision is None:
        state = "no tables yet"
    else:
        state = f"to be upgraded from {revision} to {HEAD}"
    return DbInspection(
        path=path,
        state=DbState.OK,
        message=f"{path} is an s47desk database ({state}).",
        revision=revision,
        at_head=at_head,
        marked=marked,
        holds_meetings=holds_meetings,
    )


def _in_use(path: Path, detail: str) -> DbInspection:
    return _verdict(
        path,
        DbState.UNREADABLE,
        f"{path} is being changed by another program right now, so s47desk could not check it. "
        "Close any other copy of s47desk and try again.",
        detail,
    )


_UNREADABLE_WHY = {
    errno.EACCES: "you do not have permission to read it",
    errno.EPERM: "you do not have permission to read it",
    errno.ENOTDIR: "a file is in the way of the folder it should be in",
    errno.ENAMETOOLONG: "its name is too long",
    errno.ELOOP: "it is a link that leads nowhere",
    errno.EIO: "the disk reported an error",
}


def _unreadable(path: Path, exc: OSError) -> DbInspection:
    why = _UNREADABLE_WHY.get(exc.errno or 0, exc.strerror or "the system refused")
    return _verdict(
        path,
        DbState.UNREADABLE,
        f"s47desk cannot read {path}: {why}. s47desk has not changed it. Ask IT if you are not "
        "sure why.",
        detail=f"{type(exc).__name__} errno {exc.errno}",
    )
