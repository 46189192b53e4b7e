"""A damaged or foreign database is never modified: a plain message naming the file and the
problem, exit 2, and the file byte-for-byte as it was. Backup, restore, one window per file."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from s47desk.cli import main
from s47desk.instance import AlreadyOpen, InstanceLock
from s47desk.storage import open_database
from tests.conftest import REPO


def digests(path: Path) -> dict[str, str | None]:
    return {
        suffix: hashlib.sha256(Path(f"{path}{suffix}").read_bytes()).hexdigest()
        if Path(f"{path}{suffix}").exists()
        else None
        for suffix in ("", "-wal", "-shm")
    }


def made(path: Path) -> Path:
    """A real s47desk database with the demo meetings."""
    assert main(["--db", f"sqlite:///{path}", "demo"]) == 0
    return path


def zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def flipped(path: Path) -> None:
    made(path)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(b ^ 0xFF for b in data[middle : middle + 64])
    path.write_bytes(bytes(data))


def newer(path: Path) -> None:
    made(path)
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")


def foreign(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        connection.execute("INSERT INTO invoices (total) VALUES (12.5)")


def truncated(path: Path) -> None:
    made(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (zero_bytes, "is an empty file (0 bytes)"),
        (flipped, "damaged"),
        (newer, "newer"),
        (foreign, "not s47desk's"),
        (truncated, "damaged"),
    ],
    ids=["zero bytes", "flipped bytes", "newer schema", "foreign", "truncated"],
)
@pytest.mark.parametrize("command", [["list"], ["demo"], ["check", "1"]])
def test_a_database_s47desk_must_not_open_is_refused_and_left_as_it_was(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    spoil: object,
    words: str,
    command: list[str],
) -> None:
    path = tmp_path / "s47desk.sqlite3"
    spoil(path)  # type: ignore[operator]
    capsys.readouterr()
    before = digests(path)
    assert main(["--db", f"sqlite:///{path}", *command]) == 2
    out, err = capsys.readouterr()
    assert str(path) in err and words in err and "Traceback" not in err
    assert out == ""
    assert digests(path) == before


def test_the_demo_goes_only_into_a_database_s47desk_created(tmp_path: Path, qtbot: object) -> None:
    from s47desk.application import Application
    from s47desk.ui.app import load_demo_if_empty

    new = Application.open(db_url=f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert load_demo_if_empty(new) is True
    new.close()
    zero = tmp_path / "zero.sqlite3"
    zero.write_bytes(b"")
    found = Application.open(db_url=f"sqlite:///{zero}")
    with pytest.raises(Exception, match="empty file"):
        load_demo_if_empty(found)
    assert zero.read_bytes() == b""


def test_a_database_holding_meetings_is_not_asked_again_for_the_demo(
    tmp_path: Path, qtbot: object
) -> None:
    """At every start: whether the demo is wanted is known from opening the file, so the list
    is not kept waiting for a query (the first ORM query also configured every mapper)."""
    from sqlalchemy import event

    from s47desk.application import Application
    from s47desk.ui.app import load_demo_if_empty

    url = f"sqlite:///{tmp_path / 'team.sqlite3'}"
    first = Application.open(db_url=url)
    assert load_demo_if_empty(first) is True
    first.close()
    again = Application.open(db_url=url)
    statements: list[str] = []
    event.listen(again.db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    assert load_demo_if_empty(again) is False
    assert statements == []
    again.close()


def test_backup_then_restore_round_trip_keeps_the_replaced_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = made(tmp_path / "s47desk.sqlite3")
    url = f"sqlite:///{path}"
    backup = tmp_path / "copy.sqlite3"
    assert main(["--db", url, "backup", "-o", str(backup)]) == 0
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    capsys.readouterr()
    assert main(["--db", url, "list", "--json"]) == 0
    before = capsys.readouterr().out
    db = open_database(url)
    with db.engine.begin() as connection:  # the day goes on: a new draft after the backup
        connection.exec_driver_sql("UPDATE meeting SET reason = 'later' WHERE status = 'draft'")
    db.close()
    assert main(["--db", url, "restore", str(backup)]) == 0
    out = capsys.readouterr().out
    assert "kept in" in out
    kept = Path(out.split("kept in ")[1].strip().rstrip("."))
    assert kept.exists()
    assert main(["--db", url, "list", "--json"]) == 0
    assert capsys.readouterr().out == before
    with sqlite3.connect(kept) as connection:  # nothing is lost: the replaced one is kept
        assert connection.execute("SELECT count(*) FROM meeting WHERE reason = 'later'").fetchone()[
            0
        ]


def test_a_damaged_backup_is_refused_and_nothing_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = made(tmp_path / "s47desk.sqlite3")
    bad = tmp_path / "bad.sqlite3"
    flipped(bad)
    before = digests(path)
    assert main(["--db", f"sqlite:///{path}", "restore", str(bad)]) == 2
    assert "damaged" in capsys.readouterr().err
    assert digests(path) == before


def test_postgresql_backups_are_the_servers(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql+psycopg://team@db.council.example/s47desk"
    assert main(["--db", url, "backup"]) == 2
    assert "server's own backups" in capsys.readouterr().err


def test_one_window_per_database_file_and_a_crashed_one_is_taken_over(tmp_path: Path) -> None:
    database = tmp_path / "s47desk.sqlite3"
    first = InstanceLock(database)
    first.acquire()
    with pytest.raises(AlreadyOpen, match=str(database)):
        InstanceLock(database).acquire()
    first.release()
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from s47desk.instance import InstanceLock;"
            "lock = InstanceLock(Path(sys.argv[1])); lock.acquire(); print('held', flush=True);"
            "time.sleep(60)",
            str(database),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    with pytest.raises(AlreadyOpen, match="process"):
        InstanceLock(database).acquire()
    os.kill(child.pid, signal.SIGKILL)  # the window crashes
    child.wait()
    child.stdout.close()
    taken = InstanceLock(database)
    taken.acquire()  # at once: the system released the crashed process's lock
    assert taken.held
    taken.release()


def test_a_restore_is_refused_while_a_window_has_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = made(tmp_path / "s47desk.sqlite3")
    backup = tmp_path / "copy.sqlite3"
    assert main(["--db", f"sqlite:///{path}", "backup", "-o", str(backup)]) == 0
    window = InstanceLock(path)
    window.acquire()
    try:
        assert main(["--db", f"sqlite:///{path}", "restore", str(backup)]) == 2
        assert "already open" in capsys.readouterr().err
        assert main(["--db", f"sqlite:///{path}", "list"]) == 0  # reads still work
    finally:
        window.release()
