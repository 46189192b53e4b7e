"""The recovery journal keeps every unsaved edit until that edit is stored: a save of one
meeting never empties what another meeting still needs, a replay interrupted half-way is
finished without a false conflict, and a retried replay never wipes what was journalled since."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from s47desk.audit import Actor
from s47desk.editing import FieldEdit, coalesce, save_edits
from s47desk.journal import Journal
from s47desk.recovery import replay
from s47desk.saving import Outcome, SaveQueue
from s47desk.storage import Database, open_database
from tests.factories import complete_meeting

A = Actor("Chair", "chair")
A_TIME = datetime(2026, 12, 1, 14, 32)


@pytest.fixture
def db(db_url: str) -> Database:
    database = open_database(db_url)
    yield database  # type: ignore[misc]
    database.close()


def _meeting(db: Database) -> str:
    with db.transaction() as session:
        meeting = complete_meeting()
        session.add(meeting)
        return meeting.uid


def _risks(db: Database, uid: str) -> str:
    from sqlalchemy import select

    from s47desk.models import Meeting

    with db.sessions() as session:
        return str(session.scalar(select(Meeting.risks).where(Meeting.uid == uid)))


def _fail(queue: SaveQueue) -> None:
    assert queue.take() is not None
    queue.finished(Outcome(failed="the database is busy"))


def test_saving_one_meeting_keeps_the_journal_of_another(db: Database, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "db.s47-recovery")
    first, second = _meeting(db), _meeting(db)
    closed = SaveQueue(first, journal)  # a meeting closed while saves failed, still retrying
    closed.add(FieldEdit("meeting", first, "risks", "Risk", "Typed in the first meeting"))
    _fail(closed)
    current = SaveQueue(second, journal)
    current.add(FieldEdit("meeting", second, "risks", "Risk", "Typed in the second"))
    _fail(current)
    batch = current.take()
    assert batch is not None
    current.finished(Outcome(saved=save_edits(db, second, batch.edits, A)))
    # the window crashes now: the first meeting's text must still be on disk
    left = [str(j.edit.new) for j in Journal(journal.path).pending()]  # type: ignore[union-attr]
    assert left == ["Typed in the first meeting"]


def test_a_replay_cut_short_is_finished_without_a_false_conflict(
    db: Database, tmp_path: Path
) -> None:
    uid = _meeting(db)
    journal = Journal(tmp_path / "db.s47-recovery")
    edits = [  # typed while saves failed, one journal line per change
        FieldEdit("meeting", uid, "risks", "Risk", "Risk of harm"),
        FieldEdit("meeting", uid, "risks", "Risk of harm", "Risk of harm at home"),
        FieldEdit("meeting", uid, "strengths", "Strength", "Grandmother nearby"),
        FieldEdit("meeting", uid, "risks", "Risk of harm at home", "Risk of harm at night"),
    ]
    journal.append(uid, edits, A_TIME)
    # the retry stored the first two (as one change of the field), then the window was killed
    save_edits(db, uid, coalesce(edits[:2]), A)
    recovered = replay(db, Journal(journal.path), A)
    assert recovered.conflicts == [] and recovered.failed == ""
    assert _risks(db, uid) == "Risk of harm at night"
    assert Journal(journal.path).pending() == []


def test_a_retried_replay_keeps_what_was_journalled_since(db: Database, tmp_path: Path) -> None:
    uid, other = _meeting(db), _meeting(db)
    path = tmp_path / "db.s47-recovery"
    Journal(path).append(uid, [FieldEdit("meeting", uid, "risks", "Risk", "From before")], A_TIME)
    journal = Journal(path)  # the window starts; the replay could not run yet (locked)
    queue = SaveQueue(other, journal)
    queue.add(FieldEdit("meeting", other, "risks", "Risk", "Typed since"))
    _fail(queue)
    replay(db, journal, A)  # the retry succeeds for the earlier session's edits
    assert _risks(db, uid) == "From before"
    left = [str(j.edit.new) for j in Journal(path).pending()]  # type: ignore[union-attr]
    assert left == ["Typed since"]
