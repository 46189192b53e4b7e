"""Meetings read in bulk as plain rows (SQLAlchemy Core, no ORM objects), for the list.

The list of meetings needs, for every meeting, what its next deadline is and whether a signed
record still says what its chair signed. Building ORM graphs for that costs seconds at 10,000
meetings; here each table is read once, with one statement, and its rows grouped by meeting.

:class:`PlainMeeting` stands in for a :class:`~s47desk.models.Meeting` where the rules read one
(``deadlines.meeting_inputs`` and ``meeting_deadlines``): every column of the meeting is an
attribute, as on the model, and so are the collections the rules read (children, decisions,
actions, the initiating meeting). A new deadline input that is a meeting column needs nothing
here; one from a collection is added to ``NEEDED`` below — the one place.

:func:`content_document` builds, from the same rows, the meeting-file document that
``meetingfile.writer.meeting_document`` builds from a graph, so that the content fingerprint
(s47desk.record.fingerprint) computed from it is byte for byte the one the chair signed.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from itertools import groupby
from operator import attrgetter
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Enum,
    Integer,
    Row,
    String,
    Table,
    Text,
    select,
    type_coerce,
)

from s47desk.meetingfile.schema import COLLECTIONS, FORMAT, FORMAT_VERSION, attributes
from s47desk.meetingfile.writer import _value
from s47desk.models import (
    Action,
    Attendee,
    Base,
    Child,
    Decision,
    Dissent,
    InformationItem,
    Meeting,
    SignOff,
)
from s47desk.record.fingerprint import CONTENT_VERSION, canonical_content
from s47desk.vocab import MeetingStatus

if TYPE_CHECKING:
    from s47desk.models import Decision as DecisionModel

MEETING: Table = Meeting.__table__  # type: ignore[assignment]
LOCKED = (MeetingStatus.SIGNED.value, MeetingStatus.CIRCULATED.value)

#: Each collection of a meeting: its model, and the columns it is put in order by (as the
#: model's relationship orders it, then by id so that the order is always the same).
ORDER: dict[str, tuple[type[Base], tuple[str, ...]]] = {
    "children": (Child, ("position", "id")),
    "attendees": (Attendee, ("position", "id")),
    "information": (InformationItem, ("position", "id")),
    "decisions": (Decision, ("id",)),
    "dissents": (Dissent, ("id",)),
    "actions": (Action, ("position", "id")),
    "signoffs": (SignOff, ("id",)),
}
#: What the list and the deadline rules read of a meeting's collections — the one place a new
#: input from a collection is added. Meetings that are not signed are read with these columns
#: only (and every meeting column but long text); reading anything else from them is an
#: AttributeError, never a silent default. Signed meetings are read whole: their content is
#: checked against the chair's sign-off.
NEEDED: dict[str, tuple[str, ...]] = {
    "children": ("name", "role", "reference"),
    "decisions": ("kind", "choice", "details"),
    "actions": ("status", "due"),
}
#: The long-text meeting columns the deadline rules read (a lateness is explained or not).
NEEDED_TEXT = ("late_reason", "assessment_over_reason")


class _Initiating:
    """The initiating meeting, as much of it as a meeting's record reads."""

    __slots__ = ("held_at", "uid")

    def __init__(self, uid: str, held_at: Any) -> None:
        self.uid, self.held_at = uid, held_at

    @property
    def held_on(self) -> date | None:
        return self.held_at.date() if self.held_at else None


class _Decoded:
    """A row whose JSON columns were read as text (SQLite), decoded when first read."""

    __slots__ = ("_decode", "_json", "_row")

    def __init__(self, row: Row[Any], json_columns: frozenset[str], decode: Any) -> None:
        self._row, self._json, self._decode = row._mapping, json_columns, decode

    def __getattr__(self, name: str) -> Any:
        try:
            value = self._row[name]
        except KeyError:
            raise AttributeError(name) from None
        if name in self._json and value is not None:
            return self._decode(value)
        return value


class PlainMeeting:
    """One meeting's rows: its columns as attributes (as on the model), and each collection
    read as an attribute too: a list of rows (``rows(name)`` for a collection by name)."""

    def __init__(self, row: Row[Any], keys: Sequence[str] | None = None) -> None:
        # With the statement's *keys* (read once for all its rows): a row's own mapping is
        # walked key by key in Python, a tenth of reading 10,000 meetings.
        self.__dict__.update(row._mapping if keys is None else zip(keys, row, strict=True))
        self.initiating_meeting: _Initiating | None = None
        self.circulated_on: date | None = None  # set by load, from the circulation log
        self._decode: Any = None  # decisions' details still JSON text (see load)

    def set_rows(self, collection: str, rows: list[Any]) -> None:
        if collection == "decisions" and self._decode is not None:
            self.__dict__["_raw_decisions"] = rows
        else:
            self.__dict__[collection] = rows

    def __getattr__(self, name: str) -> Any:  # only for what is not set: see set_rows
        if name == "decisions" and "_raw_decisions" in self.__dict__:
            rows = [_Decoded(r, _DETAILS, self._decode) for r in self.__dict__["_raw_decisions"]]
            self.__dict__["decisions"] = rows
            return rows
        raise AttributeError(name)

    def column(self, name: str) -> Any:
        return self.__dict__[name]

    def rows(self, collection: str) -> list[Any]:
        found: list[Any] = getattr(self, collection, [])
        return found

    # The model's own definitions, so the rules read exactly what they read on a Meeting.
    @property
    def held_on(self) -> date | None:
        return cast(date | None, _held_on(self.as_meeting()))

    @property
    def is_locked(self) -> bool:
        return bool(self.__dict__["status"] in LOCKED)

    def decision(self, kind: str) -> DecisionModel | None:
        raw = self.__dict__.get("_raw_decisions")
        if raw is not None:  # decode only the one asked for
            kinds = self.__dict__.get("_decision_kinds")
            if kinds is None:  # the first of each kind, as the model finds it
                kinds = {}
                for r in raw:
                    kinds.setdefault(r.kind, r)
                self.__dict__["_decision_kinds"] = kinds
            row = kinds.get(kind)
            found = None if row is None else _Decoded(row, _DETAILS, self._decode)
            return cast("DecisionModel | None", found)
        return Meeting.decision(self.as_meeting(), kind)

    def display_name(self) -> str:
        return Meeting.display_name(self.as_meeting())

    def subject_children(self) -> list[Child]:
        return Meeting.subject_children(self.as_meeting())

    def as_meeting(self) -> Meeting:
        """This, typed as the Meeting the rules take (it answers what they read of one)."""
        return cast(Meeting, self)


_held_on: Any = Meeting.__dict__["held_on"].fget  # the model's property, reused
_DETAILS = frozenset({"details"})


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _json_decoder(connection: Connection) -> Any:
    """How the database's JSON text becomes values, as SQLAlchemy decodes it (SQLite only: a
    server database's driver hands over values already decoded)."""
    if connection.dialect.name != "sqlite":
        return None
    column = _table(Decision).c.details
    return column.type.dialect_impl(connection.dialect).result_processor(connection.dialect, None)


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while rows are read in bulk: they make no cycles,
    and without this it runs again and again over everything already in memory (it was more
    than half the time of reading 10,000 meetings)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load(
    connection: Connection, *, ids: Iterable[int] | None = None, whole: bool = False
) -> list[PlainMeeting]:
    """Every meeting (or those of *ids*), newest first: the columns and collections the list
    reads (``NEEDED``), and signed meetings whole (every collection, every column) — or every
    meeting whole, with *whole*.

    Run it in one read transaction (a session's or connection's): what is signed cannot change
    between the statements."""
    wanted = None if ids is None else sorted(set(ids))

    def meetings_where(signed: bool) -> Any:
        query = select(MEETING.c.id)
        if whole:
            query = query.where(MEETING.c.id.is_not(None) if signed else MEETING.c.id.is_(None))
        else:
            query = query.where(
                MEETING.c.status.in_(LOCKED) if signed else MEETING.c.status.not_in(LOCKED)
            )
        return query.where(MEETING.c.id.in_(wanted)) if wanted is not None else query

    short = [  # not the long texts, but those the rules read
        c for c in MEETING.c if not isinstance(c.type, Text) or c.name in NEEDED_TEXT
    ]
    plain = select(*short).where(MEETING.c.id.in_(meetings_where(False)))
    full = select(MEETING).where(MEETING.c.id.in_(meetings_where(True)))
    meetings, signed = _plain_meetings(connection, plain), _plain_meetings(connection, full)
    decode = _json_decoder(connection)
    for group, keys, is_signed in ((meetings, NEEDED, False), (signed, ORDER, True)):
        if not group:
            continue
        by_id = {m.column("id"): m for m in group}
        for m in group:
            if not is_signed and decode is not None:
                m._decode = decode
            for key in keys:
                m.set_rows(key, [])
        for key in keys:
            model, order = ORDER[key]
            table = _table(model)
            if is_signed:
                columns: list[Any] = list(table.c)
            else:
                columns = [table.c.meeting_id]
                for name in NEEDED[key]:
                    col = table.c[name]
                    columns.append(
                        type_coerce(col, Text) if decode and isinstance(col.type, JSON) else col
                    )
            query = (
                select(*columns)
                .where(table.c.meeting_id.in_(meetings_where(is_signed)))
                .order_by(table.c.meeting_id, *(table.c[n] for n in order))
            )
            for meeting_id, rows in groupby(connection.execute(query).all(), _MEETING_ID):
                owner = by_id.get(meeting_id)
                if owner is not None:
                    owner.set_rows(key, list(rows))
    everyone = sorted(meetings + signed, key=lambda m: -m.column("id"))
    initiating = {m.column("initiating_meeting_id") for m in everyone} - {None}
    if initiating:
        found = {
            row.id: _Initiating(row.uid, row.held_at)
            for row in connection.execute(
                select(MEETING.c.id, MEETING.c.uid, MEETING.c.held_at).where(
                    MEETING.c.id.in_(sorted(initiating))
                )
            )
        }
        for m in everyone:
            m.initiating_meeting = found.get(m.column("initiating_meeting_id"))
    _circulation_days(connection, everyone)
    return everyone


def _plain_meetings(connection: Connection, query: Any) -> list[PlainMeeting]:
    result = connection.execute(query)
    keys = list(result.keys())
    return [PlainMeeting(row, keys) for row in result.all()]


def _circulation_days(connection: Connection, meetings: list[PlainMeeting]) -> None:
    """When each circulated meeting's record version was last sent (deadlines._circulated_on
    reads it from the log for a graph; for rows it is read here, in the same transaction)."""
    from sqlalchemy import func

    from s47desk.models import Circulation

    circulated = {
        m.column("id"): m for m in meetings if m.column("status") == MeetingStatus.CIRCULATED.value
    }
    if not circulated:
        return
    log = _table(Circulation)
    query = (
        select(log.c.meeting_id, log.c.record_version, func.max(log.c.at))
        .where(log.c.meeting_id.in_(sorted(circulated)), log.c.method != "draft")
        .group_by(log.c.meeting_id, log.c.record_version)
    )
    for meeting_id, version, at in connection.execute(query):
        m = circulated[meeting_id]
        if at is not None and version == m.column("record_version"):
            m.circulated_on = at.date() if hasattr(at, "date") else None


_MEETING_ID = attrgetter("meeting_id")


# -- the content, as the meeting file holds it --------------------------------------------
_MEETING_ATTRIBUTES = attributes(Meeting)


def _needs_value(column: Any) -> bool:
    """Whether ``meetingfile.writer._value`` can change a value of *column*: it turns
    vocabularies, dates, times, lists and mappings into JSON values and returns everything
    else (text, numbers, booleans) as it is."""
    return not isinstance(column.type, String | Integer | Boolean) or isinstance(column.type, Enum)


def _layout(model: Any) -> list[tuple[str, int, bool]]:
    """(attribute, its place in a row of ``select(table)``, whether it needs _value)."""
    table = _table(model)
    place = {c.key: i for i, c in enumerate(table.c)}
    return [(k, place[k], _needs_value(table.c[k])) for k in attributes(model)]


_LAYOUT = {key: _layout(model) for key, (model, _r, _n) in COLLECTIONS.items()}
_MEETING_LAYOUT = [(k, _needs_value(MEETING.c[k])) for k in _MEETING_ATTRIBUTES]


class ForeignChild(ValueError):
    """An action names a child of another meeting: no meeting file can say that (the graph's
    writer would fail on it too), so such content never matches a sign-off."""


def content_document(meeting: PlainMeeting) -> dict[str, Any]:
    """The meeting-file document of *meeting* (without ``exported_at``, which is not content),
    as ``meeting_document`` makes it from the graph."""
    values = meeting.__dict__
    body = {
        key: _value(values[key]) if convert else values[key] for key, convert in _MEETING_LAYOUT
    }
    initiating = meeting.initiating_meeting
    body["initiating_meeting_uid"] = initiating.uid if initiating else None
    if initiating is not None and initiating.held_on is not None:
        body["initiating_held_on"] = initiating.held_on.isoformat()
    for key, layout in _LAYOUT.items():
        body[key] = [
            {name: _value(r[i]) if convert else r[i] for name, i, convert in layout}
            for r in meeting.rows(key)
        ]
    child_number = {r.id: n for n, r in enumerate(meeting.rows("children"), start=1)}
    for action, out in zip(meeting.rows("actions"), body["actions"], strict=True):
        if action.child_id is None:
            out["child"] = None
        elif action.child_id in child_number:
            out["child"] = child_number[action.child_id]
        else:
            raise ForeignChild(action.child_id)
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "meeting": body}


def content_fingerprint(meeting: PlainMeeting, version: int = CONTENT_VERSION) -> str:
    """record.fingerprint.content_fingerprint, from plain rows."""
    return hashlib.sha256(canonical_content(content_document(meeting), version)).hexdigest()
