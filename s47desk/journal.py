"""The recovery journal: edits that could not be saved yet, kept on disk until they are.

A small append-only file beside the database, readable by its owner only. When a save fails
(the database locked, read-only, full, or the server gone), the pending edits are appended and
flushed to disk before the user is told; each later attempt appends what was typed since. Once
they are stored, a marker says so, and the file is emptied when nothing is left. After a crash
the next start replays what the journal holds: replaying is safe because an edit already
stored is recognised and skipped (s47desk.editing).
"""

from __future__ import annotations

import json
import os
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
    """Append, mark stored, read back what is still pending. One writer: the one window."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._next = 1
        self._stored = 0
        for record in self._records():
            self._next = max(self._next, int(record.get("seq", 0)) + 1)
            self._stored = max(self._stored, int(record.get("stored", 0)))

    def _records(self) -> Iterable[dict[str, Any]]:
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
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
            os.write(fd, data.encode("utf-8", "surrogatepass"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def append(self, meeting_uid: str, edits: Iterable[Edit], at: datetime) -> int:
        """Write *edits* to disk (flushed before returning); the last number written."""
        records = []
        for edit in edits:
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
            self._append(records)
        return self._next - 1

    def mark_stored(self, up_to: int) -> None:
        """Edits up to number *up_to* are in the database; empty the file when all are."""
        if up_to <= self._stored:
            return
        self._stored = up_to
        if up_to >= self._next - 1:
            self.clear()
        else:
            self._append([{"stored": up_to}])

    def clear(self) -> None:
        if self.path.exists():
            with self.path.open("r+b") as handle:
                handle.truncate(0)
                handle.flush()
                os.fsync(handle.fileno())
        self._stored = self._next - 1

    def pending(self) -> list[Journalled]:
        """Edits not yet known to be stored, oldest first."""
        out = []
        for record in self._records():
            seq = int(record.get("seq", 0))
            if "edit" not in record or seq <= self._stored:
                continue
            try:
                edit = edit_from_json(record["edit"])
                at = datetime.fromisoformat(record["at"])
            except (KeyError, TypeError, ValueError):
                continue
            out.append(Journalled(seq, at, str(record["meeting"]), edit))
        return out


def journal_path(database_file: Path | None, url: str, data_folder: Path) -> Path:
    """Beside a SQLite file; for a server database, in the data folder (named by the URL)."""
    if database_file is not None:
        return database_file.with_name(database_file.name + ".s47-recovery")
    import hashlib

    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return data_folder / "recovery" / f"{digest}.s47-recovery"
