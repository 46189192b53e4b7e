"""Edits settled per field, on SQLite and on a real PostgreSQL server: different fields never
conflict, the same field is a conflict that keeps both texts, replays are harmless, and the
recovery journal gives back what a failed save kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from s47desk.audit import Actor
from s47desk.editing import FieldEdit, RowDelete, RowInsert, SaveFailed, save_edits
from s47desk.graph import load
from s47desk.journal import Journal
from s47desk.models import new_uid
from s47desk.recovery import replay
from s47desk.saving import Outcome, SaveQueue
from s47desk.storage import Database, open_database
from tests.factories import stored_complete_meeting

A, B = Actor("Chair", "chair"), Actor("Minute-taker", "minutes")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, db_url: str) -> Database:
    url = db_url if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    database = open_database(url)
    yield database  # type: ignore[misc]
    database.close()


@pytest.fixture
def meeting_uid(db: Database) -> str:
    return stored_complete_meeting(db)


def stored(db: Database, uid: str) -> object:
    from sqlalchemy import select

    from s47desk.models import Meeting

    with db.sessions() as session:
        meeting_id = session.scalar(select(Meeting.id).where(Meeting.uid == uid))
        return load(session, meeting_id)  # type: ignore[arg-type]


def test_two_people_on_different_fields_never_conflict(db: Database, meeting_uid: str) -> None:
    first = save_edits(
        db, meeting_uid, [FieldEdit("meeting", meeting_uid, "risks", "Risk", "Chair's risks")], A
    )
    second = save_edits(
        db,
        meeting_uid,
        [FieldEdit("meeting", meeting_uid, "strengths", "Strength", "Taker's strengths")],
        B,
    )
    assert first.conflicts == second.conflicts == ()
    assert second.revision_before == first.revision_after  # B learns someone else saved
    meeting = stored(db, meeting_uid)
    assert (meeting.risks, meeting.strengths) == ("Chair's risks", "Taker's strengths")  # type: ignore[attr-defined]


def test_the_same_field_is_a_conflict_that_keeps_both_texts(db: Database, meeting_uid: str) -> None:
    save_edits(db, meeting_uid, [FieldEdit("meeting", meeting_uid, "risks", "Risk", "Mine")], A)
    late = save_edits(
        db, meeting_uid, [FieldEdit("meeting", meeting_uid, "risks", "Risk", "Theirs")], B
    )
    [conflict] = late.conflicts
    assert (conflict.theirs, conflict.edit.new) == ("Mine", "Theirs")  # both texts, nothing lost
    assert stored(db, meeting_uid).risks == "Mine"  # type: ignore[attr-defined]
    kept = FieldEdit("meeting", meeting_uid, "risks", conflict.theirs, conflict.edit.new)
    assert save_edits(db, meeting_uid, [kept], B).conflicts == ()  # B chose to keep theirs
    assert stored(db, meeting_uid).risks == "Theirs"  # type: ignore[attr-defined]


def test_rows_details_and_replays(db: Database, meeting_uid: str) -> None:
    meeting = stored(db, meeting_uid)
    child_uid = meeting.children[0].uid  # type: ignore[attr-defined]
    action_uid = new_uid()
    s47 = meeting.decision("s47")  # type: ignore[attr-defined]
    edits = [
        RowInsert(
            "action",
            action_uid,
            {
                "position": 5,
                "text": "Visit",
                "owner": "Sam",
                "agency": "social_care",
                "due": "2026-11-26",
                "category": "see_child",
                "status": "open",
                "child": child_uid,
                "completion_note": "",
            },
        ),
        FieldEdit("decision", s47.uid, "details.lead_social_worker", "Sam Social", "Tom Okafor"),
    ]
    save_edits(db, meeting_uid, edits, A)
    again = save_edits(db, meeting_uid, edits, A)  # a journal replayed after a crash
    assert again.conflicts == () and again.revision_after == again.revision_before
    meeting = stored(db, meeting_uid)
    added = next(a for a in meeting.actions if a.uid == action_uid)  # type: ignore[attr-defined]
    assert added.child.uid == child_uid and added.due.isoformat() == "2026-11-26"
    assert meeting.decision("s47").details["lead_social_worker"] == "Tom Okafor"  # type: ignore[attr-defined]
    save_edits(db, meeting_uid, [RowDelete("action", action_uid)], A)
    assert all(a.uid != action_uid for a in stored(db, meeting_uid).actions)  # type: ignore[attr-defined]
    late = save_edits(db, meeting_uid, [FieldEdit("action", action_uid, "text", "Visit", "x")], B)
    assert late.conflicts[0].removed  # edited a row someone removed: said, not lost


def test_a_failed_save_is_journalled_and_replayed(
    db: Database, meeting_uid: str, tmp_path: Path
) -> None:
    journal = Journal(tmp_path / "s47.recovery")
    queue = SaveQueue(meeting_uid, journal)
    queue.add(FieldEdit("meeting", meeting_uid, "risks", "Risk", "Typed during the outage"))
    batch = queue.take()
    assert batch is not None
    queue.finished(Outcome(failed="the database server cannot be reached"))
    queue.add(FieldEdit("meeting", meeting_uid, "risks", "Typed during the outage", "… and after"))
    assert [str(j.edit.new) for j in journal.pending()] == [
        "Typed during the outage",
        "… and after",
    ]  # type: ignore[union-attr]
    assert oct(journal.path.stat().st_mode & 0o777) == "0o600"
    # the window crashed here; the next start replays what the journal holds
    recovered = replay(db, Journal(journal.path), A)
    assert recovered.stored == 2 and recovered.since is not None
    assert "Recovered 2 edits from" in recovered.summary()
    assert stored(db, meeting_uid).risks == "… and after"  # type: ignore[attr-defined]
    assert Journal(journal.path).pending() == []


def test_a_lost_server_is_reported_plainly(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    from s47desk.storage import make_engine

    broken = Database(make_engine(url))
    with pytest.raises(SaveFailed, match="cannot be reached"):
        save_edits(broken, "no-meeting", [], A)
    broken.close()


def test_every_kind_of_save_keeps_the_audit_chain_whole_and_counts_one_revision(
    db: Database, meeting_uid: str
) -> None:
    """Saving builds its statements once and records revision and audit head together: the
    trail must still verify, end where the meeting says, and each save be one revision."""
    from s47desk import audit

    meeting = stored(db, meeting_uid)
    child = meeting.children[0]  # type: ignore[attr-defined]
    action = meeting.actions[0]  # type: ignore[attr-defined]
    decision = meeting.decisions[0]  # type: ignore[attr-defined]
    new_child = new_uid()
    saves = [
        [FieldEdit("meeting", meeting_uid, "reason", meeting.reason, "One")],  # type: ignore[attr-defined]
        [FieldEdit("meeting", meeting_uid, "status", "draft", "in_progress")],
        [FieldEdit("child", child.uid, "name", child.name, "Renamed"),
         FieldEdit("decision", decision.uid, "details.timing", "", "Now")],
        [RowInsert("child", new_child, {"name": "Second", "role": "sibling", "position": 1})],
        [FieldEdit("action", action.uid, "child", None, new_child)],
        [FieldEdit("child", new_child, "position", 1, 2)],  # ordering only: no audit entry
        [RowDelete("action", action.uid, {"text": action.text})],
    ]  # fmt: skip
    revision = meeting.revision  # type: ignore[attr-defined]
    for edits in saves:
        saved = save_edits(db, meeting_uid, edits, A)
        assert (saved.revision_before, saved.revision_after) == (revision, revision + 1)
        revision += 1
        now = stored(db, meeting_uid)
        assert saved.status == now.status.value  # type: ignore[attr-defined]
        with db.engine.connect() as connection:
            trail = audit.entries(connection, meeting_uid)
        assert audit.verify(trail, meeting_uid, now.audit_head) == []  # type: ignore[attr-defined]
    assert now.status.value == "in_progress"  # type: ignore[attr-defined]
    assert [c.name for c in now.children] == ["Renamed", "Second"]  # type: ignore[attr-defined]
    assert not any(a.uid == action.uid for a in now.actions)  # type: ignore[attr-defined]
    assert [e.action for e in trail][-5:] == ["edit", "edit", "add", "edit", "remove"]
