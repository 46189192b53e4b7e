"""The edits of one open meeting on their way to the database: pending, in flight, stored.

One small object (like qutebrowser's savemanager), without Qt, so the window and the crash test
drive the same path: :meth:`SaveQueue.take` hands the pending edits to one save (the window runs
it on a worker thread), :meth:`SaveQueue.finished` takes its outcome back. A failed save puts
its edits back in front and writes everything unsaved to the recovery journal before anyone is
told; "All changes saved" is true only when nothing is pending, in flight or unsaved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from s47desk.editing import Conflict, Edit, FieldEdit, Saved, coalesce
from s47desk.journal import Journal
from s47desk.models import utcnow


@dataclass(frozen=True)
class Batch:
    """Edits handed to one save: as typed (*raw*, one per change) and *edits* to write (runs of
    the same field coalesced into one)."""

    meeting_uid: str
    raw: tuple[Edit, ...]

    @property
    def edits(self) -> list[Edit]:
        return coalesce(self.raw)


@dataclass
class Outcome:
    """What became of one save, as the window reports it."""

    saved: Saved | None = None
    failed: str = ""  # why the database could not take it now (edits kept, will retry)
    locked: str = ""  # the meeting was signed meanwhile: these edits can never be saved
    refused: tuple[Edit, ...] = ()  # the edits the signed meeting refused
    conflicts: tuple[Conflict, ...] = field(default=())


class SaveQueue:
    """Pending edits of one meeting, the one save in flight, and the journal behind them."""

    def __init__(
        self,
        meeting_uid: str,
        journal: Journal | None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.meeting_uid = meeting_uid
        self.journal = journal
        self.clock = clock
        self.pending: list[Edit] = []
        self.in_flight: Batch | None = None
        self.failing = ""  # why the last save failed; "" once one succeeds
        self.journal_problem = ""  # why the journal could not be written; "" once it could
        self._journalled: dict[int, int] = {}  # id of an unsaved edit on disk -> its number

    # -- state ------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """Something typed is not yet in the database."""
        return bool(self.pending) or self.in_flight is not None

    def unsaved(self) -> list[Edit]:
        return [*(self.in_flight.raw if self.in_flight else ()), *self.pending]

    def unjournalled(self) -> list[Edit]:
        """Unsaved edits that are not on disk either (the journal could not be written): the
        only copy is on screen, so closing must not drop them."""
        if not self.failing:
            return []
        return [e for e in self.unsaved() if id(e) not in self._journalled]

    def pending_for(self, uid: str, column: str) -> bool:
        """An unsaved edit of this field exists (a reload must not overwrite it)."""
        return any(isinstance(e, FieldEdit) and e.key == (uid, column) for e in self.unsaved())

    # -- the flow -----------------------------------------------------------------------------
    def add(self, edit: Edit) -> None:
        self.pending.append(edit)
        if self.failing:  # while saves fail, every edit goes to disk at once
            self._journal_new()

    def take(self) -> Batch | None:
        """The pending edits as one save; None if nothing is pending or a save is already in
        flight (one at a time, in order)."""
        if self.in_flight is not None or not self.pending:
            return None
        self.in_flight = Batch(self.meeting_uid, tuple(self.pending))
        self.pending = []
        return self.in_flight

    def finished(self, outcome: Outcome) -> Outcome:
        """Take back the outcome of the save in flight."""
        batch, self.in_flight = self.in_flight, None
        if batch is None:
            return outcome
        if outcome.failed:
            self.pending = [*batch.raw, *self.pending]
            self.failing = outcome.failed
            self._journal_new()
            return outcome
        if outcome.locked:  # handed to the person to copy (the window shows them at once)
            outcome.refused = (*batch.raw, *self.pending)
            self.pending = []
        self.failing = self.journal_problem = ""
        settled = [*batch.raw, *outcome.refused]
        seqs = [n for e in settled if (n := self._journalled.pop(id(e), None)) is not None]
        if seqs and self.journal is not None:
            self.journal.mark_stored(seqs)
        return outcome

    def _journal_new(self) -> None:
        """Write the unsaved edits not yet in the journal (flushed to disk before returning).

        If the journal cannot be written either (the disk is full), the edits stay in memory
        and on screen, ``journal_problem`` says so, and the next attempt tries again.
        """
        if self.journal is None:
            return
        fresh = [e for e in self.unsaved() if id(e) not in self._journalled]
        if not fresh:
            return
        try:
            seqs = self.journal.append(self.meeting_uid, fresh, self.clock())
        except OSError as exc:
            self.journal_problem = f"the recovery journal cannot be written ({exc.strerror or exc})"
            return
        self.journal_problem = ""
        self._journalled.update(zip((id(e) for e in fresh), seqs, strict=True))
