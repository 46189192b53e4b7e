"""Backups of the SQLite database, and restoring one, so that no day's work is lost for good.

Every copy goes through SQLite's online backup API (``sqlite3.Connection.backup``), never a file
copy: copying the files of a live WAL database can give a copy that is torn or misses the last
commits. Each copy is written to a temporary file beside its destination, checked with
``PRAGMA quick_check``, flushed to disk and only then moved into place, owner-only (0600) in an
owner-only folder (0700), as ``s47desk.atomic`` does for exports.

Public API (Qt-free):

``default_backups_dir() -> Path``
    ``<data folder>/backups`` (the data folder from ``s47desk.storage.data_dir()``).
``backup_database(db_path, dest_path, *, overwrite=False) -> Path``
    A checked copy of a live database. Raises ``BackupError``.
``manual_backup(db_path, backups_dir, now=None) -> Path``
    ``backup_database`` into *backups_dir* under a dated name (``s47desk backup`` without -o).
``daily_backup(db_path, backups_dir, today, now=None) -> DailyBackup``
    The first call of a day writes a backup, then old daily backups are rotated away (7 days
    and 4 weeks kept, see ``rotate``). Raises ``BackupError``; nothing is removed if it does.
``backup_before_migration(db_path, backups_dir, from_revision, now=None) -> Path``
    A backup kept for good, made just before the schema is upgraded.
``restore_database(backup_path, db_path, backups_dir, now=None) -> Restored``
    Replace the database with a backup, keeping the replaced one. Raises ``BackupError``. The
    database must be closed everywhere first (the window closes its engine, keeping its
    single-window lock); one still open is refused.
``list_backups(backups_dir) -> list[BackupInfo]``
    s47desk's backups in that folder, newest first, for a restore dialog or command.
``sqlite_path(url) -> Path | None`` and ``server_backup_message(url) -> str``
    s47desk backs up only a SQLite file; a shared PostgreSQL database is the server's to back up.

Only files named as s47desk names them are listed or rotated; other files in the folder, and
backups made before a migration or a restore, are never removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from s47desk.atomic import ExportError, atomic_writer, make_folder
from s47desk.dbfile import (
    BUSY_TIMEOUT_S,
    DbInspection,
    DbState,
    inspect_database,
    read_only_connection,
    sidecar,
)
from s47desk.errors import UserError

KEEP_DAILY = 7
KEEP_WEEKLY = 4
_STAMP = "%Y-%m-%d-%H%M%S"
_NAME = re.compile(
    r"^s47desk-(?P<kind>daily|manual|before-restore|before-migration-from-(?P<rev>[A-Za-z0-9_]+))"
    r"-(?P<stamp>\d{4}-\d\d-\d\d-\d{6})(?:-(?P<n>\d+))?\.sqlite3$"
)
_SIDECARS = ("-wal", "-shm", "-journal")


class BackupError(UserError):
    """A backup or restore did not happen; the message names the files and says why.

    ``inspection`` holds the verdict on the file that was refused, if that was the reason.
    """

    def __init__(self, message: str, inspection: DbInspection | None = None) -> None:
        super().__init__(message)
        self.inspection = inspection


@dataclass(frozen=True)
class BackupInfo:
    """One backup file, as ``list_backups`` found it."""

    path: Path
    kind: str  # "daily", "manual", "before-migration", "before-restore"
    taken: datetime  # local time, from the file's name
    size: int
    from_revision: str | None = None  # for "before-migration"


@dataclass(frozen=True)
class DailyBackup:
    """What ``daily_backup`` did: the file it wrote (None if today's existed) and removed."""

    written: Path | None
    removed: tuple[Path, ...]


@dataclass(frozen=True)
class Restored:
    """The restored database's inspection, and where the database it replaced was kept.

    ``kept`` is None if there was no database to replace. ``kept_as_found`` says the replaced
    database was not a healthy s47desk database (damaged, empty, not SQLite, another program's),
    so its files were kept byte for byte in ``<backups>/replaced/``, for IT, rather than as a
    backup to restore.
    """

    inspection: DbInspection
    kept: Path | None
    kept_as_found: bool = False


def default_backups_dir() -> Path:
    """Backups live in the data folder, beside the default database."""
    from s47desk.paths import data_dir  # storage will import this module's callers

    return data_dir() / "backups"


def sqlite_path(url: str) -> Path | None:
    """The database file a SQLite URL names (None for a server or in-memory database)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from s47desk.database_file import file_of

    try:
        return file_of(make_url(url))
    except ArgumentError:
        raise BackupError(f"Not a database URL: {url!r}.") from None


def server_backup_message(url: str) -> str:
    """What to tell someone who asks s47desk to back up (or restore) a shared server database."""
    from sqlalchemy.engine import make_url

    where = make_url(url).render_as_string(hide_password=True)
    return (
        f"s47desk does not back up or restore a shared database on a server ({where}). The "
        "server's own backups apply: for PostgreSQL, pg_dump or your IT's backups. Ask IT how "
        "and when it is backed up, and how to restore it."
    )


# --- writing one checked copy -------------------------------------------------------------


def backup_database(
    db_path: str | os.PathLike[str], dest_path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write a consistent, checked copy of the database at *db_path* to *dest_path*.

    Safe while s47desk has the database open and while another connection is writing: the copy
    is one read transaction (WAL lets writers carry on) and holds every commit made before it
    began. Refuses a file that is missing, empty, damaged or not s47desk's.
    """
    source, dest = Path(db_path), Path(dest_path)
    found = inspect_database(source, quick_check=False)  # the copy gets the full check below
    if found.state is DbState.MISSING:
        raise BackupError(f"Could not back up {source}: there is no database there yet.", found)
    if found.state not in (DbState.OK, DbState.NEWER_SCHEMA):
        raise BackupError(f"Could not back up {source}: {found.message}", found)
    if dest.exists() and not overwrite:
        raise BackupError(f"Could not back up to {dest}: a file of that name is already there.")
    _backup_live(source, dest)
    return dest


def _backup_live(source: Path, dest: Path) -> None:
    """Copy a database s47desk uses, through an ordinary connection (as s47desk's own are)."""
    try:
        connection = sqlite3.connect(
            f"{source.absolute().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S
        )
    except sqlite3.Error as exc:
        raise BackupError(f"Could not back up {source}: SQLite says: {exc}.") from None
    with contextlib.closing(connection):
        _write_copy(connection, source, dest)


def _write_copy(source: sqlite3.Connection, source_path: Path, dest: Path) -> None:
    """Back up *source* into a checked temporary file beside *dest*, then move it into place."""
    tmp = _checked_copy(source, source_path, dest)
    try:
        tmp.replace(dest)
        _fsync_folder(dest.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(_cannot_write(dest, exc)) from None


def _checked_copy(source: sqlite3.Connection, source_path: Path, dest: Path) -> Path:
    """Back up *source* into a new temporary file beside *dest*, check it and flush it to disk.

    Returns the temporary file, for the caller to move into place; removes it on any failure.
    """
    folder = _folder(dest.parent)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BackupError(_cannot_write(dest, exc)) from None
    os.close(fd)  # mkstemp made it owner-only (0600); SQLite keeps the mode
    tmp = Path(name)
    try:
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            # A temporary file needs no journal: if this fails it is thrown away, and it is
            # flushed to disk below, before it replaces anything.
            target.execute("PRAGMA journal_mode=OFF")
            target.execute("PRAGMA synchronous=OFF")
            source.backup(target)
        finally:
            target.close()
        checked = inspect_database(tmp)
        if checked.state not in (DbState.OK, DbState.NEWER_SCHEMA):
            raise BackupError(
                f"The copy of {source_path} failed SQLite's check, so nothing was written to "
                f"{dest} ({checked.detail}). {source_path} may be damaged: ask IT.",
                checked,
            )
        _fsync_file(tmp)
    except BaseException as exc:
        for leftover in (tmp, *(sidecar(tmp, s) for s in _SIDECARS)):
            leftover.unlink(missing_ok=True)
        if isinstance(exc, sqlite3.Error):
            raise BackupError(_cannot_copy(source_path, dest, exc)) from None
        if isinstance(exc, OSError):
            raise BackupError(_cannot_write(dest, exc)) from None
        raise
    return tmp


def _folder(folder: Path) -> Path:
    try:
        return make_folder(folder)
    except ExportError as exc:
        raise BackupError(str(exc)) from None


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))  # Windows needs write access
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX only; Windows has no directory handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_WHY = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk is full",
    errno.EACCES: "you do not have permission to write there",
    errno.EPERM: "you do not have permission to write there",
    errno.EROFS: "the disk is read-only",
    errno.ENOENT: "the folder does not exist",
}


def _why(exc: OSError) -> str:
    return _WHY.get(exc.errno or 0, exc.strerror or str(exc))


def _cannot_write(dest: Path, exc: OSError) -> str:
    return f"Could not write {dest}: {_why(exc)}. Any earlier file there was left as it was."


def _cannot_copy(source: Path, dest: Path, exc: sqlite3.Error) -> str:
    name = getattr(exc, "sqlite_errorname", "")
    why = "the disk is full" if name == "SQLITE_FULL" else f"SQLite says: {exc}"
    return (
        f"Could not copy {source} to {dest}: {why}. Nothing was changed, and any earlier "
        "file there was left as it was."
    )


# --- named backups in the backups folder ----------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now()


def _free_name(folder: Path, stem: str) -> Path:
    candidate = folder / f"{stem}.sqlite3"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}.sqlite3"
        n += 1
    return candidate


def manual_backup(
    db_path: str | os.PathLike[str],
    backups_dir: str | os.PathLike[str],
    now: datetime | None = None,
) -> Path:
    """A backup asked for by the user, named ``s47desk-manual-<date-time>.sqlite3``."""
    dest = _free_name(_folder(Path(backups_dir)), f"s47desk-manual-{_now(now):{_STAMP}}")
    return backup_database(db_path, dest)


def backup_before_migration(
    db_path: str | os.PathLike[str],
    backups_dir: str | os.PathLike[str],
    from_revision: str,
    now: datetime | None = None,
) -> Path:
    """A backup made just before upgrading the schema from *from_revision*; never rotated away."""
    revision = from_revision if re.fullmatch(r"[A-Za-z0-9_]+", from_revision) else "unknown"
    stem = f"s47desk-before-migration-from-{revision}-{_now(now):{_STAMP}}"
    return backup_database(db_path, _free_name(_folder(Path(backups_dir)), stem))


def daily_backup(
    db_path: str | os.PathLike[str],
    backups_dir: str | os.PathLike[str],
    today: date,
    now: datetime | None = None,
) -> DailyBackup:
    """Back up once a day (the first call of *today*), then rotate the daily backups.

    Does nothing if the database does not exist yet. If the backup fails, BackupError is raised
    and no earlier backup is removed.
    """
    folder = Path(backups_dir)
    source = Path(db_path)
    dailies = [b for b in list_backups(folder) if b.kind == "daily"]
    written: Path | None = None
    if not any(b.taken.date() == today for b in dailies):
        if not source.exists():
            return DailyBackup(None, ())
        taken = datetime.combine(today, _now(now).time())
        written = backup_database(
            source, _free_name(_folder(folder), f"s47desk-daily-{taken:{_STAMP}}")
        )
        dailies = [b for b in list_backups(folder) if b.kind == "daily"]
    removed: list[Path] = []
    for backup in rotate(dailies):
        if backup.path == written:
            continue  # a clock set backwards must not cost today's backup
        with contextlib.suppress(FileNotFoundError):
            backup.path.unlink()
            removed.append(backup.path)
    return DailyBackup(written, tuple(removed))


def rotate(dailies: list[BackupInfo]) -> list[BackupInfo]:
    """The daily backups to remove: all but the newest of each of the 7 latest days that have one,
    and the newest of each of the 4 latest ISO weeks before those days.

    Counting days that have a backup, not calendar days, means that after weeks away the
    backups from before the absence are still there on the first day back.
    """
    newest_of_day: dict[date, BackupInfo] = {}
    for backup in sorted(dailies, key=lambda b: b.taken, reverse=True):
        newest_of_day.setdefault(backup.taken.date(), backup)
    days = sorted(newest_of_day, reverse=True)
    keep = {newest_of_day[d].path for d in days[:KEEP_DAILY]}
    if len(days) > KEEP_DAILY:
        covered = {days[KEEP_DAILY - 1].isocalendar()[:2]}
        for day in days[KEEP_DAILY:]:
            week = day.isocalendar()[:2]
            if week in covered:
                continue
            if len(covered) > KEEP_WEEKLY:
                break
            covered.add(week)
            keep.add(newest_of_day[day].path)
    return [b for b in dailies if b.path not in keep]


def list_backups(backups_dir: str | os.PathLike[str]) -> list[BackupInfo]:
    """s47desk's backups in *backups_dir*, newest first (by the date and time in their names)."""
    folder = Path(backups_dir)
    found: list[tuple[datetime, int, BackupInfo]] = []
    try:
        entries = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        match = _NAME.match(entry.name)
        if match is None or not entry.is_file():
            continue
        try:
            taken = datetime.strptime(match["stamp"], _STAMP)
        except ValueError:
            continue
        kind = "before-migration" if match["rev"] else match["kind"]
        info = BackupInfo(entry, kind, taken, entry.stat().st_size, match["rev"])
        found.append((taken, int(match["n"] or 1), info))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [info for _, _, info in found]


# --- restoring --------------------------------------------------------------------------------

_REFUSED = {
    DbState.MISSING: "it does not exist",
    DbState.EMPTY_FILE: "it is an empty file",
    DbState.NOT_SQLITE: "it is not a SQLite database",
    DbState.DAMAGED: "it is damaged",
    DbState.FOREIGN: "it is not an s47desk database",
    DbState.NEWER_SCHEMA: "it was made by a newer version of s47desk",
    DbState.UNREADABLE: "it cannot be read",
}


def restore_database(
    backup_path: str | os.PathLike[str],
    db_path: str | os.PathLike[str],
    backups_dir: str | os.PathLike[str],
    now: datetime | None = None,
) -> Restored:
    """Replace the database at *db_path* with the backup at *backup_path*.

    The backup must be a healthy s47desk database this version can open. The database being
    replaced is kept first: as ``s47desk-before-restore-<date-time>.sqlite3`` in *backups_dir*
    if it is a healthy s47desk database, else byte for byte in ``<backups_dir>/replaced/``. The new file is
    built beside the database, checked, and moved into place; the old ``-wal``/``-shm`` go
    (SQLite would otherwise replay the old ``-wal`` into the restored database).

    The database must not be open anywhere, in this process or another: the caller holds the
    single-window lock and has closed its own engine. A crash part-way leaves either the old
    database or the restored one in place, and the kept copy always.
    """
    source, target, folder = Path(backup_path), Path(db_path), Path(backups_dir)
    offered = inspect_database(source)
    if not offered.ok:
        raise BackupError(
            f"{source} cannot be restored: {_REFUSED[offered.state]} ({offered.detail or '-'}). "
            f"Nothing was changed: {target} is as it was. Choose another backup, or ask IT.",
            offered,
        )
    if target.exists() and source.samefile(target):
        raise BackupError(f"{source} is the database itself: choose a backup to restore.")
    current = inspect_database(target)
    if current.state is DbState.UNREADABLE:
        raise BackupError(
            f"Nothing was restored: {current.message} s47desk keeps the database it replaces, "
            "and could not read this one.",
            current,
        )
    if current.state in (DbState.OK, DbState.NEWER_SCHEMA) and _open_elsewhere(target):
        raise BackupError(
            f"Nothing was restored: {target} is open in another program (another s47desk, or "
            "this one's own connection). Close it, then restore.",
            current,
        )
    kept, as_found = _keep_current(target, current, folder, _now(now))
    try:
        with read_only_connection(source) as connection:
            tmp = _checked_copy(connection, source, target)
    except sqlite3.Error as exc:
        raise BackupError(_cannot_copy(source, target, exc)) from None
    try:
        for suffix in _SIDECARS:  # the old -wal belongs to the old database only
            sidecar(target, suffix).unlink(missing_ok=True)
        tmp.replace(target)
        _fsync_folder(target.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(
            f"Could not put the restored database in place at {target}: {_why(exc)}."
            + (f" The database as it was is kept at {kept}." if kept else "")
        ) from None
    restored = inspect_database(target)
    if not restored.ok:  # checked before the move; this would mean the disk is failing
        raise BackupError(f"The restored database failed its check: {restored.message}", restored)
    return Restored(restored, kept, as_found)


def _open_elsewhere(path: Path) -> bool:
    """Whether any other connection, in any process, has the (healthy) database open.

    A WAL database cannot be locked in exclusive mode while another connection uses it, so a
    brief attempt tells; it releases the lock at once. It is an ordinary open of a healthy
    database (it may checkpoint a -wal left by a crash), made only just before replacing it.
    """
    try:
        connection = sqlite3.connect(path, timeout=1.0, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        return getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
    finally:
        connection.close()
    return False


def _keep_current(
    target: Path, current: DbInspection, folder: Path, now: datetime
) -> tuple[Path | None, bool]:
    """Keep the database about to be replaced; returns where, and whether as raw bytes."""
    present = [s for s in ("", "-wal", "-journal") if sidecar(target, s).exists()]
    if not present:
        return None, False
    stamp = f"{now:{_STAMP}}"
    if current.state in (DbState.OK, DbState.NEWER_SCHEMA):
        dest = _free_name(_folder(folder), f"s47desk-before-restore-{stamp}")
        try:
            _backup_live(target, dest)
        except BackupError as exc:
            raise BackupError(f"Nothing was restored: {exc}", exc.inspection) from None
        return dest, False
    # Not s47desk's, or SQLite cannot be trusted to read it (or would delete its -wal): keep the
    # bytes. The database is not open anywhere (see restore_database), so they are consistent.
    kept = _free_name(_folder(folder / "replaced"), f"s47desk-{stamp}")
    try:
        for suffix in present:
            with (
                sidecar(target, suffix).open("rb") as src,
                atomic_writer(sidecar(kept, suffix)) as out,
            ):
                shutil.copyfileobj(src, out)
    except (OSError, ExportError) as exc:
        raise BackupError(
            f"Nothing was restored: s47desk could not keep a copy of {target} first ({exc})."
        ) from None
    return kept, True
