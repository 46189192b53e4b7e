"""How the record writes dates, references and decision answers: UK formats, shared labels."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from s47desk.decisions import DecisionKind, Detail
from s47desk.models import Meeting, SignOff
from s47desk.reference import make_reference

NOT_RECORDED = "Not recorded"


def uk_date(day: date | None) -> str:
    """23 November 2026."""
    return f"{day.day} {day:%B %Y}" if day else NOT_RECORDED


def short_date(day: date | None) -> str:
    """23/11/2026 (tables)."""
    return f"{day:%d/%m/%Y}" if day else "—"


def due_date(day: date | None) -> str:
    """Mon 23/11/2026: for deadlines, where the weekday matters (working days)."""
    return f"{day:%a %d/%m/%Y}" if day else "—"


def uk_datetime(moment: datetime | None) -> str:
    """23 November 2026 at 14:30 (a local wall-clock time, as the meeting records it)."""
    return f"{uk_date(moment.date())} at {moment:%H:%M}" if moment else NOT_RECORDED


def uk_time_from_utc(moment: datetime) -> str:
    """A stored UTC time (naive) in UK time, e.g. 23 November 2026 at 16:05 (UK time)."""
    aware = moment.replace(tzinfo=UTC)
    try:
        local = aware.astimezone(ZoneInfo("Europe/London"))
        zone = "UK time"
    except ZoneInfoNotFoundError:  # Windows without the tzdata package
        local, zone = aware, "UTC"
    return f"{uk_date(local.date())} at {local:%H:%M} ({zone})"


def reference(meeting: Meeting) -> str:
    """The record's reference in file names, subjects, footers and emails: the same in every
    database (s47desk.reference), never a child's name."""
    return meeting.reference or make_reference(meeting.uid or "", meeting.local_authority)


def latest_signoff(meeting: Meeting) -> SignOff | None:
    return meeting.signoffs[-1] if meeting.signoffs else None


def choice_label(kind: DecisionKind, choice: str) -> str:
    option = kind.option(choice) if choice else None
    return option.label if option else (choice or NOT_RECORDED)


def detail_value(detail: Detail, value: str) -> str:
    """A decision detail as people read it: option labels and UK dates, not stored codes."""
    if detail.kind == "choice":
        option = next((o for o in detail.options if o.value == value), None)
        return option.label if option else value
    if detail.kind == "date":
        try:
            return uk_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value
