"""Every date a field shows reads back as the same date (a field that cannot parse its own text
refuses Enter and leaving it, as the new-meeting dialog did once the display format changed)."""

from __future__ import annotations

from datetime import date, timedelta

from s47desk.protocol import Protocol
from s47desk.ui.date_field import format_date, parse_date


def test_what_a_date_field_shows_reads_back() -> None:
    calendar = Protocol().calendar()
    day = date(2026, 1, 1)
    for _ in range(800):
        assert parse_date(format_date(day), date(2026, 11, 23), calendar) == day
        day += timedelta(days=1)
