"""The list's statements: SQLAlchemy Core, one per table, built from the models' tables.

:func:`load` runs them through SQLAlchemy (the window, PostgreSQL, and any database the
command line does not read by itself); :func:`compile_plan` compiles the same statements once
to SQL text and says how each column's value is made, so that s47desk.list_read can run them
with sqlite3 alone, without importing SQLAlchemy. Either way the rows become meetings in
:func:`plain_rows.assemble` (what is read, and why, is described there).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from importlib import import_module
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Enum,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    func,
    select,
    type_coerce,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.expression import Select

from s47desk.models import Base, Circulation, Meeting
from s47desk.plain_rows import (
    LOCKED,
    NEEDED,
    NEEDED_TEXT,
    ORDER,
    STATEMENTS,
    ForeignChild,
    Layout,
    PlainMeeting,
    assemble,
    content_document,
    content_fingerprint,
    paused_gc,
)

__all__ = [
    "LOCKED",
    "MEETING",
    "NEEDED",
    "ORDER",
    "STATEMENTS",
    "ForeignChild",
    "PlainMeeting",
    "compile_plan",
    "content_document",
    "content_fingerprint",
    "layout",
    "load",
    "paused_gc",
    "statement",
]

MEETING: Table = Meeting.__table__  # type: ignore[assignment]


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _model(key: str) -> type[Base]:
    from s47desk.meetingfile.schema import COLLECTIONS

    return cast("type[Base]", COLLECTIONS[key][0])


def _meetings_where(signed: bool, wanted: list[int] | None, whole: bool) -> Select[Any]:
    query = select(MEETING.c.id)
    if whole:
        query = query.where(MEETING.c.id.is_not(None) if signed else MEETING.c.id.is_(None))
    else:
        query = query.where(
            MEETING.c.status.in_(LOCKED) if signed else MEETING.c.status.not_in(LOCKED)
        )
    return query.where(MEETING.c.id.in_(wanted)) if wanted is not None else query


def statement(
    name: str, *, wanted: list[int] | None = None, whole: bool = False, as_text: bool = False
) -> Select[Any]:
    """One of the list's statements (plain_rows.Fetch names them): of every meeting, or of
    those in *wanted*; with *whole*, every meeting read whole. With *as_text*, decisions'
    details of meetings not signed are read as JSON text, decoded only when asked for."""
    if name == "meetings":
        short = [  # not the long texts, but those the rules read
            c for c in MEETING.c if not isinstance(c.type, Text) or c.name in NEEDED_TEXT
        ]
        return select(*short).where(MEETING.c.id.in_(_meetings_where(False, wanted, whole)))
    if name == "signed":
        return select(MEETING).where(MEETING.c.id.in_(_meetings_where(True, wanted, whole)))
    ids: Any = bindparam("ids", expanding=True)  # the meetings plain_rows.assemble asks about
    if name == "initiating":
        return select(MEETING.c.id, MEETING.c.uid, MEETING.c.held_at).where(MEETING.c.id.in_(ids))
    if name == "circulation":
        log = _table(Circulation)
        return (
            select(log.c.meeting_id, log.c.record_version, func.max(log.c.at))
            .where(log.c.meeting_id.in_(ids), log.c.method != "draft")
            .group_by(log.c.meeting_id, log.c.record_version)
        )
    group, key = name.split(".")
    signed = group == "signed"
    table = _table(_model(key))
    if signed:
        columns: list[Any] = list(table.c)
    else:
        columns = [table.c.meeting_id]
        for column_name in NEEDED[key]:
            col = table.c[column_name]
            columns.append(
                type_coerce(col, Text) if as_text and isinstance(col.type, JSON) else col
            )
    return (
        select(*columns)
        .where(table.c.meeting_id.in_(_meetings_where(signed, wanted, whole)))
        .order_by(table.c.meeting_id, *(table.c[n] for n in ORDER[key]))
    )


def _json_decoder(connection: Connection) -> Any:
    """How the database's JSON text becomes values, as SQLAlchemy decodes it (SQLite only: a
    server database's driver hands over values already decoded)."""
    if connection.dialect.name != "sqlite":
        return None
    column = _table(_model("decisions")).c.details
    return column.type.dialect_impl(connection.dialect).result_processor(connection.dialect, None)


def load(
    connection: Connection, *, ids: Iterable[int] | None = None, whole: bool = False
) -> list[PlainMeeting]:
    """Every meeting (or those of *ids*), newest first: the columns and collections the list
    reads (``NEEDED``), and signed meetings whole (every collection, every column) — or every
    meeting whole, with *whole*.

    Run it in one read transaction (a session's or connection's): what is signed cannot change
    between the statements."""
    wanted = None if ids is None else sorted(set(ids))
    decode = _json_decoder(connection)

    def fetch(name: str, meeting_ids: Sequence[int]) -> tuple[list[str], list[Any]]:
        query = statement(name, wanted=wanted, whole=whole, as_text=decode is not None)
        result = connection.execute(query, {"ids": list(meeting_ids)} if meeting_ids else {})
        return list(result.keys()), list(result.all())

    return assemble(fetch, layout(), decode)


# -- the content, as the meeting file holds it --------------------------------------------
def _needs_value(column: Any) -> bool:
    """Whether ``meetingfile.values.file_value`` can change a value of *column*: it turns
    vocabularies, dates, times, lists and mappings into JSON values and returns everything
    else (text, numbers, booleans) as it is."""
    return not isinstance(column.type, String | Integer | Boolean) or isinstance(column.type, Enum)


@cache
def layout() -> Layout:
    """Where the meeting file's attributes are in the rows of the statements above."""
    from s47desk.meetingfile.schema import COLLECTIONS, FORMAT, FORMAT_VERSION, attributes
    from s47desk.record.fingerprint import PART_COLLECTIONS

    def places(model: Any) -> tuple[tuple[str, int, bool], ...]:
        table = _table(model)
        place = {c.key: i for i, c in enumerate(table.c)}
        return tuple((k, place[k], _needs_value(table.c[k])) for k in attributes(model))

    return Layout(
        FORMAT,
        FORMAT_VERSION,
        tuple((k, _needs_value(MEETING.c[k])) for k in attributes(Meeting)),
        {key: places(model) for key, (model, _r, _n) in COLLECTIONS.items()},
        tuple(PART_COLLECTIONS),
    )


# -- the same statements for sqlite3 ------------------------------------------------------
def compile_plan(dialect: Dialect) -> dict[str, Any] | None:
    """The list's statements compiled by *dialect* (SQLite's), for s47desk.list_read: for
    each, its SQL text, its parameters in order (values, bound as SQLAlchemy binds them, or
    the meeting ids asked about) and how each column's value is made, as SQLAlchemy makes it.
    With the layout of the rows. None if anything is not one list_read does exactly as
    SQLAlchemy does (then the list is always read through SQLAlchemy)."""
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark":
        return None
    statements: dict[str, Any] = {}
    for name in STATEMENTS:
        query = statement(name, as_text=True)
        compiled = query.compile(dialect=dialect)
        sql = compiled.string
        params: list[dict[str, Any]] = []
        for bind_name in compiled.positiontup or ():
            bind = compiled.binds[bind_name]
            processor: Any = bind.type.dialect_impl(dialect).bind_processor(dialect)
            bound: Any = processor or (lambda value: value)
            if bind.literal_execute or bind.callable is not None:
                return None
            if not bind.expanding:
                params.append({"value": bound(bind.effective_value)})
                continue
            marker = f"__[POSTCOMPILE_{bind_name}]"
            if sql.count(marker) != 1:
                return None
            if bind_name == "ids":
                if processor is not None:
                    return None
                params.append({"marker": marker, "ids": True})
            else:
                params.append({"marker": marker, "values": [bound(v) for v in bind.value or ()]})
        kinds = [_kind(column.type, dialect) for column in query.selected_columns]
        if any(k is False for k in kinds):
            return None
        statements[name] = {
            "sql": sql,
            "params": params,
            "keys": list(query.selected_columns.keys()),
            "kinds": kinds,
        }
    return {"layout": layout().as_json(), "statements": statements}


_SAMPLES: list[tuple[type[Any], str, Any, list[tuple[Any, Any]]]] = [
    (Boolean, "bool", None, [(1, True), (0, False)]),
    (DateTime, "datetime", None, [
        ("2026-11-23 10:30:00.000000", datetime(2026, 11, 23, 10, 30)),
        ("2026-11-23 10:30:05.000012", datetime(2026, 11, 23, 10, 30, 5, 12)),
    ]),
    (Date, "date", None, [("2026-11-23", date(2026, 11, 23))]),
    (JSON, "json", None, [('{"a": [1, "b"]}', {"a": [1, "b"]}), ("[]", []), ("null", None)]),
]  # fmt: skip


def _kind(column_type: Any, dialect: Dialect) -> Any:
    """How list_read makes a column's value: None (as the driver gives it), "bool", "date",
    "datetime", "json", or ["enum", module, class, [[stored value, member name], ...]];
    False for a type it does not know. Each is checked against SQLAlchemy's own result
    processor for the type, on sample values."""
    processor = column_type.dialect_impl(dialect).result_processor(dialect, None)
    if processor is None:
        return None
    if isinstance(column_type, Enum) and column_type.enum_class is not None:
        cls = column_type.enum_class
        if getattr(import_module(cls.__module__), cls.__qualname__, None) is not cls:
            return False  # list_read finds the class again by its module and name
        pairs = [[value, processor(value).name] for value in column_type.enums]
        if processor(None) is not None or any(processor(v) is not cls[n] for v, n in pairs):
            return False
        return ["enum", cls.__module__, cls.__qualname__, pairs]
    for sa_type, kind, none, samples in _SAMPLES:
        if isinstance(column_type, sa_type):
            ok = processor(None) is none and all(
                processor(raw) == value and type(processor(raw)) is type(value)
                for raw, value in samples
            )
            return kind if ok else False
    return False
