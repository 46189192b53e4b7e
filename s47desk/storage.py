"""Where meetings are stored: SQLite in the user's data folder by default, or any SQLAlchemy URL.

SQLite runs in WAL mode with synchronous=FULL (durable across power loss), foreign keys on and a
busy timeout, so that every autosaved edit is one durable transaction. A team shares one
PostgreSQL database with the same code and a different URL.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from s47desk.errors import UserError
from s47desk.lock import install_lock_guard
from s47desk.migrations import HEAD
from s47desk.orm_audit import install_audit_hook
from s47desk.paths import default_database_url

BUSY_TIMEOUT_MS = 5000


class StorageError(UserError):
    """The database cannot be opened or used; the message says which and why."""


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # s47desk begins transactions itself (see _sqlite_begin): pysqlite's own handling would
    # start them late and never as BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """BEGIN IMMEDIATE for a write (the write lock is taken at once, waiting up to the busy
    timeout, so no transaction fails half-way on a lock upgrade); a plain BEGIN for a read."""
    mode = connection.get_execution_options().get("s47_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def _prepare_sqlite_file(database: str) -> None:
    """Create the folder (owner only) and an empty file readable by its owner only."""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(f"not a database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        _prepare_sqlite_file(parsed.database or "")
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

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
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
        name = self.engine.url.database if self.is_sqlite else None
        if not name or name == ":memory:" or "mode=memory" in name:
            return None
        if name.startswith("file:"):
            name = name.removeprefix("file:").split("?", 1)[0]
        return Path(name)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed as one transaction, or rolled back whole."""
        with self._write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in one write transaction: committed on success, else rolled back."""
        with self.writer.begin() as connection:
            yield connection

    def close(self) -> None:
        self.engine.dispose()


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


def open_database(url: str | None = None) -> Database:
    """Open (creating and migrating as needed) the database at *url* or the default one."""
    engine = make_engine(url or default_database_url())
    try:
        migrate(engine)
    except DBAPIError as exc:  # not a database, no permission, server down...
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        raise StorageError(f"cannot open the database {where}: {exc.orig}") from None
    return Database(engine)
