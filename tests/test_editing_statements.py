"""The autosave's own statement path, on SQLite and on a real PostgreSQL server.

A save reads the meeting (status, revision, audit head, the trail's last entry and the fields
it edits) in one statement, holds the meeting's own columns back to be written with its new
revision and audit head in one UPDATE, and runs those statements on the driver's cursor
(s47desk.direct). None of that may change what is stored, what a conflict check sees, how the
audit chain runs, or how a refusal is reported.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, event, select, text, update
from sqlalchemy.exc import DBAPIError, OperationalError

from s47desk import audit, editing, storage
from s47desk.audit import Actor
from s47desk.direct import Direct
from s47desk.editing import (
    MEETING,
    FieldEdit,
    MeetingGone,
    MeetingLocked,
    RowInsert,
    SaveFailed,
    decode,
    save_edits,
)
from s47desk.models import Meeting, new_uid
from s47desk.storage import Database, open_database
from tests.factories import complete_meeting, stored_complete_meeting

A, B = Actor("Chair", "chair"), Actor("Minute-taker", "minutes")

#: One edit of each kind of meeting column, in stored (edit) form.
EDITS = {
    "reason": 'Bruising — 100% seen by the school nurse; "Dad\'s" account ? %(x)s ’ 😀',
    "held_at": "2026-12-01T09:30:00",
    "ended_at": None,
    "referral_received": "2026-11-30",
    "concerns": ["neglect", "physical_abuse"],
    "mode": "in_person",
    "urgency": "serious_harm",
    "child_in_hospital": True,
    "minute_taker": "",
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, db_url: str) -> Iterator[Database]:
    url = db_url if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    database = open_database(url)
    yield database
    database.close()


add_meeting = stored_complete_meeting


@pytest.fixture
def meeting_uid(db: Database) -> str:
    return add_meeting(db)


def stored(db: Database, uid: str, *columns: str) -> tuple[Any, ...]:
    """The columns as the driver gives them back (no SQLAlchemy type processing)."""
    names = ", ".join(columns)
    with db.engine.connect() as connection:
        row = connection.exec_driver_sql(
            f"SELECT {names} FROM meeting WHERE uid = '{uid}'"  # a uid we made
        ).one()
    return tuple(row)


def value(db: Database, uid: str, column: str) -> Any:
    with db.engine.connect() as connection:
        return connection.execute(
            select(MEETING.c[column]).where(MEETING.c.uid == uid)
        ).scalar_one()


def verified(db: Database, uid: str) -> list[audit.Entry]:
    with db.engine.connect() as connection:
        trail = audit.entries(connection, uid)
        head = connection.execute(select(MEETING.c.audit_head).where(MEETING.c.uid == uid)).scalar()
    assert audit.verify(trail, uid, head) == []
    return trail


def test_values_are_stored_and_read_back_exactly_as_sqlalchemy_does(db: Database) -> None:
    """Dates, times, JSON, vocabularies, flags and text with quotes and % signs: the driver
    receives the same values from the autosave as from Core, and reads give the same objects."""
    ours, theirs = add_meeting(db), add_meeting(db)
    edits = [
        FieldEdit("meeting", ours, column, editing.encode(value(db, ours, column)), new, column)
        for column, new in EDITS.items()
    ]
    saved = save_edits(db, ours, edits, A)
    assert saved.conflicts == () and saved.revision_after == saved.revision_before + 1
    with db.writer.begin() as connection:
        connection.execute(
            update(MEETING)
            .where(MEETING.c.uid == theirs)
            .values({c: decode("meeting", c, v) for c, v in EDITS.items()})
        )
    assert stored(db, ours, *EDITS) == stored(db, theirs, *EDITS)
    # and read back through the save's own statement, exactly as a Core SELECT gives them
    columns = tuple(c.name for c in MEETING.c if c.name not in ("id", "status", "revision"))
    with db.engine.connect() as connection:
        direct = editing._meeting_row(connection, ours, columns)
        core = connection.execute(
            select(*(MEETING.c[c] for c in columns)).where(MEETING.c.uid == ours)
        ).one()
    assert direct is not None
    assert list(direct[6:]) == list(core)
    assert [type(v) for v in direct[6:]] == [type(v) for v in core]


def test_the_audit_entry_is_the_one_audit_append_writes(
    db: Database, meeting_uid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Byte for byte: every column of the stored entry, and the head on the meeting."""
    when = datetime(2026, 11, 25, 10, 11, 12)
    monkeypatch.setattr(audit, "utcnow", lambda: when)
    old = value(db, meeting_uid, "reason")
    change = audit.Change("edit", "Reason", meeting_uid, old, "Theirs")
    columns = [c.name for c in audit.AUDIT.c if c.name != "id"]

    def last_entry(connection: Any) -> tuple[Any, ...]:
        row = connection.exec_driver_sql(
            f"SELECT {', '.join(columns)} FROM audit_entry "
            f"WHERE meeting_uid = '{meeting_uid}' ORDER BY seq DESC LIMIT 1"
        ).one()
        head = connection.exec_driver_sql(
            f"SELECT audit_head FROM meeting WHERE uid = '{meeting_uid}'"
        ).scalar()
        return (*row, head)

    with db.writer.connect() as connection:
        transaction = connection.begin()
        audit.append(connection, meeting_uid, [change], A)
        expected = last_entry(connection)
        transaction.rollback()
    save_edits(
        db, meeting_uid, [FieldEdit("meeting", meeting_uid, "reason", old, "Theirs", "Reason")], A
    )
    with db.engine.connect() as connection:
        assert last_entry(connection) == expected
    verified(db, meeting_uid)


def test_the_conflict_check_sees_another_writers_change_between_two_saves(
    db: Database, meeting_uid: str
) -> None:
    first = save_edits(db, meeting_uid, [FieldEdit("meeting", meeting_uid, "reason",
                                                   value(db, meeting_uid, "reason"), "Mine")], A)  # fmt: skip
    assert first.conflicts == ()
    with db.transaction() as session:  # someone else, through the ORM
        meeting = session.scalars(select(Meeting).where(Meeting.uid == meeting_uid)).one()
        meeting.reason = "Theirs"
    second = save_edits(
        db, meeting_uid, [FieldEdit("meeting", meeting_uid, "reason", "Mine", "Mine again")], A
    )
    [conflict] = second.conflicts
    assert conflict.theirs == "Theirs" and value(db, meeting_uid, "reason") == "Theirs"
    assert second.revision_before == first.revision_after + 1  # their save counted too
    verified(db, meeting_uid)


def _in_thread(fn: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["result"] = fn()
        except BaseException as exc:  # reported by the test, not lost in the thread
            out["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


@pytest.mark.parametrize("field", ["strengths", "reason"])
def test_a_save_that_waits_for_another_writer_sees_what_it_wrote(
    db: Database, meeting_uid: str, field: str
) -> None:
    """Another writer holds the meeting (and has added to its trail) when our save starts; the
    save waits, then checks against their value and chains on their entry. On PostgreSQL this
    is the case where the statement that waited sees the meeting row as the other writer left
    it but the trail as it was before: the save must read the trail again, not fail."""
    old = value(db, meeting_uid, field)
    with db.writer.connect() as other:
        transaction = other.begin()
        other.execute(update(MEETING).where(MEETING.c.uid == meeting_uid).values({field: "Theirs"}))
        audit.append(other, meeting_uid, [audit.Change("edit", field, "", old, "Theirs")], B)
        edit = FieldEdit(
            "meeting",
            meeting_uid,
            "reason",
            value_before := value(db, meeting_uid, "reason"),
            "Mine",
        )
        reads: list[str] = []

        def seen(_c: Any, _cur: Any, sql: str, *_: Any) -> None:
            if sql.startswith("SELECT audit_entry.seq") and threading.current_thread() is thread:
                reads.append(sql)

        event.listen(db.engine, "before_cursor_execute", seen)
        thread, out = _in_thread(lambda: save_edits(db, meeting_uid, [edit], A))
        thread.join(0.5)
        assert thread.is_alive(), out  # waiting for the other writer
        transaction.commit()
    thread.join(30)
    event.remove(db.engine, "before_cursor_execute", seen)
    # the trail read again only where the waiting statement saw it as it was before
    postgresql = db.engine.dialect.name == "postgresql"
    assert len(reads) == (1 if postgresql and field == "strengths" else 0), reads
    assert "error" not in out, out.get("error")
    saved = out["result"]
    if field == "reason":
        [conflict] = saved.conflicts
        assert conflict.theirs == "Theirs" and value(db, meeting_uid, "reason") == "Theirs"
    else:
        assert saved.conflicts == () and value(db, meeting_uid, "reason") == "Mine"
        assert value(db, meeting_uid, "strengths") == "Theirs"
        assert value_before != "Mine"
    trail = verified(db, meeting_uid)
    assert trail[-1].new == ("Mine" if field == "strengths" else "Theirs")


def test_meeting_fields_held_back_are_written_before_anything_could_see_them(
    db: Database, meeting_uid: str
) -> None:
    """A save mixing the meeting's own fields (one edited twice) with another row's: the same
    result, trail and single revision as writing each at once."""
    with db.sessions() as session:
        meeting = session.scalars(select(Meeting).where(Meeting.uid == meeting_uid)).one()
        child = meeting.children[0].uid
        reason, revision = meeting.reason, meeting.revision
    new_child = new_uid()
    edits = [
        FieldEdit("meeting", meeting_uid, "reason", reason, "One"),
        FieldEdit("meeting", meeting_uid, "status", "draft", "in_progress"),
        FieldEdit("child", child, "name", "Alex Test", "Alex Renamed"),
        FieldEdit("meeting", meeting_uid, "reason", "One", "Two"),  # sees "One", written
        RowInsert("child", new_child, {"name": "Sam", "role": "sibling", "position": 1}),
        FieldEdit("meeting", meeting_uid, "risks", "Risk", "Risks now"),
        FieldEdit("meeting", meeting_uid, "reason", "Two", "Three"),
    ]
    saved = save_edits(db, meeting_uid, edits, A)
    assert saved.conflicts == () and saved.status == "in_progress"
    assert (saved.revision_before, saved.revision_after) == (revision, revision + 1)
    assert stored(db, meeting_uid, "reason", "risks", "status", "revision") == (
        "Three", "Risks now", "in_progress", revision + 1
    )  # fmt: skip
    trail = verified(db, meeting_uid)
    assert [(e.old, e.new) for e in trail[-7:]] == [
        (reason, "One"), ("draft", "in_progress"), ("Alex Test", "Alex Renamed"), ("One", "Two"),
        ("", '{"name":"Sam","role":"sibling","position":1}'), ("Risk", "Risks now"),
        ("Two", "Three"),
    ]  # fmt: skip


def test_a_save_of_another_row_still_marks_the_meeting_updated(
    db: Database, meeting_uid: str
) -> None:
    """Every save sets the meeting's updated_at, as its onupdate did through Core."""
    long_ago = datetime(2020, 1, 1)
    with db.writer.begin() as connection:
        connection.execute(
            update(MEETING).where(MEETING.c.uid == meeting_uid).values(updated_at=long_ago)
        )
    with db.sessions() as session:
        child = session.scalars(select(Meeting).where(Meeting.uid == meeting_uid)).one().children[0]
    save_edits(db, meeting_uid, [FieldEdit("child", child.uid, "name", child.name, "Renamed")], A)
    assert value(db, meeting_uid, "updated_at") > long_ago


def test_a_trigger_refusal_during_a_save_is_a_locked_meeting(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Had the save's own check missed the signature, the database's trigger refuses the
    UPDATE and the window is told the meeting is signed (nothing written)."""
    database = open_database(db_url)
    uid = add_meeting(database)
    with database.writer.begin() as connection:
        connection.execute(text("UPDATE meeting SET status = 'signed' WHERE uid = :u"), {"u": uid})
    real = editing._meeting_row

    def unsigned(connection: Any, meeting_uid: str, columns: tuple[str, ...]) -> Any:
        row = real(connection, meeting_uid, columns)
        return (row[0], "draft", *row[2:])

    monkeypatch.setattr(editing, "_meeting_row", unsigned)
    old = value(database, uid, "reason")
    with pytest.raises(MeetingLocked, match="signed"):
        save_edits(database, uid, [FieldEdit("meeting", uid, "reason", old, "Late")], A)
    assert value(database, uid, "reason") == old
    database.close()


def test_a_statement_that_needs_a_column_default_is_refused(db: Database) -> None:
    """Nothing on the direct path would fill in updated_at's onupdate: refused, not skipped."""
    statement = Direct(
        update(MEETING).where(MEETING.c.id == bindparam("i")).values(revision=bindparam("r")),
        ["i", "r"],
    )
    with pytest.raises(ValueError, match="default or onupdate"):
        statement.prepared(db.engine.dialect)
    insert = Direct(audit.AUDIT.insert().inline(), ["meeting_uid", "seq", "hash"])
    with pytest.raises(ValueError, match="default or onupdate"):
        insert.prepared(db.engine.dialect)


def test_a_refusal_by_the_database_is_raised_as_sqlalchemy_raises_it(
    db: Database, meeting_uid: str
) -> None:
    """The signed-record trigger refusing a direct UPDATE: the same exception class (and
    message) as the same statement through Core."""
    with db.writer.begin() as connection:
        connection.execute(
            text("UPDATE meeting SET status = 'signed' WHERE uid = :u"), {"u": meeting_uid}
        )
    meeting_id = stored(db, meeting_uid, "id")[0]
    values = {"reason": "x", "updated_at": datetime(2026, 11, 25)}
    caught = []
    for run in ("core", "direct"):
        with pytest.raises(DBAPIError) as error, db.writer.begin() as connection:
            if run == "core":
                connection.execute(update(MEETING).where(MEETING.c.id == meeting_id).values(values))
            else:
                editing._meeting_update(connection, meeting_id, values)
        caught.append(error.value)
    core, direct = caught
    assert type(direct) is type(core) and type(direct.orig) is type(core.orig)
    assert "s47desk: this meeting is signed" in str(direct.orig)


def test_a_busy_database_is_a_failed_save_not_an_error(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BEGIN IMMEDIATE, now run on the driver itself, still reports a held lock plainly."""
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 200)
    database = open_database(db_url)
    uid = add_meeting(database)
    locker = sqlite3.connect(Path(db_url.removeprefix("sqlite:///")), isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(SaveFailed, match="busy"):
            save_edits(database, uid, [FieldEdit("meeting", uid, "reason", "x", "y")], A)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    old = value(database, uid, "reason")
    assert (
        save_edits(database, uid, [FieldEdit("meeting", uid, "reason", old, "y")], A).conflicts
        == ()
    )
    database.close()


@pytest.mark.postgres
def test_a_connection_lost_mid_save_is_invalidated_and_the_next_save_works(
    postgres_url: str,
) -> None:
    """The server drops the connection between two of the save's statements: an
    OperationalError (a failed save, journalled and retried), the connection thrown away."""
    database = open_database(postgres_url)
    uid = add_meeting(database)
    with pytest.raises(OperationalError) as lost, database.writer.begin() as connection:
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with database.engine.connect() as killer:
            killer.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
        editing._meeting_row(connection, uid, ())
    assert lost.value.connection_invalidated
    old = value(database, uid, "reason")
    assert (
        save_edits(database, uid, [FieldEdit("meeting", uid, "reason", old, "y")], A).conflicts
        == ()
    )
    assert value(database, uid, "reason") == "y"
    database.close()


def test_the_meeting_is_found_by_its_last_id_only_while_that_row_has_its_uid(
    db: Database,
) -> None:
    """A save finds the meeting by the id it was last found at, but only the row with that
    uid: not a meeting that took the id after this one was removed (SQLite reuses ids), and
    the meeting brought back with the same uid wherever it now is."""
    first = add_meeting(db)
    old = value(db, first, "reason")
    save_edits(db, first, [FieldEdit("meeting", first, "reason", old, "Before")], A)
    first_id = stored(db, first, "id")[0]
    assert editing._MEETING_IDS[first] == first_id
    with db.transaction() as session:
        session.delete(session.scalars(select(Meeting).where(Meeting.uid == first)).one())
    second = add_meeting(db)
    if db.is_sqlite:
        assert stored(db, second, "id")[0] == first_id  # the id the hint names, reused
    with pytest.raises(MeetingGone):
        save_edits(db, first, [FieldEdit("meeting", first, "reason", "Before", "Lost")], A)
    assert value(db, second, "reason") == old
    with db.transaction() as session:  # brought back with its uid, as an import does
        session.add(complete_meeting(uid=first))
    save_edits(db, first, [FieldEdit("meeting", first, "reason", old, "After")], A)
    assert (value(db, first, "reason"), value(db, second, "reason")) == ("After", old)
    assert editing._MEETING_IDS[first] == stored(db, first, "id")[0] != first_id
    verified(db, first)
