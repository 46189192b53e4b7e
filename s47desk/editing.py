"""Edits to a meeting, saved one transaction at a time and settled per field.

An edit names its row by uid and carries the value it replaces: when it is saved, a field that
still holds that value (or already holds the new one) takes it; a field someone else changed
meanwhile is a :class:`Conflict` — shown to the person, never overwritten and never thrown
away. Two people editing different fields of one meeting therefore never conflict.

Values are in their stored JSON form (dates as ISO text, vocabularies as their values), so the
same edits go into the recovery journal and come back out unchanged. Saving re-reads the
meeting's status inside the committing transaction (with a row lock on PostgreSQL): a window
that has not yet seen the meeting signed cannot write to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Table, bindparam, select, update
from sqlalchemy import Enum as SAEnum
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from s47desk import audit
from s47desk.direct import Direct
from s47desk.errors import UserError
from s47desk.models import (
    Action,
    Attendee,
    Child,
    Decision,
    Dissent,
    InformationItem,
    Meeting,
    utcnow,
)
from s47desk.vocab import MeetingStatus

TABLES: dict[str, Table] = {
    model.__tablename__: model.__table__  # type: ignore[misc]
    for model in (Meeting, Child, Attendee, InformationItem, Decision, Dissent, Action)
}
MEETING = TABLES["meeting"]
_AUDIT = audit.AUDIT
LOCKED = (MeetingStatus.SIGNED.value, MeetingStatus.CIRCULATED.value)
DETAIL = "details."
#: Columns that are the database's business, never edited (ids, links, bookkeeping).
NOT_EDITABLE = frozenset(
    {"id", "uid", "meeting_id", "child_id", "revision", "audit_head", "created_at", "updated_at"}
)
#: Only ever set by the application as a whole: ordering is last-writer-wins.
UNCHECKED = frozenset({"position"})


# -- values -----------------------------------------------------------------------------------
def encode(value: Any) -> Any:
    """A Python value in the form an edit carries (and the journal stores)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(table: str, column: str, value: Any) -> Any:
    """The stored form back to what the column takes."""
    if value is None:
        return None
    kind = TABLES[table].c[column].type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, SAEnum) and kind.enum_class is not None:
        return kind.enum_class(value)
    if isinstance(kind, Boolean):
        return bool(value)
    return value


# -- edits ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldEdit:
    """Set one value of one row. *column* is a column name, ``details.<key>`` for a decision's
    detail, or ``child`` (an action's child, by uid)."""

    table: str
    uid: str
    column: str
    old: Any
    new: Any
    label: str = ""  # what people call the field, for conflicts and the audit trail
    # Values this field held on the way from *old* to *new* by this person's own edits (a
    # replayed journal): finding one of them stored means the replay was cut short, not that
    # someone else changed the field.
    ours: tuple[Any, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.uid, self.column)

    def as_json(self) -> dict[str, Any]:
        return {"op": "set", "table": self.table, "uid": self.uid, "column": self.column,
                "old": self.old, "new": self.new, "label": self.label}  # fmt: skip


@dataclass(frozen=True)
class RowInsert:
    """Add a row (its columns in stored form; an action's child by uid as ``child``)."""

    table: str
    uid: str
    values: dict[str, Any]
    label: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"op": "insert", "table": self.table, "uid": self.uid, "values": self.values,
                "label": self.label}  # fmt: skip


@dataclass(frozen=True)
class RowDelete:
    """Remove a row (*values*: the row as it was, for the audit trail)."""

    table: str
    uid: str
    values: dict[str, Any] = field(default_factory=dict)
    label: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"op": "delete", "table": self.table, "uid": self.uid, "values": self.values,
                "label": self.label}  # fmt: skip


Edit = FieldEdit | RowInsert | RowDelete


def edit_from_json(data: Mapping[str, Any]) -> Edit:
    op, table, uid = data["op"], data["table"], data["uid"]
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    label = str(data.get("label", ""))
    if op == "set":
        return FieldEdit(table, uid, data["column"], data["old"], data["new"], label)
    if op == "insert":
        return RowInsert(table, uid, dict(data["values"]), label)
    if op == "delete":
        return RowDelete(table, uid, dict(data.get("values", {})), label)
    raise ValueError(f"unknown edit {op!r}")


def collapse(edits: Sequence[Edit]) -> list[Edit]:
    """A journal's edits as one change per field, at the field's first place: from the first
    old value to the last new one, every value between kept as *ours*. Replaying a journal that
    a crash cut short then finds each field either as it was, part-way (ours) or done."""
    out: list[Edit] = []
    at: dict[tuple[str, str], int] = {}
    for e in edits:
        if not isinstance(e, FieldEdit):
            out.append(e)
        elif e.key not in at:
            at[e.key] = len(out)
            out.append(e)
        else:
            first = out[at[e.key]]
            assert isinstance(first, FieldEdit)
            out[at[e.key]] = FieldEdit(
                e.table, e.uid, e.column, first.old, e.new, e.label or first.label,
                (*first.ours, first.new),
            )  # fmt: skip
    return out


def coalesce(edits: Sequence[Edit]) -> list[Edit]:
    """Typing a phrase is one edit of a field, not one per letter: consecutive edits of the same
    field keep the first old value and the last new one."""
    out: list[Edit] = []
    for e in edits:
        last = out[-1] if out else None
        if isinstance(e, FieldEdit) and isinstance(last, FieldEdit) and last.key == e.key:
            out[-1] = FieldEdit(e.table, e.uid, e.column, last.old, e.new, e.label or last.label)
        else:
            out.append(e)
    return out


# -- saving -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Conflict:
    """An edit that could not be saved because someone else changed the same thing first."""

    edit: FieldEdit
    theirs: Any  # the value stored now (None when the row was removed)
    removed: bool = False


@dataclass(frozen=True)
class Saved:
    """What one save did: the meeting's revision before and after, and any conflicts."""

    revision_before: int
    revision_after: int
    conflicts: tuple[Conflict, ...] = ()
    status: str = ""


class SaveFailed(UserError):
    """The database could not take the edits now (locked, read-only, full, server gone);
    nothing was written and the edits can be saved again later."""


class MeetingLocked(UserError):
    """The meeting was signed (perhaps in another window): it can no longer be edited."""


class MeetingGone(UserError):
    """The meeting is not in the database any more."""


def plain_reason(exc: DBAPIError) -> str:
    """Why the database refused, in words, without anything from the statement."""
    text = str(exc.orig).splitlines()[0] if exc.orig is not None else type(exc).__name__
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return "the database is busy (another program is writing to it)"
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        return "the database file cannot be written (it is read-only)"
    if "disk" in lowered and "full" in lowered:
        return "the disk is full"
    if "connect" in lowered or "server" in lowered or "terminat" in lowered:
        return "the database server cannot be reached"
    return text


# -- statements, made once -----------------------------------------------------------------
# Every save runs the same few statements; building each anew (and working out its cache key)
# cost more than the database did. Made on first use with bound parameters, and kept.
_STATEMENTS: dict[tuple[str, ...], Any] = {}


def _statement(key: tuple[str, ...], make: Any) -> Any:
    found = _STATEMENTS.get(key)
    if found is None:
        found = _STATEMENTS[key] = make()
    return found


def _where(t: Table, table: str) -> list[Any]:
    """The row an edit names: by uid, and (for a row of a meeting) in that meeting."""
    where = [t.c.uid == bindparam("s47_uid")]
    if table != "meeting":
        where.append(t.c.meeting_id == bindparam("s47_meeting"))
    return where


#: The id each meeting uid was last found at: a hint, checked by every use (the row must still
#: have that uid), so that the save finds the meeting by its primary key and not by the uid's
#: index, two pages fewer to read after another connection wrote. Bounded; cleared when full.
_MEETING_IDS: dict[str, int] = {}
_MEETING_IDS_MOST = 10_000


def _meeting_row(connection: Connection, meeting_uid: str, columns: tuple[str, ...]) -> Any:
    """The meeting's id, status, revision and audit head, its audit trail's last entry (seq and
    hash) and the stored values of *columns*: one statement (a second when the id hint misses),
    with a row lock on PostgreSQL."""
    postgresql = connection.dialect.name == "postgresql"

    def make(by_id: bool) -> Direct:
        def last(column: Any) -> Any:
            return (
                select(column)
                .where(_AUDIT.c.meeting_uid == MEETING.c.uid)
                .order_by(_AUDIT.c.seq.desc())
                .limit(1)
                .scalar_subquery()
            )

        query = select(
            MEETING.c.id,
            MEETING.c.status,
            MEETING.c.revision,
            MEETING.c.audit_head,
            last(_AUDIT.c.seq),
            last(_AUDIT.c.hash),
            *(MEETING.c[name] for name in columns),
        ).where(MEETING.c.uid == bindparam("s47_uid"))
        if by_id:
            query = query.where(MEETING.c.id == bindparam("s47_meeting"))
        keys = ["s47_uid", "s47_meeting"] if by_id else ["s47_uid"]
        return Direct(query.with_for_update() if postgresql else query, keys)

    hint = _MEETING_IDS.get(meeting_uid)
    if hint is not None:
        by_id = _statement(("meeting_row_by_id", str(postgresql), *columns), lambda: make(True))
        row = by_id.first(connection, {"s47_uid": meeting_uid, "s47_meeting": hint})
        if row is not None:
            return row
    by_uid = _statement(("meeting_row", str(postgresql), *columns), lambda: make(False))
    row = by_uid.first(connection, {"s47_uid": meeting_uid})
    if row is not None:
        if len(_MEETING_IDS) >= _MEETING_IDS_MOST:
            _MEETING_IDS.clear()
        _MEETING_IDS[meeting_uid] = row[0]
    return row


def _row_id(connection: Connection, table: str, uid: str, meeting_id: int) -> int | None:
    t = TABLES[table]
    query = _statement(("row_id", table), lambda: select(t.c.id).where(*_where(t, "row")))
    return connection.execute(query, {"s47_uid": uid, "s47_meeting": meeting_id}).scalar()


def _child_id(connection: Connection, child_uid: Any, meeting_id: int) -> int | None:
    return _row_id(connection, "child", child_uid, meeting_id) if child_uid else None


def _params(edit: FieldEdit | RowDelete, meeting_id: int) -> dict[str, Any]:
    return {"s47_uid": edit.uid, "s47_meeting": meeting_id}


def _current(connection: Connection, edit: FieldEdit, meeting_id: int) -> tuple[bool, Any]:
    """(row exists, value stored now) in edit form."""
    t = TABLES[edit.table]
    params = _params(edit, meeting_id)
    if edit.column == "child":
        child = TABLES["child"]
        query = _statement(
            ("current_child", edit.table),
            lambda: (
                select(child.c.uid)
                .select_from(t.outerjoin(child, t.c.child_id == child.c.id))
                .where(*_where(t, edit.table))
            ),
        )
        row = connection.execute(query, params).first()
        ids = _statement(
            ("exists", edit.table), lambda: select(t.c.id).where(*_where(t, edit.table))
        )
        exists = connection.execute(ids, params).first() is not None
        return exists, (row[0] if row else None)
    column = "details" if edit.column.startswith(DETAIL) else edit.column
    query = _statement(
        ("current", edit.table, column),
        lambda: select(t.c[column]).where(*_where(t, edit.table)),
    )
    row = connection.execute(query, params).first()
    if row is None:
        return False, None
    value = row[0]
    if edit.column.startswith(DETAIL):
        return True, (value or {}).get(edit.column.removeprefix(DETAIL), "")
    return True, encode(value)


def _same(a: Any, b: Any) -> bool:
    """Empty text and nothing are the same to a person (a detail not given, a field cleared)."""
    return (a if a not in ("", None) else None) == (b if b not in ("", None) else None)


def _write(connection: Connection, edit: FieldEdit, meeting_id: int) -> None:
    t = TABLES[edit.table]
    params = _params(edit, meeting_id)
    if edit.column == "child":
        values: dict[str, Any] = {"child_id": _child_id(connection, edit.new, meeting_id)}
    elif edit.column.startswith(DETAIL):
        query = _statement(
            ("current", edit.table, "details"),
            lambda: select(t.c.details).where(*_where(t, edit.table)),
        )
        stored = connection.execute(query, params).scalar() or {}
        details = dict(stored)
        key = edit.column.removeprefix(DETAIL)
        if edit.new in ("", None):
            details.pop(key, None)
        else:
            details[key] = edit.new
        values = {"details": details}
    else:
        values = {edit.column: decode(edit.table, edit.column, edit.new)}
    if edit.table == "meeting":
        values["updated_at"] = utcnow()
    names = tuple(sorted(values))
    statement = _statement(
        ("write", edit.table, *names),
        lambda: (
            update(t)
            .where(*_where(t, edit.table))
            .values({name: bindparam(f"s47_set_{name}", type_=t.c[name].type) for name in names})
        ),
    )
    params.update({f"s47_set_{name}": value for name, value in values.items()})
    connection.execute(statement, params)


def _insert(connection: Connection, edit: RowInsert, meeting_id: int) -> bool:
    t = TABLES[edit.table]
    if connection.execute(select(t.c.id).where(t.c.uid == edit.uid)).first() is not None:
        return False  # already stored (a replayed journal, or the same decision started twice)
    values = {k: decode(edit.table, k, v) for k, v in edit.values.items() if k != "child"}
    if edit.table == "action":
        values["child_id"] = _child_id(connection, edit.values.get("child"), meeting_id)
    connection.execute(t.insert().values(**values, uid=edit.uid, meeting_id=meeting_id))
    return True


def _delete(connection: Connection, edit: RowDelete, meeting_id: int) -> bool:
    t = TABLES[edit.table]
    result = connection.execute(t.delete().where(t.c.uid == edit.uid, t.c.meeting_id == meeting_id))
    return bool(result.rowcount)


def _audit(edit: Edit) -> audit.Change:
    if isinstance(edit, FieldEdit):
        return audit.Change(
            "edit", edit.label or f"{edit.table}.{edit.column}", edit.uid,
            audit.as_text(edit.old), audit.as_text(edit.new),
        )  # fmt: skip
    if isinstance(edit, RowInsert):
        return audit.Change(
            "add", edit.label or edit.table, edit.uid, "", audit.as_text(edit.values)
        )
    return audit.Change(
        "remove", edit.label or edit.table, edit.uid, audit.as_text(edit.values), ""
    )


def _prefetched(edits: Sequence[Edit]) -> tuple[str, ...]:
    """The meeting's own columns that *edits* set (but status, read anyway): read with the
    meeting row rather than one statement each."""
    return tuple(
        sorted(
            {
                e.column
                for e in edits
                if isinstance(e, FieldEdit)
                and e.table == "meeting"
                and e.column != "status"
                and e.column in MEETING.c
            }
        )
    )


def _meeting_update(connection: Connection, meeting_id: int, values: Mapping[str, Any]) -> None:
    """UPDATE the meeting (by id) setting *values* (its own columns and its bookkeeping)."""
    names = tuple(sorted(values))
    statement = _statement(
        ("meeting_update", *names),
        lambda: Direct(
            update(MEETING)
            .where(MEETING.c.id == bindparam("s47_meeting"))
            .values(
                {name: bindparam(f"s47_set_{name}", type_=MEETING.c[name].type) for name in names}
            ),
            ["s47_meeting", *(f"s47_set_{name}" for name in names)],
        ),
    )
    params = {f"s47_set_{name}": value for name, value in values.items()}
    statement.execute(connection, {"s47_meeting": meeting_id, **params})


class _MeetingWrites:
    """The meeting's own columns a save sets, held back to be written by the one UPDATE that
    records the save's revision and audit head (two statements fewer per autosave).

    Held back only while nothing could see the difference: before any other statement of the
    save (another row's edit, or reading a column this save already set) they are written, so
    every statement sees what it would have seen had each edit been written at once.
    """

    def __init__(self, connection: Connection, meeting_id: int, known: dict[str, Any]) -> None:
        self.connection = connection
        self.meeting_id = meeting_id
        #: values (as the columns give them) read with the meeting row and not set since
        self.known = known
        self.held: dict[str, Any] = {}
        self.when: datetime | None = None  # when the last held value was set

    def current(self, edit: Edit) -> tuple[bool, Any] | None:
        """(True, value stored now) in edit form, for an edit of a meeting column read with the
        meeting row (and not set since); else None."""
        if isinstance(edit, FieldEdit) and edit.table == "meeting" and edit.column in self.known:
            return True, encode(self.known[edit.column])
        return None

    def hold(self, edit: FieldEdit) -> None:
        self.known.pop(edit.column, None)
        self.held[edit.column] = decode(edit.table, edit.column, edit.new)
        self.when = utcnow()  # as _write sets updated_at: the time of the meeting's last write

    def flush(self) -> None:
        """Write what is held back (with the time, as every write of the meeting sets it)."""
        if self.held:
            self.finish({})

    def finish(self, bookkeeping: Mapping[str, Any]) -> None:
        """Write what is held back and *bookkeeping* (revision, audit head) in one UPDATE,
        with the time of the meeting's last write (the column's onupdate, made explicit)."""
        if not self.held and not bookkeeping:
            return
        values = {**bookkeeping, **self.held, "updated_at": self.when or utcnow()}
        self.held, self.when = {}, None
        _meeting_update(self.connection, self.meeting_id, values)


def apply_edits(
    connection: Connection, meeting_uid: str, edits: Sequence[Edit], actor: audit.Actor
) -> Saved:
    """Apply *edits* in order inside the caller's write transaction.

    Raises MeetingGone, MeetingLocked (nothing written), or lets the database's own errors
    through for the caller to turn into SaveFailed. Conflicting field edits are left out and
    returned; everything else is written, with one audit entry each.
    """
    columns = _prefetched(edits)
    row = _meeting_row(connection, meeting_uid, columns)
    if row is None:
        raise MeetingGone("This meeting is no longer in the database.")
    meeting_id, stored_status, revision, audit_head, last_seq, last_hash = row[:6]
    status = str(stored_status)  # as it is now, inside this transaction
    if stored_status in LOCKED:
        raise MeetingLocked(
            "This meeting has been signed, so it can no longer be changed: record an amendment."
        )
    meeting = _MeetingWrites(
        connection,
        meeting_id,
        {"status": stored_status, **dict(zip(columns, row[6:], strict=True))},
    )
    conflicts: list[Conflict] = []
    changes: list[audit.Change] = []
    for edit in edits:
        found = meeting.current(edit)
        if found is None:
            meeting.flush()  # whatever runs next sees the meeting as written so far
        if isinstance(edit, RowInsert):
            if _insert(connection, edit, meeting_id):
                changes.append(_audit(edit))
        elif isinstance(edit, RowDelete):
            if _delete(connection, edit, meeting_id):
                changes.append(_audit(edit))
        elif edit.table == "meeting" and edit.column == "status" and edit.new in LOCKED:
            raise MeetingLocked("A meeting is signed only by the chair's sign-off.")
        else:
            exists, theirs = found if found is not None else _current(connection, edit, meeting_id)
            if not exists:
                conflicts.append(Conflict(edit, None, removed=True))
            elif _same(theirs, edit.new):
                continue  # already so (a replay, or both typed the same)
            elif (
                edit.column in UNCHECKED
                or _same(theirs, edit.old)
                or any(_same(theirs, v) for v in edit.ours)
            ):
                if found is not None:
                    meeting.hold(edit)
                else:
                    _write(connection, edit, meeting_id)
                if edit.table == "meeting" and edit.column == "status":
                    status = str(edit.new)  # what the meeting's status is now
                if edit.column not in UNCHECKED:
                    changes.append(_audit(edit))
            else:
                conflicts.append(Conflict(edit, theirs))
    if changes or any(isinstance(e, FieldEdit) and e.column in UNCHECKED for e in edits):
        bookkeeping: dict[str, Any] = {"revision": revision + 1}
        if changes:
            seq, head = _audit_last(connection, meeting_uid, audit_head, last_seq, last_hash)
            rows, bookkeeping["audit_head"] = audit.chain_rows(
                meeting_uid, seq, head, changes, actor
            )
            keys = tuple(rows[0])
            insert = _statement(
                ("audit_insert", *keys), lambda: Direct(_AUDIT.insert().inline(), keys)
            )
            insert.executemany(connection, rows)
        meeting.finish(bookkeeping)
        return Saved(revision, revision + 1, tuple(conflicts), status)
    meeting.finish({})  # nothing held back can be left here, but never drop a write
    return Saved(revision, revision, tuple(conflicts), status)


def _audit_last(
    connection: Connection, meeting_uid: str, audit_head: str, seq: int | None, head: str | None
) -> tuple[int, str]:
    """The trail's last entry (seq, hash) to chain on, as read with the meeting row.

    Trusted only when it is where the meeting says its trail ends: on PostgreSQL a statement
    that waited for the meeting's row lock sees the row as the other writer left it but other
    tables as they were before, so an entry that writer added would be missing. Then (or for a
    meeting whose head was never recorded) the trail is read again, as ``audit.append`` does.
    """
    if (head or "") == audit_head:
        return (seq or 0), (head or "")
    last_query = _statement(
        ("audit_last",),
        lambda: (
            select(_AUDIT.c.seq, _AUDIT.c.hash)
            .where(_AUDIT.c.meeting_uid == bindparam("s47_uid"))
            .order_by(_AUDIT.c.seq.desc())
            .limit(1)
        ),
    )
    last = connection.execute(last_query, {"s47_uid": meeting_uid}).first()
    return (last[0], last[1]) if last else (0, "")


def save_edits(db: Any, meeting_uid: str, edits: Sequence[Edit], actor: audit.Actor) -> Saved:
    """One committed transaction for *edits*; SaveFailed when the database cannot take them."""
    try:
        with db.write() as connection:
            return apply_edits(connection, meeting_uid, edits, actor)
    except IntegrityError as exc:
        if "signed" in str(exc.orig):  # the database's own lock (a trigger) refused
            raise MeetingLocked(
                "This meeting has been signed, so it can no longer be changed: record an amendment."
            ) from None
        raise SaveFailed(f"the database refused the change ({plain_reason(exc)})") from None
    except OperationalError as exc:
        raise SaveFailed(plain_reason(exc)) from None
    except DBAPIError as exc:
        raise SaveFailed(plain_reason(exc)) from None
