"""When s47desk itself fails: say so in plain words, and keep a report that holds no case data.

A traceback's messages and SQL parameters can carry a child's name or what an agency shared,
so the report keeps only where the failure happened (file, line, function) and the kind of
error — never messages, values or local variables. It is written owner-only in the data folder.
"""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from s47desk import __version__
from s47desk.paths import data_dir


def crash_folder() -> Path:
    return data_dir() / "crash-reports"


def frames(tb: TracebackType | None) -> list[str]:
    """Where the failure happened, one line per frame, without source text or values."""
    return [
        f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(tb)
    ]


def write_crash_report(exc: BaseException) -> Path | None:
    """Write an owner-only report of *exc* (kinds and places only); None if it cannot be
    written (the failure is still reported to the user)."""
    lines = [f"s47desk {__version__} at {datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}"]
    seen: BaseException | None = exc
    while seen is not None:
        lines.append(f"{type(seen).__module__}.{type(seen).__qualname__}")
        lines += frames(seen.__traceback__)
        seen = seen.__cause__ or seen.__context__
        if seen is not None:
            lines.append("while handling, or caused by:")
    folder = crash_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"crash-{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    except OSError:
        return None
    return path


def describe_crash(exc: BaseException) -> str:
    """What the user is told: the kind of failure and where the report is, never its details."""
    path = write_crash_report(exc)
    where = f" A report without any case details is in {path}." if path else ""
    return (
        f"s47desk failed unexpectedly ({type(exc).__name__}). What was already saved is safe."
        f"{where} Please send it to your IT support."
    )
