"""The record's references, and the names its older callers use for s47desk.present's
renderings (one rendering of every value, wherever it is shown)."""

from __future__ import annotations

from datetime import date

from s47desk import present
from s47desk.models import Meeting, SignOff
from s47desk.reference import make_reference

NOT_RECORDED = present.NOT_RECORDED
uk_date = present.day
uk_datetime = present.moment
uk_time_from_utc = present.utc_moment
choice_label = present.choice
detail_value = present.detail


def due_date(day: date | None) -> str:
    """Tue 1 December 2026: for deadlines and due dates, where the weekday matters."""
    return present.weekday(day, "—")


def reference(meeting: Meeting) -> str:
    """The record's reference in file names, subjects, footers and emails: the same in every
    database (s47desk.reference), never a child's name."""
    return meeting.reference or make_reference(meeting.uid or "", meeting.local_authority)


def latest_signoff(meeting: Meeting) -> SignOff | None:
    return meeting.signoffs[-1] if meeting.signoffs else None
