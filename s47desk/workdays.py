"""Working days: weekends, the UK nation's bank holidays and local closure days excluded.

"Within N working days of D" is the Nth working day after D (the Standard Safeguarding Dataset
convention); N = 0 means the same day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cached_property

import holidays

from s47desk.vocab import Vocab


class Region(Vocab):
    """The UK nation whose bank holidays apply (England and Wales share theirs)."""

    ENGLAND_WALES = "england_wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


_SUBDIVISION = {
    Region.ENGLAND_WALES: "ENG",
    Region.SCOTLAND: "SCT",
    Region.NORTHERN_IRELAND: "NIR",
}


class WorkingCalendar:
    """Answers "is this a working day?" and counts working days for one region."""

    def __init__(
        self, region: Region = Region.ENGLAND_WALES, closures: Iterable[date] = ()
    ) -> None:
        self.region = region
        self.closures = frozenset(closures)

    @cached_property
    def _bank_holidays(self) -> holidays.HolidayBase:
        # Without the subdivision Easter Monday and the summer bank holiday are missing.
        return holidays.country_holidays("GB", subdiv=_SUBDIVISION[self.region])

    def non_working_reason(self, day: date) -> str | None:
        """Why *day* is not a working day ("Saturday", "Christmas Day", "Local closure"), or None."""
        if day.weekday() >= 5:
            return day.strftime("%A")
        name = self._bank_holidays.get(day)
        if name:
            return str(name)
        if day in self.closures:
            return "Local closure day"
        return None

    def is_working_day(self, day: date) -> bool:
        return self.non_working_reason(day) is None

    def add_working_days(self, start: date, days: int) -> date:
        """The *days*-th working day after *start* (the same day when *days* is 0)."""
        if days < 0:
            raise ValueError("a timescale cannot be a negative number of working days")
        current = start
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after *start* up to and including *end*; negative when *end* is earlier."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            count += self.is_working_day(current)
        return count
