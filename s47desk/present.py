"""How a stored value reads for people: one rendering for the record, the family copy, the
sign-step read-back and the emails, so that a date or a choice never reads two ways.

Dates read "1 December 2026"; where the weekday matters (deadlines counted in working days)
"Tue 1 December 2026"; times "1 December 2026 at 14:30"; choices by their labels; a
decision's details by their option labels and dates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from s47desk.decisions import DecisionKind, Detail
from s47desk.fields import FIELDS, FieldKind
from s47desk.vocab import Vocab

if TYPE_CHECKING:
    from s47desk.models import Child, Meeting

NOT_RECORDED = "Not recorded"


def day(value: date | None, empty: str = NOT_RECORDED) -> str:
    """1 December 2026."""
    return f"{value.day} {value:%B %Y}" if value else empty


def weekday(value: date | None, empty: str = NOT_RECORDED) -> str:
    """Tue 1 December 2026: for deadlines, where the weekday matters."""
    return _weekday(value) if value else empty


@lru_cache(maxsize=8192)
def _weekday(value: date) -> str:
    """Remembered: the list words every deadline of every meeting with it, and its dates repeat
    (``strftime`` was a tenth of ``list`` at 10,000 meetings)."""
    return f"{value:%a} {day(value)}"


def moment(value: datetime | None, empty: str = NOT_RECORDED, *, with_weekday: bool = False) -> str:
    """1 December 2026 at 14:30 (a local wall-clock time, as the meeting records it); with
    the weekday, Tue 1 December 2026 at 14:30, as the window's date fields show the day."""
    if not value:
        return empty
    shown = weekday(value.date()) if with_weekday else day(value.date())
    return f"{shown} at {value:%H:%M}"


def utc_moment(value: datetime) -> str:
    """A stored UTC time (naive) in UK time: 1 December 2026 at 16:05 (UK time)."""
    aware = value.replace(tzinfo=UTC)
    try:
        local = aware.astimezone(ZoneInfo("Europe/London"))
        zone = "UK time"
    except ZoneInfoNotFoundError:  # Windows without the tzdata package
        local, zone = aware, "UTC"
    return f"{day(local.date())} at {local:%H:%M} ({zone})"


def duration(start: datetime | None, end: datetime | None) -> str:
    """14:30 to 15:40 (1 hour 10 minutes); "" until both are known."""
    if start is None or end is None or end < start:
        return ""
    minutes = int((end - start).total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' * (hours != 1)}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' * (rest != 1)}")
    ends = f"{end:%H:%M}" if end.date() == start.date() else moment(end)
    return f"{start:%H:%M} to {ends} ({' '.join(parts)})"


def child_name(child: Child, index: int) -> str:
    """The child's name; while none is recorded, "Child 2" (its place in the list, from 0)."""
    return child.name.strip() or f"Child {index + 1}"


def label(value: Vocab | None, empty: str = NOT_RECORDED) -> str:
    """A vocabulary value by its label."""
    return value.label if value is not None else empty


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def choice(kind: DecisionKind, value: str) -> str:
    """A decision's choice by its label."""
    option = kind.option(value) if value else None
    return option.label if option else (value or NOT_RECORDED)


def detail(spec: Detail, value: str) -> str:
    """A decision detail: option labels and dates as people read them, text as typed."""
    if spec.kind == "choice":
        option = next((o for o in spec.options if o.value == value), None)
        return option.label if option else value
    if spec.kind == "date":
        try:
            return day(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def field(meeting: Meeting, field_id: str) -> str:
    """A scalar field of *meeting* ("meeting.<attribute>") as people read it."""
    spec = FIELDS[field_id]
    value = getattr(meeting, spec.attribute)
    if spec.kind is FieldKind.DATE:
        return day(value)
    if spec.kind is FieldKind.DATETIME:
        return moment(value)
    if spec.kind is FieldKind.BOOL:
        return yes_no(bool(value))
    if spec.kind is FieldKind.CHOICE:
        return label(value)
    if spec.kind is FieldKind.CHOICES:
        names = {v.value: v.label for v in spec.vocab or ()}
        return "; ".join(names.get(v, v) for v in value) or NOT_RECORDED
    if spec.kind in (FieldKind.TEXT, FieldKind.LONGTEXT):
        return str(value or "") or NOT_RECORDED
    raise ValueError(f"{field_id} is not a scalar field")
