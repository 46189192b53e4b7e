"""One run of the window's saving path, to be killed at a random moment (tests/test_crash.py).

It does what the window does, without Qt: at start it replays what an earlier run left in the
recovery journal (and keeps retrying while the database cannot take it), then "types" — field
edits, new actions, removed actions — into a SaveQueue, saving on a worker thread through
Application.save as the autosaver does, retrying failed saves. Every promise the window would
make is written to the oracle file *after* it is true: "stored" once a save of those edits has
come back committed, "journalled" once the journal holds them. The test kills this process
with SIGKILL and then checks the database against the promises.

Usage: python -m tests.crash_worker DB_FILE ORACLE_FILE MEETING_UID FIRST_NUMBER SEED
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from s47desk import storage

FIELDS = ("risks", "strengths", "reason")  # meeting text a chair types into
PREFIX = "crash-"  # the text of every action this test adds


class Oracle:
    """Append-only promises; a killed process leaves every completed write in the kernel."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def say(self, **record: Any) -> None:
        os.write(self.fd, (json.dumps(record) + "\n").encode())


def describe(edit: Any) -> dict[str, Any]:
    from s47desk.editing import FieldEdit, RowInsert

    if isinstance(edit, FieldEdit):
        return {"op": "set", "uid": edit.uid, "column": edit.column, "value": edit.new}
    if isinstance(edit, RowInsert):
        return {"op": "insert", "uid": edit.uid}
    return {"op": "delete", "uid": edit.uid}


def main(db_file: str, oracle_file: str, meeting_uid: str, number: int, seed: int) -> None:
    storage.BUSY_TIMEOUT_MS = 100  # "cannot save now" comes quickly (5 s in real use)
    from sqlalchemy import select

    from s47desk.application import Application
    from s47desk.editing import FieldEdit, RowDelete, RowInsert
    from s47desk.models import Action, Meeting, new_uid
    from s47desk.saving import Outcome, SaveQueue

    rng = random.Random(seed)
    oracle = Oracle(Path(oracle_file))
    app = Application.open(db_url=f"sqlite:///{db_file}")
    oracle.say(event="start")
    recovered = app.recover()  # as the window does before it opens a meeting
    oracle.say(
        event="recovered",
        stored=recovered.stored,
        failed=recovered.failed,
        conflicts=len(recovered.conflicts),
        refused=len(recovered.refused),
        detail=[repr(c) for c in recovered.conflicts][:3],
    )
    recovering = bool(recovered.failed)
    # The window opens a meeting whose earlier edits are still waiting read-only, so nobody
    # types over text they cannot see.
    held = any(j.meeting_uid == meeting_uid for j in app.journal.left_by_earlier_run())
    with app.db.sessions() as session:
        mid = session.scalar(select(Meeting.id).where(Meeting.uid == meeting_uid))
    meeting = app.load_meeting(mid)
    view: dict[str, Any] = {f: getattr(meeting, f) for f in FIELDS}  # what is on screen
    rows = [a.uid for a in meeting.actions if a.text.startswith(PREFIX)]
    child = meeting.children[0].uid
    queue = SaveQueue(meeting_uid, app.journal)
    saver = ThreadPoolExecutor(1)  # the autosaver's worker thread
    flight: Future[Outcome] | None = None
    retry_at = 0.0
    last_recovery = time.monotonic()
    oracle.say(event="typing")
    while True:
        if recovering and time.monotonic() - last_recovery > 0.3:
            last_recovery = time.monotonic()
            again = app.recover()
            recovering = bool(again.failed)
            oracle.say(event="recovered", stored=again.stored, failed=again.failed,
                       conflicts=len(again.conflicts), refused=len(again.refused),
                       detail=[repr(c) for c in again.conflicts][:3])  # fmt: skip
            if not recovering:  # the meeting opens for editing with what came back
                meeting = app.load_meeting(mid)
                view = {f: getattr(meeting, f) for f in FIELDS}
                rows = [a.uid for a in meeting.actions if a.text.startswith(PREFIX)]
        if recovering and held:  # read-only until the earlier run's edits are stored
            time.sleep(0.01)
            continue
        # -- type something ---------------------------------------------------------------
        number += 1
        roll = rng.random()
        if roll < 0.7:
            column = rng.choice(FIELDS)
            edit: Any = FieldEdit(
                "meeting", meeting_uid, column, view[column], f"{column}#{number}"
            )
            view[column] = edit.new
        elif roll < 0.9 or not rows:
            uid = new_uid()
            values = {
                "position": 100 + number, "text": f"{PREFIX}{number}", "owner": "Sam",
                "agency": "social_care", "due": "2026-12-04", "category": "see_child",
                "status": "open", "child": child, "completion_note": "",
            }  # fmt: skip
            edit = RowInsert(Action.__tablename__, uid, values)
            rows.append(uid)
        else:
            edit = RowDelete(Action.__tablename__, rows.pop(rng.randrange(len(rows))))
        oracle.say(event="typed", **describe(edit))
        queue.add(edit)
        if queue.failing:  # while saves fail, SaveQueue journals each edit at once
            oracle.say(event="journalled", edits=[describe(edit)])
        # -- the autosaver ----------------------------------------------------------------
        if flight is not None and flight.done():
            outcome = flight.result()
            batch = queue.in_flight
            queue.finished(outcome)
            flight = None
            if outcome.failed:
                retry_at = time.monotonic() + rng.uniform(0.05, 0.2)
                oracle.say(event="journalled", edits=[describe(e) for e in queue.unsaved()])
            else:
                assert batch is not None and not outcome.locked and not outcome.conflicts
                oracle.say(event="stored", edits=[describe(e) for e in batch.raw])
        if flight is None and time.monotonic() >= retry_at:
            batch = queue.take()
            if batch is not None:
                flight = saver.submit(app.save, batch)
        time.sleep(rng.uniform(0.0, 0.01))  # typing speed


if __name__ == "__main__":
    db, oracle_path, uid, first, seed = sys.argv[1:6]
    main(db, oracle_path, uid, int(first), int(seed))
