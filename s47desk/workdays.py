"""Working days: weekends, the UK nation's bank holidays and local closure days excluded.

"Within N working days of D" is the Nth working day after D (the Standard Safeguarding Dataset
convention); N = 0 means the same day.

Every calendar of one region and set of closure days shares one bank-holiday list and one table
of running working-day counts (built a year at a time, on first use), so a calendar is free to
make and adding or counting working days is a lookup, not a walk day by day: the list of 10,000
meetings asks for tens of thousands of deadlines. The answers are exactly those of walking.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from s47desk.vocab import Vocab

if TYPE_CHECKING:
    import holidays


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


class _Days:
    """What one (region, closure days) knows, shared by every calendar of them; thread-safe
    (the list is worked out on a worker thread while the window asks for deadlines)."""

    def __init__(self, region: Region, closures: frozenset[date]) -> None:
        self.region = region
        self.closures = closures
        self._lock = threading.Lock()
        self._holidays: holidays.HolidayBase | None = None
        self._reasons: dict[date, str | None] = {}
        self._years: dict[int, dict[date, str]] = {}
        self.added: dict[tuple[date, int], date] = {}  # (start, days) -> the day
        # Running counts over whole years [first, first + len(counts)): counts[i] is the number
        # of working days from the first day up to and including day first + i.
        self._table: tuple[int, tuple[int, ...]] = (0, ())

    def bank_holidays(self) -> holidays.HolidayBase:
        with self._lock:
            return self.bank_holidays_unlocked()

    def bank_holidays_unlocked(self) -> holidays.HolidayBase:
        if self._holidays is None:
            import holidays  # ~0.15 s with the UK's rules: only when a year is not cached

            # Without the subdivision Easter Monday and the summer bank holiday are missing.
            self._holidays = holidays.country_holidays("GB", subdiv=_SUBDIVISION[self.region])
        return self._holidays

    def names(self, year: int) -> dict[date, str]:
        """The bank holidays of *year* by date, with their names."""
        found = self._years.get(year)
        if found is None:
            with self._lock:
                found = self._years.get(year)
                if found is None:
                    found = self._years[year] = self._load_year(year)
        return found

    def _load_year(self, year: int) -> dict[date, str]:
        """From this user's cache, when the same release of the library made it; else from
        the library (importing it costs more than the rest of a ``deadlines`` command), and
        then remembered in the cache."""
        cached = _HOLIDAY_CACHE.read(self.region)
        if str(year) in cached:
            return {date.fromisoformat(d): n for d, n in cached[str(year)].items()}
        bank = self.bank_holidays_unlocked()
        _ = date(year, 1, 1) in bank  # the library works a year out on first look
        names = {d: str(n) for d, n in bank.items() if d.year == year}
        _HOLIDAY_CACHE.add(self.region, year, names)
        return names

    def reason(self, day: date) -> str | None:
        try:
            return self._reasons[day]
        except KeyError:
            pass
        if day.weekday() >= 5:
            found: str | None = day.strftime("%A")
        else:
            name = self.names(day.year).get(day)
            if name:
                found = str(name)
            elif day in self.closures:
                found = "Local closure day"
            else:
                found = None
        self._reasons[day] = found
        return found

    def table(self, low: date, high: date) -> tuple[int, tuple[int, ...]]:
        """The running counts, covering at least *low* to *high* (whole years)."""
        first, counts = self._table
        if counts and first <= low.toordinal() and high.toordinal() < first + len(counts):
            return first, counts
        with self._lock:
            first, counts = self._table
            if counts:
                have_low = date.fromordinal(first)
                have_high = date.fromordinal(first + len(counts) - 1)
                low, high = min(low, have_low), max(high, have_high)
        start = date(low.year, 1, 1)
        end = date(high.year, 12, 31)
        running, out = 0, []
        day = start
        one = timedelta(days=1)
        while day <= end:
            running += self.reason(day) is None
            out.append(running)
            day += one
        table = (start.toordinal(), tuple(out))
        with self._lock:
            if len(table[1]) >= len(self._table[1]):
                self._table = table
        return table


class _HolidayCache:
    """Bank holidays already worked out by the library, per region and year, in a file of the
    user's (s47desk's data folder): valid only for the release of the library that made them
    (its files' sizes and times), so a new release with new one-off holidays is asked again."""

    def __init__(self) -> None:
        self._read: dict[str, tuple[str, dict[str, dict[str, str]]]] = {}
        self._lock = threading.RLock()

    @staticmethod
    def _path(region: Region) -> Any:
        from s47desk.paths import data_dir

        return data_dir() / "cache" / f"bank-holidays-{region.value}.json"

    @staticmethod
    def _release() -> str:
        """Which copy of the library is installed, without importing it."""
        import importlib.util
        from pathlib import Path

        spec = importlib.util.find_spec("holidays")
        if spec is None or spec.origin is None:
            return ""
        folder = Path(spec.origin).parent
        parts = [str(folder)]
        for name in ("__init__.py", "version.py"):
            try:
                info = (folder / name).stat()
            except OSError:
                continue
            parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
        return "|".join(parts)

    def read(self, region: Region) -> dict[str, dict[str, str]]:
        with self._lock:
            return self._read_unlocked(region)

    def _read_unlocked(self, region: Region) -> dict[str, dict[str, str]]:
        import json

        path = self._path(region)
        key = str(path)
        if key not in self._read:
            years: dict[str, dict[str, str]] = {}
            release = self._release()
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, dict) and data.get("release") == release and release:
                    years = {
                        str(y): {str(d): str(n) for d, n in v.items()}
                        for y, v in data.get("years", {}).items()
                        if isinstance(v, dict)
                    }
            except (OSError, ValueError, AttributeError):
                years = {}
            self._read[key] = (release, years)
        return self._read[key][1]

    def add(self, region: Region, year: int, names: dict[date, str]) -> None:
        with self._lock:
            years = self._read_unlocked(region)
            years[str(year)] = {d.isoformat(): n for d, n in names.items()}
            release = self._read[str(self._path(region))][0]
            if release:
                self._write(region, release, years)

    def _write(self, region: Region, release: str, years: dict[str, dict[str, str]]) -> None:
        import contextlib
        import json
        import os

        path = self._path(region)
        with contextlib.suppress(OSError):  # only a cache
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temp = path.with_name(f".{path.name}.{os.getpid()}")
            temp.write_text(json.dumps({"release": release, "years": years}), encoding="utf-8")
            temp.chmod(0o600)
            temp.replace(path)


_HOLIDAY_CACHE = _HolidayCache()
_SHARED: dict[tuple[Region, frozenset[date]], _Days] = {}
_SHARED_LOCK = threading.Lock()


def _days_of(region: Region, closures: frozenset[date]) -> _Days:
    key = (region, closures)
    found = _SHARED.get(key)
    if found is None:
        with _SHARED_LOCK:
            found = _SHARED.setdefault(key, _Days(region, closures))
    return found


class WorkingCalendar:
    """Answers "is this a working day?" and counts working days for one region."""

    def __init__(
        self, region: Region = Region.ENGLAND_WALES, closures: Iterable[date] = ()
    ) -> None:
        self.region = region
        self.closures = frozenset(closures)
        self._days = _days_of(region, self.closures)

    @property
    def _bank_holidays(self) -> Any:
        return self._days.bank_holidays()

    def non_working_reason(self, day: date) -> str | None:
        """Why *day* is not a working day ("Saturday", "Christmas Day", "Local closure"), or None."""
        return self._days.reason(day)

    def is_working_day(self, day: date) -> bool:
        return self._days.reason(day) is None

    def add_working_days(self, start: date, days: int) -> date:
        """The *days*-th working day after *start* (the same day when *days* is 0)."""
        added = self._days.added
        try:
            return added[start, days]
        except KeyError:
            pass
        if days < 0:
            raise ValueError("a timescale cannot be a negative number of working days")
        found = start
        reach = timedelta(days=2 * days + 21)  # more than enough for any run of holidays
        while days:
            first, counts = self._days.table(start, start + reach)
            target = counts[start.toordinal() - first] + days
            # The first day whose running count reaches the target is that working day.
            index = bisect_left(counts, target, lo=start.toordinal() - first)
            if index < len(counts):
                found = date.fromordinal(first + index)
                break
            reach *= 2  # pragma: no cover - only past the end of the years built
        added[start, days] = found
        return found

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after *start* up to and including *end*; negative when *end* is earlier."""
        if end < start:
            return -self.working_days_between(end, start)
        first, counts = self._days.table(start, end)
        return counts[end.toordinal() - first] - counts[start.toordinal() - first]
