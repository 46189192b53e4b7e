"""After a crash: the edits the recovery journal still holds are saved now, or offered back.

Replaying is safe: an edit already stored is recognised and skipped, one whose field was
changed by someone else since is returned as a conflict for the person to settle, and one for
a meeting signed meanwhile is returned as refused with its text, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from s47desk.audit import Actor
from s47desk.editing import (
    Conflict,
    Edit,
    MeetingGone,
    MeetingLocked,
    SaveFailed,
    collapse,
    save_edits,
)
from s47desk.journal import Journal, Journalled

if TYPE_CHECKING:
    from s47desk.storage import Database


@dataclass
class Recovered:
    """What replaying the journal did."""

    stored: int = 0  # edits now in the database
    since: datetime | None = None  # when the earliest of them was made
    conflicts: list[Conflict] = field(default_factory=list)
    refused: list[tuple[str, Edit]] = field(default_factory=list)  # (why, edit): signed meanwhile
    failed: str = ""  # the database still cannot take them: they stay in the journal

    def summary(self) -> str:
        if self.failed:
            return f"Unsaved edits from an earlier session are kept for later: {self.failed}."
        if not self.stored and not self.conflicts and not self.refused:
            return ""
        when = f" from {self.since:%H:%M}" if self.since else ""
        parts = [f"Recovered {self.stored} edit{'s' * (self.stored != 1)}{when}"]
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} changed by someone else meanwhile: choose below")
        if self.refused:
            parts.append(f"{len(self.refused)} for a meeting signed meanwhile: copy them below")
        return "; ".join(parts) + "."


def replay(db: Database, journal: Journal, actor: Actor) -> Recovered:
    """Save what an earlier run left in *journal*, meeting by meeting; what is stored (or handed back as a
    conflict or refusal) is marked so, and only that: edits journalled since stay."""
    pending = journal.left_by_earlier_run()
    result = Recovered()
    if not pending:
        return result
    result.since = min(j.at for j in pending)
    by_meeting: dict[str, list[Journalled]] = {}
    for entry in pending:
        by_meeting.setdefault(entry.meeting_uid, []).append(entry)
    for meeting_uid, entries in by_meeting.items():
        edits = [j.edit for j in entries]
        try:
            saved = save_edits(db, meeting_uid, collapse(edits), actor)
        except SaveFailed as exc:
            result.failed = str(exc)
            return result  # this meeting's edits and the rest stay in the journal
        except (MeetingLocked, MeetingGone) as exc:
            result.refused += [(str(exc), e) for e in edits]
        else:
            result.conflicts += saved.conflicts
            result.stored += len(edits) - len(saved.conflicts)
        journal.mark_stored(j.seq for j in entries)
    return result
