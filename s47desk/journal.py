"""The recovery journal: edits that could not be saved yet, kept on disk until they are.

A small append-only file beside the database, readable by its owner only. When a save fails
(the database locked, read-only, full, or the server gone), the pending edits are appended and
flushed to disk before the user is told; each later attempt appends what was typed since. Once
they are stored, a marker says so, and the file is emptied when nothing is left. After a crash
the next start replays what the journal holds: replaying is safe because an edit already
stored is recognised and skipped (s47desk.editing).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from s47desk.editing import Edit, edit_from_json


@dataclass(frozen=True)
class Journalled:
    """One journalled edit: its number, when it was made, which meeting, and the edit."""

    seq: int
    at: datetime
    meeting_uid: str
    edit: Edit


class Journal:
    """Append, mark stored, read back what is still pending.

    Every edit keeps its own number, and each is marked stored on its own: the meetings of one
    window share the file, so a save of one meeting must never empty what another still needs.
    The file is emptied only when every edit in it is stored. One writing process (the one
    window); its threads share the object, hence the lock.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._next = 1
        self._written: set[int] = set()  # numbers of the edits in the file
        self._stored: set[int] = set()  # numbers known to be stored (or handed to the person)
        for record in self._records():
            if "edit" in record:
                seq = int(record.get("seq", 0))
                self._written.add(seq)
                self._next = max(self._next, seq + 1)
            elif "stored" in record:
                self._stored |= _numbers(record["stored"], self._written)
        self._earlier = self._written - self._stored  # left by an earlier run (a crash)

    def _records(self) -> list[dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        out = []
        for line in text.splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a crash: everything before it is whole
            if isinstance(record, dict):
                out.append(record)
        return out

    def _append(self, records: list[dict[str, Any]]) -> None:
        """Whole lines or nothing: a write that fails (a full disk) is cut back off, and a line
        a crash left unfinished is ended first, so no later line is glued to it."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            size = os.fstat(fd).st_size
            data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
            if size and os.pread(fd, 1, size - 1) != b"\n":
                data = "\n" + data
            try:
                os.write(fd, data.encode("utf-8", "surrogatepass"))
                os.fsync(fd)
            except OSError:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                raise
        finally:
            os.close(fd)

    def append(self, meeting_uid: str, edits: Iterable[Edit], at: datetime) -> list[int]:
        """Write *edits* to disk (flushed before returning); their numbers, in order."""
        with self._lock:
            records: list[dict[str, Any]] = []
            seqs: list[int] = []
            for edit in edits:
                seqs.append(self._next)
                records.append(
                    {
                        "seq": self._next,
                        "at": at.isoformat(timespec="seconds"),
                        "meeting": meeting_uid,
                        "edit": edit.as_json(),
                    }
                )
                self._next += 1
            if records:
                try:
                    self._append(records)
                except OSError:
                    self._next -= len(records)
                    raise
            self._written.update(seqs)
            return seqs

    def mark_stored(self, seqs: Iterable[int]) -> None:
        """The edits numbered *seqs* are in the database (or were handed to the person to
        keep); the file is emptied once every edit in it is."""
        with self._lock:
            fresh = set(seqs) & self._written - self._stored
            if not fresh:
                return
            self._stored |= fresh
            try:
                if self._written <= self._stored:
                    self._truncate()
                else:
                    self._append([{"stored": sorted(fresh)}])
            except OSError:  # the file still lists them: a replay finds them stored and skips
                pass

    def clear(self) -> None:
        """Forget everything in the file (only when the person has it back some other way)."""
        with self._lock:
            self._truncate()

    def _truncate(self) -> None:
        if self.path.exists():
            with self.path.open("r+b") as handle:
                handle.truncate(0)
                handle.flush()
                os.fsync(handle.fileno())
        self._written.clear()
        self._stored.clear()
        self._earlier.clear()

    def left_by_earlier_run(self) -> list[Journalled]:
        """The pending edits that were in the file when this run opened it: the ones to replay
        (what this run journals belongs to its open meetings, which save it themselves)."""
        if not self._earlier:
            return []
        return [j for j in self.pending() if j.seq in self._earlier]

    def pending(self) -> list[Journalled]:
        """Edits not yet known to be stored, oldest first."""
        with self._lock:
            stored = set(self._stored)
            records = self._records()
        out = []
        for record in records:
            if "edit" not in record:
                continue
            seq = int(record.get("seq", 0))
            if seq in stored:
                continue
            try:
                edit = edit_from_json(record["edit"])
                at = datetime.fromisoformat(record["at"])
            except (KeyError, TypeError, ValueError):
                continue
            out.append(Journalled(seq, at, str(record["meeting"]), edit))
        return out


def _numbers(marker: Any, written: set[int]) -> set[int]:
    """The numbers a "stored" line names: a list of them (or, from an older file, all up to one)."""
    if isinstance(marker, list):
        return {int(n) for n in marker}
    return {n for n in written if n <= int(marker)}


def journal_path(database_file: Path | None, url: str, data_folder: Path) -> Path:
    """Beside a SQLite file; for a server database, in the data folder (named by the URL)."""
    if database_file is not None:
        return database_file.with_name(database_file.name + ".s47-recovery")
    import hashlib

    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return data_folder / "recovery" / f"{digest}.s47-recovery"
