"""Time database inspection and backups on a database of ~10,000 rows per table.

    .venv/bin/python scripts/measure_dbfile.py [FOLDER]

Builds (once) FOLDER/big.sqlite3 through open_database and the ORM: 10,000 meetings, each with
one row in every other table, text of varied length. Prints medians of several runs, beside bare
SQLite baselines measured in the same run.
"""

from __future__ import annotations

import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from s47desk.backup import backup_database, daily_backup, restore_database
from s47desk.dbfile import inspect_database
from s47desk.models import (
    Action,
    Attendee,
    Child,
    Circulation,
    Decision,
    Dissent,
    InformationItem,
    Meeting,
    SignOff,
)
from s47desk.storage import open_database
from s47desk.vocab import Agency

WORDS = [
    "school",
    "police",
    "health",
    "visit",
    "bruise",
    "concern",
    "parent",
    "plan",
    "review",
    "home",
    "seen",
    "alone",
]


def text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high) // 7))


def build(path: Path, meetings: int = 10_000) -> None:
    rng = random.Random(47)
    db = open_database(f"sqlite:///{path}")
    for start in range(0, meetings, 500):
        with db.transaction() as session:
            for _ in range(start, min(start + 500, meetings)):
                m = Meeting(
                    form_id="initial", reason=text(rng, 100, 1500), risks=text(rng, 50, 800)
                )
                m.children = [Child(name=text(rng, 10, 30))]
                m.attendees = [Attendee(name="A Person", agency=Agency.HEALTH)]
                m.information = [InformationItem(agency=Agency.POLICE, text=text(rng, 100, 2000))]
                m.decisions = [Decision(kind="s47", choice="joint", rationale=text(rng, 50, 500))]
                m.dissents = [Dissent(decision_kind="s47", text=text(rng, 20, 300))]
                m.actions = [Action(text=text(rng, 20, 200))]
                m.signoffs = [SignOff(name="Chair", role="TM", signed_at=datetime(2026, 11, 1))]
                session.add(m)
                session.flush()
                session.add(Circulation(meeting_id=m.id, agency=Agency.POLICE, method="smtp"))
    db.close()


def median_ms(fn: Callable[[], object], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def child_cpu_s(code: str, runs: int = 5) -> float:
    """Median user+system CPU seconds of a fresh Python process running *code*."""
    results = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", code], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        results.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(results)


def raw(path: Path, pragma: str) -> None:
    uri = f"{path.as_uri()}?mode=ro&immutable=1"
    with sqlite3.connect(uri, uri=True) as connection:
        connection.execute(pragma).fetchall()
    connection.close()


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.gettempdir()) / "s47-big"
    folder.mkdir(exist_ok=True)
    big = folder / "big.sqlite3"
    if not big.exists():
        started = time.perf_counter()
        build(big)
        print(f"built in {time.perf_counter() - started:.1f} s")
    with sqlite3.connect(f"{big.as_uri()}?mode=ro&immutable=1", uri=True) as connection:
        tables = [
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        counts = {
            t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables
        }
    connection.close()
    print(f"{big}: {big.stat().st_size / 1e6:.1f} MB; rows: {counts}")
    print(f"inspect_database (quick_check)      {median_ms(lambda: inspect_database(big)):7.1f} ms")
    print(
        "inspect_database (quick_check=False) "
        f"{median_ms(lambda: inspect_database(big, quick_check=False)):6.1f} ms"
    )
    print(
        f"bare PRAGMA quick_check             {median_ms(lambda: raw(big, 'PRAGMA quick_check')):7.1f} ms"
    )
    print(
        "bare PRAGMA integrity_check         "
        f"{median_ms(lambda: raw(big, 'PRAGMA integrity_check'), runs=3):7.1f} ms"
    )
    schema = "SELECT count(*) FROM sqlite_master"
    print(f"bare open + read the schema         {median_ms(lambda: raw(big, schema)):7.1f} ms")
    dest = folder / "copy.sqlite3"
    print(
        "backup_database                     "
        f"{median_ms(lambda: backup_database(big, dest, overwrite=True), runs=5):7.1f} ms"
    )
    target = folder / "restored.sqlite3"
    backups = folder / "backups"
    print(
        "restore_database (incl. keeping the replaced one) "
        f"{median_ms(lambda: restore_database(dest, target, backups), runs=3):6.1f} ms"
    )
    for old in backups.glob("*.sqlite3"):
        old.unlink()
    daily = median_ms(lambda: daily_backup(big, backups, date.today()), runs=1)
    print(f"daily_backup (first of the day)     {daily:7.1f} ms")
    print(
        "daily_backup (already done today)   "
        f"{median_ms(lambda: daily_backup(big, backups, date.today())):7.1f} ms"
    )

    db = open_database(f"sqlite:///{dest}")  # in use, recent commits in its -wal
    with db.transaction() as session:
        for _ in range(200):
            session.add(Meeting(form_id="initial", reason="x" * 500))
    try:
        in_use = median_ms(lambda: inspect_database(dest))
        print(f"inspect_database, in use with a -wal {in_use:6.1f} ms")
    finally:
        db.close()

    inspect = f"from s47desk.dbfile import inspect_database; inspect_database({str(big)!r})"
    print(f"fresh process: import + inspect       {child_cpu_s(inspect):.3f} s CPU")
    print(f"fresh process: python -c 'import sqlite3' {child_cpu_s('import sqlite3'):.3f} s CPU")


if __name__ == "__main__":
    main()
