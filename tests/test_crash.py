"""Killed at random moments, the saving path loses nothing it promised.

A real run of the window's saving path (tests/crash_worker.py: SaveQueue, Application.save on
a worker thread, the recovery journal, the replay at start) is killed with SIGKILL again and
again, each run continuing on the file the last one left. In two runs in five another
program holds the database's write lock, so saves fail and are retried, and edits go to the
journal; in half of those the lock is released part-way, so the kill may land in the retry
itself or in the replay at start. Afterwards every promise the runs made holds: what was
reported stored is stored, what was journalled is stored after recovery, nothing appears that
was never typed, the journal is empty and the audit trail is whole.

S47DESK_CRASH_KILLS sets the number of kills (120 unless set); S47DESK_CRASH_SEED the seed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from s47desk.application import Application
from s47desk.models import Meeting
from tests.conftest import REPO
from tests.crash_worker import FIELDS, PREFIX
from tests.factories import complete_meeting

KILLS = int(os.environ.get("S47DESK_CRASH_KILLS", "120"))
SEED = int(os.environ.get("S47DESK_CRASH_SEED", "4711"))


@dataclass
class Promises:
    """What the oracle says was typed and what was promised, in the order it happened."""

    typed: dict[str, set[str]] = field(default_factory=dict)  # field -> every value typed
    inserted: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    promised_value: dict[str, int] = field(default_factory=dict)  # field -> latest number
    promised_rows: set[str] = field(default_factory=set)
    promised_gone: set[str] = field(default_factory=set)
    runs_journalling: int = 0
    recoveries_storing: int = 0
    stored_saves: int = 0
    recovered: list[dict[str, Any]] = field(default_factory=list)


def read_oracle(path: Path) -> Promises:
    p = Promises()
    journalled_this_run = False
    for line in path.read_text().splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue  # cut short by the kill: a promise not yet made
        event = record["event"]
        if event == "start":
            journalled_this_run = False
        elif event == "recovered":
            p.recovered.append(record)
            p.recoveries_storing += record["stored"] > 0
        elif event == "typed":
            if record["op"] == "set":
                p.typed.setdefault(record["column"], set()).add(record["value"])
            elif record["op"] == "insert":
                p.inserted.add(record["uid"])
            else:
                p.deleted.add(record["uid"])
        elif event in ("stored", "journalled"):
            if event == "journalled" and record["edits"] and not journalled_this_run:
                journalled_this_run = True
                p.runs_journalling += 1
            p.stored_saves += event == "stored"
            for edit in record["edits"]:
                if edit["op"] == "set":
                    number = int(edit["value"].split("#")[1])
                    column = edit["column"]
                    p.promised_value[column] = max(p.promised_value.get(column, 0), number)
                elif edit["op"] == "insert":
                    p.promised_rows.add(edit["uid"])
                else:
                    p.promised_gone.add(edit["uid"])
    return p


class Locker:
    """Another program holding the write lock (BEGIN IMMEDIATE) until released."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, timeout=5)
        self.connection.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.connection.execute("ROLLBACK")
        self.connection.close()


def test_killed_at_random_moments_nothing_promised_is_lost(tmp_path: Path, db_url: str) -> None:
    db_file = Path(db_url.removeprefix("sqlite:///"))
    app = Application.open(db_url=db_url)
    with app.db.transaction() as session:
        meeting = complete_meeting()
        session.add(meeting)
    uid, initial = meeting.uid, {f: getattr(meeting, f) for f in FIELDS}
    app.close()
    oracle = tmp_path / "oracle.jsonl"
    rng = random.Random(SEED)
    for run in range(KILLS):
        locker = Locker(db_file) if rng.random() < 0.4 else None
        spawned = time.monotonic()
        release_at = spawned + rng.uniform(0.3, 1.2) if locker and rng.random() < 0.5 else None
        stderr = tmp_path / f"worker-{run}.err"
        with stderr.open("wb") as err:
            args = [str(db_file), str(oracle), uid, str(run * 1_000_000), str(rng.randrange(2**31))]
            worker = subprocess.Popen(
                [sys.executable, "-m", "tests.crash_worker", *args],
                cwd=REPO,
                stderr=err,
            )
        kill_at = spawned + rng.uniform(0.4, 1.4)
        while time.monotonic() < kill_at and worker.poll() is None:
            if locker is not None and release_at is not None and time.monotonic() > release_at:
                locker.release()
                locker = None
            time.sleep(0.01)
        worker.send_signal(signal.SIGKILL)
        assert worker.wait() == -signal.SIGKILL, stderr.read_text()  # it never died by itself
        if locker is not None:
            locker.release()

    # the next start, with the database free: the journal is replayed
    app = Application.open(db_url=db_url)
    last = app.recover()
    assert last.failed == "" and last.conflicts == [] and last.refused == []
    assert app.journal.pending() == []
    with app.db.sessions() as session:
        mid = session.scalar(select(Meeting.id).where(Meeting.uid == uid))
    final = app.load_meeting(mid)  # type: ignore[arg-type]
    entries, problems = app.audit_trail(mid)  # type: ignore[arg-type]
    app.close()
    promises = read_oracle(oracle)

    for column in FIELDS:
        value = getattr(final, column)
        assert value == initial[column] or value in promises.typed.get(column, set())
        if column in promises.promised_value:
            number = int(value.split("#")[1])
            assert number >= promises.promised_value[column], (column, value)
    rows = {a.uid for a in final.actions if a.text.startswith(PREFIX)}
    assert rows <= promises.inserted  # nothing that was never typed
    assert promises.promised_rows - promises.deleted <= rows  # every promised action is there
    assert not rows & promises.promised_gone  # every promised removal holds
    assert all(r["conflicts"] == 0 and r["refused"] == 0 for r in promises.recovered)
    assert problems == [] and entries
    with sqlite3.connect(db_file) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # the kills landed where they matter (not all during start-up)
    assert promises.stored_saves >= KILLS
    assert promises.runs_journalling >= KILLS // 8
    assert promises.recoveries_storing >= KILLS // 20
