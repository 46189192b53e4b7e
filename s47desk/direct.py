"""Statements run straight on the driver's cursor, inside the caller's SQLAlchemy transaction.

Every autosave runs the same few statements, and SQLAlchemy's execution machinery (execution
context, events, result objects) costs about 20 µs a statement: as much as SQLite takes to run
one. A :class:`Direct` statement is a Core statement compiled by SQLAlchemy once per dialect —
the same SQL text, paramstyle (qmark for sqlite3, pyformat for psycopg) and casts — and run with
the column types' own bind and result processors, so values go in and come out exactly as they
do through ``Connection.execute``. Database errors come out as SQLAlchemy's own
(IntegrityError, OperationalError, ...), and a connection the driver lost is invalidated.

Only for statements that take every value from their parameters: nothing here computes a
column's Python-side ``default`` or ``onupdate``, so a statement that would need one is refused
when it is first prepared. Statements run this way are not seen by engine events
(``before_cursor_execute``) or SQL echo.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Prepared:
    sql: str
    positional: bool
    #: the statement's parameters, in the order its SQL takes them
    names: tuple[str, ...]
    #: where each comes from: a key of the given parameters, or (for a value the statement
    #: fixes itself, such as LIMIT 1) its own name in *fixed*
    sources: tuple[str, ...]
    fixed: dict[str, Any]
    #: (position, the column type's bind processor) for the parameters that have one
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]
    #: the result columns' types, for their result processors (a SELECT), else ()
    result_types: tuple[Any, ...]


class Direct:
    """One Core statement, run on the DBAPI cursor of the caller's connection.

    *keys* are the parameters every execution gives; any other parameter must be fixed by the
    statement itself (such as ``LIMIT 1``).
    """

    def __init__(self, statement: ClauseElement, keys: Iterable[str]) -> None:
        self.statement = statement
        self.keys = frozenset(keys)
        self._prepared: weakref.WeakKeyDictionary[Dialect, _Prepared] = weakref.WeakKeyDictionary()
        self._results: weakref.WeakKeyDictionary[Dialect, list[Processor]] = (
            weakref.WeakKeyDictionary()
        )

    # -- preparing ------------------------------------------------------------------------------
    def prepared(self, dialect: Dialect) -> _Prepared:
        found = self._prepared.get(dialect)
        if found is None:
            found = self._prepared[dialect] = self._prepare(dialect)
        return found

    def _prepare(self, dialect: Dialect) -> _Prepared:
        compiled: Any = self.statement.compile(dialect=dialect, column_keys=sorted(self.keys))
        if compiled.insert_prefetch or compiled.update_prefetch:
            raise ValueError(f"{self.statement}: a column default or onupdate would be needed")
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError(f"{self.statement}: parameters rendered at execution time")
        if compiled.escaped_bind_names:
            raise ValueError(
                f"{self.statement}: parameter names the driver cannot take as they are"
            )
        by_name = {name: bind for bind, name in compiled.bind_names.items()}
        missing = self.keys - {bind.key for bind in by_name.values()}
        if missing:
            raise ValueError(f"{self.statement}: does not take {sorted(missing)}")
        positional = compiled.positiontup is not None
        names = tuple(compiled.positiontup if positional else by_name)
        sources, fixed, processors = [], {}, []
        for position, name in enumerate(names):
            bind = by_name[name]
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.key in self.keys:
                sources.append(bind.key)
                if processor is not None:
                    processors.append((position, processor))
            elif bind.required or bind.callable is not None:
                raise ValueError(f"{self.statement}: parameter {bind.key!r} is not given")
            else:
                sources.append(name)
                fixed[name] = processor(bind.value) if processor is not None else bind.value
        selected = getattr(self.statement, "selected_columns", None)
        result_types = tuple(c.type for c in selected) if selected is not None else ()
        return _Prepared(compiled.string, positional, names, tuple(sources), fixed,
                         tuple(processors), result_types)  # fmt: skip

    def _parameters(self, prepared: _Prepared, params: Mapping[str, Any]) -> Any:
        given = {**prepared.fixed, **params} if prepared.fixed else params
        values = [given[source] for source in prepared.sources]
        for position, processor in prepared.processors:
            values[position] = processor(values[position])
        if prepared.positional:
            return tuple(values)
        return dict(zip(prepared.names, values, strict=True))

    def _result_processors(self, dialect: Dialect, prepared: _Prepared, cursor: Any) -> list[Any]:
        found = self._results.get(dialect)
        if found is None:
            found = self._results[dialect] = [
                kind.dialect_impl(dialect).result_processor(dialect, described[1])
                for kind, described in zip(prepared.result_types, cursor.description, strict=True)
            ]
        return found

    # -- running --------------------------------------------------------------------------------
    def execute(self, connection: Connection, params: Mapping[str, Any]) -> int:
        """Run the statement once; the number of rows it changed."""
        prepared = self.prepared(connection.dialect)
        parameters = self._parameters(prepared, params)
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(prepared.sql, parameters)
            return int(cursor.rowcount)
        except connection.dialect.loaded_dbapi.Error as exc:
            _raise(connection, exc, prepared.sql, parameters, cursor)
        finally:
            _close(cursor)

    def executemany(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run the statement once for each of *rows*."""
        prepared = self.prepared(connection.dialect)
        parameters = [self._parameters(prepared, row) for row in rows]
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            if len(parameters) == 1:
                cursor.execute(prepared.sql, parameters[0])
            else:
                cursor.executemany(prepared.sql, parameters)
        except connection.dialect.loaded_dbapi.Error as exc:
            _raise(connection, exc, prepared.sql, parameters, cursor)
        finally:
            _close(cursor)

    def first(self, connection: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """Run a SELECT; its first row (each value as the column's type gives it), or None."""
        dialect = connection.dialect
        prepared = self.prepared(dialect)
        parameters = self._parameters(prepared, params)
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(prepared.sql, parameters)
            row = cursor.fetchone()
            if row is None:
                return None
            processors = self._result_processors(dialect, prepared, cursor)
        except connection.dialect.loaded_dbapi.Error as exc:
            _raise(connection, exc, prepared.sql, parameters, cursor)
        finally:
            _close(cursor)
        return tuple(p(v) if p is not None else v for p, v in zip(processors, row, strict=True))


def driver_sql(connection: Connection, sql: str) -> None:
    """Run *sql* (no parameters, no result) on the connection's driver connection itself."""
    dbapi_connection: Any = connection.connection.dbapi_connection
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(sql)
    except connection.dialect.loaded_dbapi.Error as exc:
        _raise(connection, exc, sql, (), cursor)
    finally:
        _close(cursor)


def _close(cursor: Any) -> None:
    """Close a cursor without hiding the error being raised (the connection may be gone)."""
    with contextlib.suppress(Exception):
        cursor.close()


def _raise(connection: Connection, exc: Exception, sql: str, params: Any, cursor: Any) -> NoReturn:
    """The driver's error as SQLAlchemy raises it; the connection invalidated if it is lost."""
    dialect = connection.dialect
    error = dialect.loaded_dbapi.Error
    lost = dialect.is_disconnect(exc, connection.connection.dbapi_connection, cursor)  # type: ignore[arg-type]
    wrapped = DBAPIError.instance(
        sql, params, exc, error, hide_parameters=connection.engine.hide_parameters,
        connection_invalidated=lost, dialect=dialect,
    )  # fmt: skip
    if lost:
        connection.invalidate(exc)
    raise wrapped from exc
