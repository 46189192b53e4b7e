"""The meetings of a SQLite file read for the command line's list with sqlite3 alone.

Importing SQLAlchemy and the models costs several times the whole reading at 1,000 meetings
(docs/performance.md). The statements are still SQLAlchemy's, built once from the models:
the first time the list is read through SQLAlchemy, ``meeting_rows.compile_plan`` compiles
them to SQL text, with how SQLAlchemy makes each column's value, and :func:`remember_plan`
keeps that in s47desk's data folder for as long as s47desk's code, SQLAlchemy and Python are
the ones that compiled it (any change to a file of them compiles again). The rows are put
together by ``plain_rows.assemble``, as SQLAlchemy's rows are.

Only a SQLite file that s47desk would open as it is is read so: healthy, s47desk's, and at
this release's schema; anything else (a file to create, migrate or refuse, another database,
a URL with options) goes through storage.open_database as before. The file is opened, read
in one transaction and closed as storage does it (s47desk.sqlite_file), and any SQLite error
hands the reading back to storage, which reports it in its own words.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
from collections import namedtuple
from collections.abc import Callable, Sequence
from datetime import date, datetime
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from s47desk.paths import data_dir, default_database_url
from s47desk.plain_rows import (
    STATEMENTS,
    Layout,
    PlainMeeting,
    assemble,
    json_value,
    paused_gc,
)

if TYPE_CHECKING:
    from s47desk.storage import Database

_PLAN_FILE = "list-statements.json"
_FORMAT = 1


def file_of_url(url: str | None) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL (read as SQLAlchemy reads it), or None for
    anything else: other databases, in memory, URIs, options, escapes."""
    url = url or default_database_url()
    if not url.startswith("sqlite:///"):
        return None
    name = url.removeprefix("sqlite:///")
    if not name or name == ":memory:" or name.startswith("file:") or any(c in name for c in "?%"):
        return None
    return Path(name)


# -- the compiled statements ---------------------------------------------------------------
def _code_key() -> str:
    """What the compiled statements depend on: every file of s47desk's code, SQLAlchemy's
    release and the Python that runs them (sizes and times; a frozen build: its program)."""
    import importlib.util

    parts = [str(_FORMAT), sys.version, sys.executable, _stat(sys.executable)]
    folders: list[str | Path] = [Path(__file__).resolve().parent]
    while folders:
        try:
            with os.scandir(folders.pop()) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError:  # a frozen build keeps no source folders: its program is the key
            continue
        for entry in entries:
            if entry.name.endswith(".py"):
                parts.append(f"{entry.path}={_stat(entry.path)}")
            elif entry.is_dir() and entry.name != "__pycache__":
                folders.append(entry.path)
    try:
        spec = importlib.util.find_spec("sqlalchemy")
    except (ImportError, ValueError):
        spec = None
    origin = spec.origin if spec is not None else None
    parts.append(f"sqlalchemy={origin}={_stat(origin) if origin else '-'}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _stat(path: str) -> str:
    try:
        info = Path(path).stat()
    except OSError:
        return "-"
    return f"{info.st_size}:{info.st_mtime_ns}"


def _plan_path() -> Path:
    return data_dir() / "cache" / _PLAN_FILE


def remember_plan(db: Database) -> None:
    """After the list was read through SQLAlchemy from a SQLite file: compile its statements
    for the next time, unless they are kept already (never fatal: it is only a cache)."""
    if db.sqlite_path is None or _Plan.cached() is not None:
        return
    from s47desk.meeting_rows import compile_plan

    try:
        plan = compile_plan(db.engine.dialect)
        text = json.dumps({"key": _code_key(), "plan": plan})
    except Exception:  # only a cache: the list is read through SQLAlchemy as before
        return
    if plan is None:
        return
    path = _plan_path()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        temp.replace(path)


class _Statement:
    """One compiled statement: its parameters bound as SQLAlchemy binds them, its columns'
    values made as SQLAlchemy makes them, its rows answering by attribute and by place."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.sql: str = spec["sql"]
        self.params: list[dict[str, Any]] = spec["params"]
        self.keys: list[str] = [str(k) for k in spec["keys"]]
        self.convert = [(i, _converter(k)) for i, k in enumerate(spec["kinds"]) if k is not None]
        self.make: Callable[..., Any] | None = None

    def as_rows(self) -> _Statement:
        """Rows as named tuples (a collection's rows; the meetings' own rows stay tuples)."""
        row: Any = namedtuple("Row", self.keys)  # type: ignore[misc]
        self.make = row._make
        return self

    def run(self, connection: sqlite3.Connection, ids: Sequence[int]) -> tuple[list[str], Any]:
        sql, params = self.sql, []
        for p in self.params:
            if "value" in p:
                params.append(p["value"])
                continue
            values = list(ids) if p.get("ids") else p["values"]
            if not values:  # never asked: assemble asks only about meetings it has
                raise ValueError("an empty IN list is not one of the compiled statements")
            sql = sql.replace(p["marker"], ", ".join("?" * len(values)), 1)
            params.extend(values)
        rows: Any = connection.execute(sql, params).fetchall()
        if self.convert and rows:
            columns: list[Any] = list(zip(*rows, strict=True))
            for i, convert in self.convert:
                columns[i] = convert(columns[i])
            rows = list(zip(*columns, strict=True))
        if self.make is not None:
            rows = list(map(self.make, rows))
        return self.keys, rows


class _Plan:
    def __init__(self, plan: dict[str, Any]) -> None:
        self.layout = Layout.from_json(plan["layout"])
        if set(plan["statements"]) != set(STATEMENTS):
            raise ValueError("not the statements plain_rows.assemble runs")
        self.statements = {
            name: _Statement(spec) if name in ("meetings", "signed") else _Statement(spec).as_rows()
            for name, spec in plan["statements"].items()
        }

    @classmethod
    def cached(cls) -> _Plan | None:
        """The statements kept for this very code, or None."""
        try:
            kept = json.loads(_plan_path().read_text(encoding="utf-8"))
            if kept.get("key") != _code_key():
                return None
            return cls(kept["plan"])
        except (OSError, ValueError, TypeError, AttributeError, LookupError, ImportError):
            return None  # missing, damaged or from other code: compiled again next time

    def fetch(self, connection: sqlite3.Connection) -> Callable[..., Any]:
        def run(name: str, ids: Sequence[int]) -> tuple[list[str], Any]:
            return self.statements[name].run(connection, ids)

        return run


def _converter(kind: Any) -> Callable[[Sequence[Any]], list[Any]]:
    """A whole column's values made as meeting_rows._kind says SQLAlchemy makes them."""
    if kind == "bool":
        return lambda values: [None if v is None else bool(v) for v in values]
    if kind == "date":
        parse_date = date.fromisoformat
        return lambda values: [None if v is None else parse_date(v) for v in values]
    if kind == "datetime":
        parse = datetime.fromisoformat
        return lambda values: [None if v is None else parse(v) for v in values]
    if kind == "json":
        return lambda values: [json_value(v) for v in values]
    if isinstance(kind, list) and kind[0] == "enum":
        _enum, module, name, pairs = kind
        cls = getattr(import_module(module), name)
        lookup: dict[Any, Any] = {value: cls[member] for value, member in pairs}
        lookup[None] = None

        def members(values: Sequence[Any]) -> list[Any]:
            try:
                return list(map(lookup.__getitem__, values))
            except KeyError as exc:  # as SQLAlchemy's Enum says it
                raise LookupError(f"{exc.args[0]!r} is not among the defined enum values") from None

        return members
    raise ValueError(f"not a kind of column list_read knows: {kind!r}")


# -- reading -----------------------------------------------------------------------------
def read_meetings(url: str | None) -> list[PlainMeeting] | None:
    """Every meeting of the SQLite file at *url*, as ``meeting_rows.load`` reads them; None
    when this file is not read so (then read it through storage, and :func:`remember_plan`)."""
    path = file_of_url(url)
    if path is None:
        return None
    plan = _Plan.cached()
    if plan is None:
        return None
    from s47desk import sqlite_file as files
    from s47desk.dbfile import inspect_database

    inspection = inspect_database(path, quick_check=not files.untouched_since_we_closed_it(path))
    if not (inspection.ok and inspection.at_head and inspection.marked):
        return None  # storage creates, migrates, marks or refuses it, as it does
    files.forget_closed(path)  # until it is closed again, as storage.prepare_sqlite does
    meetings = _read(path, plan)
    if meetings is not None:
        files.note_closed(path)
    return meetings


def read_meetings_of_open(db: Database) -> list[PlainMeeting] | None:
    """Every meeting of the SQLite file *db* holds open (the window's list, on a worker
    thread): read as :func:`read_meetings` reads them, beside *db*'s own connections, the file
    neither inspected again nor marked closed (it is open). None: read it through *db*."""
    path, plan = db.sqlite_path, _Plan.cached()
    if path is None or plan is None:
        return None
    return _read(path, plan)


def _read(path: Path, plan: _Plan) -> list[PlainMeeting] | None:
    from s47desk import sqlite_file as files

    try:
        connection = sqlite3.connect(path, timeout=files.BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return None
    try:
        files.set_pragmas(connection, files.BUSY_TIMEOUT_MS)
        connection.execute("BEGIN DEFERRED")  # one read transaction, as storage begins one
        try:
            with paused_gc():
                return assemble(plan.fetch(connection), plan.layout, json_value)
        finally:
            connection.execute("ROLLBACK")
    except sqlite3.Error:
        return None
    finally:
        connection.close()
