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
from tests.factories import stored_complete_meeting

A = Actor("Chair", "chair")
A_TIME = datetime(2026, 12, 1, 14, 32)


@pytest.fixture
def db(db_url: str) -> Database:
    database = open_database(db_url)
    yield database  # type: ignore[misc]
    database.close()


_meeting = stored_complete_meeting


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


class FullDisk:
    """A journal file on a disk with no space left: /dev/full fails every write with ENOSPC,
    as a full disk does (the journal file is a link to it; never read while it is)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "db.s47-recovery"

    def fill(self) -> None:
        self.path.symlink_to("/dev/full")

    def heal(self) -> None:
        self.path.unlink()


def test_a_full_disk_never_loses_an_edit_and_says_it_is_not_journalled(
    db: Database, tmp_path: Path
) -> None:
    uid = _meeting(db)
    disk = FullDisk(tmp_path)
    journal = Journal(disk.path)
    disk.fill()
    queue = SaveQueue(uid, journal)
    queue.add(FieldEdit("meeting", uid, "risks", "Risk", "Typed as the disk filled"))
    _fail(queue)  # the database could not take it, and the journal cannot be written either
    queue.add(FieldEdit("meeting", uid, "risks", "Typed as the disk filled", "… and on"))
    assert [str(e.new) for e in queue.unsaved()] == ["Typed as the disk filled", "… and on"]  # type: ignore[union-attr]
    assert "No space left on device" in queue.journal_problem
    assert len(queue.unjournalled()) == 2
    disk.heal()  # space again: the next attempt journals what was typed, then saves
    _fail(queue)
    assert queue.journal_problem == "" and queue.unjournalled() == []
    assert [str(j.edit.new) for j in Journal(disk.path).pending()] == [  # type: ignore[union-attr]
        "Typed as the disk filled",
        "… and on",
    ]
    batch = queue.take()
    assert batch is not None
    queue.finished(Outcome(saved=save_edits(db, uid, batch.edits, A)))
    assert _risks(db, uid) == "… and on" and Journal(disk.path).pending() == []


def test_a_write_cut_short_leaves_every_earlier_line_whole(tmp_path: Path) -> None:
    path = tmp_path / "db.s47-recovery"
    journal = Journal(path)
    journal.append("m", [FieldEdit("meeting", "m", "risks", "a", "b")], A_TIME)
    whole = path.read_bytes()
    with path.open("ab") as handle:  # a crash in the middle of the next line
        handle.write(b'{"seq": 2, "at": "2026-12-01T14:32:00", "meeting": "m", "ed')
    again = Journal(path)
    again.append("m", [FieldEdit("meeting", "m", "risks", "b", "c")], A_TIME)
    assert path.read_bytes().startswith(whole)
    assert [str(j.edit.new) for j in Journal(path).pending()] == ["b", "c"]  # type: ignore[union-attr]
