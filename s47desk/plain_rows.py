"""Meetings as plain rows (no ORM objects), for the list: what is read of them, and how one
statement per table becomes one :class:`PlainMeeting` per meeting.

The list of meetings needs, for every meeting, what its next deadline is and whether a signed
record still says what its chair signed. Building ORM graphs for that costs seconds at 10,000
meetings; here each table is read once, with one statement, and its rows grouped by meeting.

The statements are SQLAlchemy Core statements built from the models (s47desk.meeting_rows);
they are run by SQLAlchemy (``meeting_rows.load``) or, for the command line on a SQLite file,
compiled once and run by sqlite3 (s47desk.list_read). Both hand their rows to
:func:`assemble`, so the meetings are put together one way. This module imports neither
SQLAlchemy nor the models.

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
import json
import numbers
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

from s47desk import meeting_facts
from s47desk.meetingfile.values import file_value
from s47desk.record.canonical import CONTENT_VERSION, canonical_content
from s47desk.vocab import MeetingStatus

if TYPE_CHECKING:
    from s47desk.models import Child, Meeting
    from s47desk.models import Decision as DecisionModel

LOCKED = (MeetingStatus.SIGNED.value, MeetingStatus.CIRCULATED.value)

#: Each collection of a meeting (in the meeting file's order), and the columns its rows are put
#: in order by: as the model's relationship orders them, then by id so the order is always
#: the same.
ORDER: dict[str, tuple[str, ...]] = {
    "children": ("position", "id"),
    "attendees": ("position", "id"),
    "information": ("position", "id"),
    "decisions": ("id",),
    "dissents": ("id",),
    "actions": ("position", "id"),
    "signoffs": ("id",),
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

#: The statements of one reading of the list, in the order assemble runs them.
STATEMENTS = (
    "meetings",
    "signed",
    *(f"meetings.{key}" for key in NEEDED),
    *(f"signed.{key}" for key in ORDER),
    "initiating",
    "circulation",
)
#: Runs one of the list's statements by name — "meetings" (not signed), "signed" (whole),
#: "meetings.<collection>", "signed.<collection>", "initiating" and "circulation", the last
#: two for the meeting ids given — and returns its column names and rows. The rows answer
#: their columns by attribute and by place.
Fetch = Callable[[str, Sequence[int]], tuple[Sequence[str], Sequence[Any]]]


@dataclass(frozen=True)
class Layout:
    """Where the meeting file's attributes are in the rows (made from the models by
    ``meeting_rows.layout``): for the meeting, (attribute, whether ``file_value`` can change
    it); for each collection, (attribute, its place in a whole row, the same)."""

    format: str
    format_version: int
    meeting: tuple[tuple[str, bool], ...]
    collections: dict[str, tuple[tuple[str, int, bool], ...]]
    part_collections: tuple[str, ...]  # record.fingerprint.PART_COLLECTIONS

    def as_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "format_version": self.format_version,
            "meeting": [list(m) for m in self.meeting],
            "collections": {k: [list(c) for c in v] for k, v in self.collections.items()},
            "part_collections": list(self.part_collections),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Layout:
        return cls(
            str(data["format"]),
            int(data["format_version"]),
            tuple((str(a), bool(c)) for a, c in data["meeting"]),
            {
                str(k): tuple((str(a), int(i), bool(c)) for a, i, c in v)
                for k, v in data["collections"].items()
            },
            tuple(str(k) for k in data["part_collections"]),
        )


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

    def __init__(self, row: Any, json_columns: frozenset[str], decode: Any) -> None:
        self._row, self._json, self._decode = row, json_columns, decode

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._row, name)  # AttributeError for a column that was not read
        if name in self._json and value is not None:
            return self._decode(value)
        return value


class PlainMeeting:
    """One meeting's rows: its columns as attributes (as on the model), and each collection
    read as an attribute too: a list of rows (``rows(name)`` for a collection by name)."""

    #: What deadlines._circulated_on asks: the circulation day is read with the rows.
    read_as_rows = True

    def __init__(self, row: Sequence[Any], keys: Sequence[str], layout: Layout) -> None:
        # With the statement's *keys* (read once for all its rows): a row's own mapping is
        # walked key by key in Python, a tenth of reading 10,000 meetings.
        self.__dict__.update(zip(keys, row, strict=True))
        self.initiating_meeting: _Initiating | None = None
        self.circulated_on: date | None = None  # set by assemble, from the circulation log
        self._decode: Any = None  # decisions' details still JSON text (see assemble)
        self._layout = layout

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

    # The model's own definitions (s47desk.meeting_facts), so the rules read exactly what
    # they read on a Meeting.
    @property
    def held_on(self) -> date | None:
        return meeting_facts.held_on(self)

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
        return cast("DecisionModel | None", meeting_facts.decision(self, kind))

    def display_name(self) -> str:
        return meeting_facts.display_name(self)

    def subject_children(self) -> list[Child]:
        return meeting_facts.subject_children(self)

    def as_meeting(self) -> Meeting:
        """This, typed as the Meeting the rules take (it answers what they read of one)."""
        return cast("Meeting", self)


_DETAILS = frozenset({"details"})


def json_value(text: Any) -> Any:
    """JSON text from SQLite as SQLAlchemy's SQLite JSON type decodes it (a number SQLite
    hands over as a number stays one)."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except TypeError:
        if isinstance(text, numbers.Number):
            return text
        raise


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


def assemble(fetch: Fetch, layout: Layout, decode: Any = None) -> list[PlainMeeting]:
    """The meetings the statements read, newest first: the meetings that are not signed with
    the collections the list reads (``NEEDED``), signed ones with every collection.

    *decode* is how decisions' details, read as JSON text, become values (None: the driver
    decoded them). Run every statement in one read transaction: what is signed cannot change
    between them."""
    meetings = _plain_meetings(fetch("meetings", ()), layout)
    signed = _plain_meetings(fetch("signed", ()), layout)
    for group, keys, prefix in ((meetings, NEEDED, "meetings"), (signed, ORDER, "signed")):
        if not group:
            continue
        by_id = {m.column("id"): m for m in group}
        for m in group:
            if prefix == "meetings" and decode is not None:
                m._decode = decode
            for key in keys:
                m.set_rows(key, [])
        for key in keys:
            names, rows = fetch(f"{prefix}.{key}", ())
            for meeting_id, found in groupby(rows, itemgetter(list(names).index("meeting_id"))):
                owner = by_id.get(meeting_id)
                if owner is not None:
                    owner.set_rows(key, list(found))
    everyone = sorted(meetings + signed, key=lambda m: -m.column("id"))
    initiating = {m.column("initiating_meeting_id") for m in everyone} - {None}
    if initiating:
        _names, rows = fetch("initiating", sorted(initiating))
        starts = {row.id: _Initiating(row.uid, row.held_at) for row in rows}
        for m in everyone:
            m.initiating_meeting = starts.get(m.column("initiating_meeting_id"))
    _circulation_days(fetch, everyone)
    return everyone


def _plain_meetings(
    read: tuple[Sequence[str], Sequence[Any]], layout: Layout
) -> list[PlainMeeting]:
    keys, rows = read
    return [PlainMeeting(row, keys, layout) for row in rows]


def _circulation_days(fetch: Fetch, meetings: list[PlainMeeting]) -> None:
    """When each circulated meeting's record version was last sent (deadlines._circulated_on
    reads it from the log for a graph; for rows it is read here, in the same transaction)."""
    circulated = {
        m.column("id"): m for m in meetings if m.column("status") == MeetingStatus.CIRCULATED.value
    }
    if not circulated:
        return
    _names, rows = fetch("circulation", sorted(circulated))
    for meeting_id, version, at in rows:
        m = circulated[meeting_id]
        if at is not None and version == m.column("record_version"):
            m.circulated_on = at.date() if hasattr(at, "date") else None


# -- the content, as the meeting file holds it --------------------------------------------
class ForeignChild(ValueError):
    """An action names a child of another meeting: no meeting file can say that (the graph's
    writer would fail on it too), so such content never matches a sign-off."""


def content_document(meeting: PlainMeeting) -> dict[str, Any]:
    """The meeting-file document of *meeting* (without ``exported_at``, which is not content),
    as ``meeting_document`` makes it from the graph."""
    layout = meeting._layout
    values = meeting.__dict__
    body = {
        key: file_value(values[key]) if convert else values[key] for key, convert in layout.meeting
    }
    initiating = meeting.initiating_meeting
    body["initiating_meeting_uid"] = initiating.uid if initiating else None
    if initiating is not None and initiating.held_on is not None:
        body["initiating_held_on"] = initiating.held_on.isoformat()
    for key, columns in layout.collections.items():
        body[key] = [
            {name: file_value(r[i]) if convert else r[i] for name, i, convert in columns}
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
    return {"format": layout.format, "format_version": layout.format_version, "meeting": body}


def content_fingerprint(meeting: PlainMeeting, version: int = CONTENT_VERSION) -> str:
    """record.fingerprint.content_fingerprint, from plain rows."""
    document = content_document(meeting)
    content = canonical_content(document, version, meeting._layout.part_collections)
    return hashlib.sha256(content).hexdigest()
