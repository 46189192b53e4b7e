"""Where meetings are stored: SQLite in the user's data folder by default, or any SQLAlchemy URL.

SQLite runs in WAL mode with synchronous=FULL (durable across power loss), foreign keys on and a
busy timeout (s47desk.sqlite_file), so that every autosaved edit is one durable transaction. A
team shares one PostgreSQL database with the same code and a different URL.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from s47desk.database_file import file_of
from s47desk.direct import driver_sql
from s47desk.errors import UserError
from s47desk.lock import install_lock_guard
from s47desk.migrations import HEAD
from s47desk.orm_audit import install_audit_hook
from s47desk.paths import default_database_url
from s47desk.sqlite_file import BUSY_TIMEOUT_MS, note_closed, set_pragmas
from s47desk.sqlite_file import forget_closed as _forget_closed
from s47desk.sqlite_file import untouched_since_we_closed_it as _untouched_since_we_closed_it

if TYPE_CHECKING:
    from s47desk.dbfile import DbInspection


class StorageError(UserError):
    """The database cannot be opened or used; the message says which and why."""


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # s47desk begins transactions itself (see _sqlite_begin and sqlite_file.set_pragmas).
    set_pragmas(dbapi_connection, BUSY_TIMEOUT_MS)


def _sqlite_begin(connection: Connection) -> None:
    """BEGIN IMMEDIATE for a write (the write lock is taken at once, waiting up to the busy
    timeout, so no transaction fails half-way on a lock upgrade); a plain BEGIN for a read.

    Run on the driver's connection itself (s47desk.direct): through ``exec_driver_sql`` it cost
    a tenth of an autosave."""
    mode = connection.get_execution_options().get("s47_begin", "DEFERRED")
    driver_sql(connection, f"BEGIN {mode}")


class DatabaseRefused(StorageError):
    """s47desk will not open this file (empty, damaged, foreign, newer); it was not touched.

    ``inspection`` says what was found, so the window can offer to restore a backup.
    """

    def __init__(self, inspection: DbInspection) -> None:
        super().__init__(inspection.message)
        self.inspection = inspection


def make_engine(url: str | URL) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(f"not a database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True, hide_parameters=True)
    except Exception as exc:  # a missing driver surfaces as ImportError or NoSuchModuleError
        raise StorageError(f"cannot use {parsed.render_as_string()}: {exc}") from None


class Database:
    """One engine and one session factory for the application (SQLAlchemy's advice).

    Reads use :attr:`sessions` (a short session each); every write is one transaction that
    takes the write lock when it begins (:meth:`transaction` with the ORM, :meth:`write` with
    plain statements), so nothing holds the lock between user actions.
    """

    def __init__(self, engine: Engine, inspection: DbInspection | None = None) -> None:
        self.engine = engine
        #: what the file looked like when opened (SQLite files only)
        self.inspection = inspection
        self.writer = engine.execution_options(s47_begin="IMMEDIATE")
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self.writer, expire_on_commit=False)
        for factory in (self.sessions, self._write_sessions):
            install_lock_guard(factory)
            install_audit_hook(factory)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        """The database file, for a SQLite database on disk (also when named as a URI)."""
        return file_of(self.engine.url)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed as one transaction, or rolled back whole."""
        with self._write_sessions() as session, session.begin():
            yield session

    def write(self) -> AbstractContextManager[Connection]:
        """A connection in one write transaction: committed on success, else rolled back."""
        return self.writer.begin()

    def close(self) -> None:
        self.engine.dispose()
        path = self.sqlite_path
        if path is not None and self.inspection is not None:
            note_closed(path)


def schema_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError):
        return None


def migrate(engine: Engine) -> None:
    """Bring the schema up to HEAD with Alembic (imported only when there is work to do)."""
    if schema_revision(engine) == HEAD:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _create(path: Path) -> None:
    """A new, empty s47desk database, made whole in a temporary file and then moved into place,
    so that no half-made (or zero-byte) file is ever left where the database belongs."""
    from s47desk.dbfile import mark_as_ours

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        temp.unlink()  # SQLite makes the file itself (a zero-byte file it would not recognise)
        engine = create_engine(f"sqlite:///{temp}", hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        try:
            migrate(engine)
            with engine.begin() as connection:
                mark_as_ours(connection)
            with engine.connect() as connection:  # fold the WAL in: one file to move
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()
        temp.chmod(0o600)
        for sidecar in ("-wal", "-shm"):
            Path(f"{temp}{sidecar}").unlink(missing_ok=True)
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)
        for sidecar in ("-wal", "-shm"):
            Path(f"{temp}{sidecar}").unlink(missing_ok=True)


def prepare_sqlite(path: Path) -> DbInspection:
    """Inspect the file before anything opens it; create it if missing; back it up before a
    migration. Raises DatabaseRefused (nothing touched) for a file s47desk must not open."""
    from s47desk.dbfile import DbState, inspect_database

    inspection = inspect_database(path, quick_check=not _untouched_since_we_closed_it(path))
    if inspection.state is DbState.MISSING:
        _create(path)
        inspection = inspect_database(path, quick_check=False)
    if not inspection.ok:
        raise DatabaseRefused(inspection)
    _forget_closed(path)  # until it is closed again, anything may happen to it
    if not inspection.at_head and inspection.revision:
        from s47desk.backup import backup_before_migration, default_backups_dir  # rarely

        backup_before_migration(path, default_backups_dir(), inspection.revision)
    return inspection


def open_database(url: str | None = None) -> Database:
    """Open the database at *url* or the default one: checked first, created if missing,
    backed up before a migration, migrated. A file s47desk must not open is left untouched."""
    parsed = make_url(url or default_database_url()) if _is_url(url) else None
    if parsed is None:
        raise StorageError(f"not a database URL: {url!r}")
    path = file_of(parsed)
    inspection = prepare_sqlite(path) if path is not None else None
    engine = make_engine(parsed)
    try:
        migrate(engine)
        if path is not None and inspection is not None and not inspection.marked:
            from s47desk.dbfile import mark_as_ours

            with engine.begin() as connection:  # an older s47desk database: ours from now on
                mark_as_ours(connection)
    except DBAPIError as exc:  # no permission, server down...
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        raise StorageError(f"cannot open the database {where}: {exc.orig}") from None
    return Database(engine, inspection)


def _is_url(url: str | None) -> bool:
    try:
        make_url(url or default_database_url())
    except ArgumentError:
        return False
    return True
