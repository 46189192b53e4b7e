"""Working-day arithmetic across weekends, bank holidays of each UK nation and local closures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s47desk.workdays import Region, WorkingCalendar

# England and Wales bank holidays as published on GOV.UK: the reference the library must match.
ENGLAND_2026_27 = {
    date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4), date(2026, 5, 25),
    date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 28),
    date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3), date(2027, 5, 31),
    date(2027, 8, 30), date(2027, 12, 27), date(2027, 12, 28),
}  # fmt: skip


def reference_add(start: date, days: int) -> date:
    """A deliberately naive re-implementation from the published list."""
    current = start
    while days:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in ENGLAND_2026_27:
            days -= 1
    return current


ENGLAND = WorkingCalendar(Region.ENGLAND_WALES)


@pytest.mark.parametrize(
    ("start", "days", "expected", "why"),
    [
        (date(2026, 12, 24), 0, date(2026, 12, 24), "0 working days is the same day"),
        (date(2026, 12, 24), 1, date(2026, 12, 29), "Christmas Fri, weekend, Boxing Day Mon"),
        (date(2026, 12, 24), 4, date(2027, 1, 4), "and New Year's Day on the Friday"),
        (date(2027, 3, 25), 1, date(2027, 3, 30), "Good Friday and Easter Monday"),
        (date(2027, 5, 28), 1, date(2027, 6, 1), "late-May (spring) bank holiday Monday"),
        (date(2026, 11, 20), 2, date(2026, 11, 24), "a plain weekend"),
        (date(2026, 11, 21), 1, date(2026, 11, 23), "counting from a Saturday"),
        (date(2026, 12, 10), 15, date(2027, 1, 5), "ICPC 15 days across Christmas"),
    ],
)
def test_add_working_days(start: date, days: int, expected: date, why: str) -> None:
    assert ENGLAND.add_working_days(start, days) == expected, why


@given(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 9, 30)),
    st.integers(min_value=0, max_value=45),
)
def test_matches_the_published_bank_holidays(start: date, days: int) -> None:
    assert ENGLAND.add_working_days(start, days) == reference_add(start, days)


@given(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 9, 30)),
    st.integers(min_value=0, max_value=45),
)
def test_counting_back_inverts_adding(start: date, days: int) -> None:
    end = ENGLAND.add_working_days(start, days)
    assert ENGLAND.working_days_between(start, end) == days
    assert ENGLAND.working_days_between(end, start) == -days


def test_nations_differ() -> None:
    scotland = WorkingCalendar(Region.SCOTLAND)
    northern_ireland = WorkingCalendar(Region.NORTHERN_IRELAND)
    # 2 January is a Scottish bank holiday (observed Monday 4 January 2027); not in England.
    assert ENGLAND.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert scotland.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 5)
    assert scotland.non_working_reason(date(2026, 11, 30)) == "Saint Andrew's Day"
    assert ENGLAND.is_working_day(date(2026, 11, 30))
    assert not northern_ireland.is_working_day(date(2027, 3, 17))
    # Easter Monday is not a bank holiday in Scotland.
    assert scotland.is_working_day(date(2027, 3, 29))


def test_local_closure_days() -> None:
    closures = WorkingCalendar(Region.ENGLAND_WALES, {date(2026, 12, 29), date(2026, 12, 30)})
    assert closures.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 31)
    assert closures.non_working_reason(date(2026, 12, 29)) == "Local closure day"


def test_names_why_a_day_is_not_working() -> None:
    assert ENGLAND.non_working_reason(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert ENGLAND.non_working_reason(date(2026, 11, 22)) == "Sunday"
    assert ENGLAND.non_working_reason(date(2026, 11, 23)) is None


def test_negative_timescale_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        ENGLAND.add_working_days(date(2026, 1, 5), -1)


def walk_add(calendar: WorkingCalendar, start: date, days: int) -> date:
    """Adding day by day, asking only "is this a working day?" (the cached table must agree)."""
    current = start
    while days:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            days -= 1
    return current


@pytest.mark.parametrize("region", list(Region))
@given(
    start=st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31)),
    days=st.integers(min_value=0, max_value=100),
)
def test_the_cached_table_agrees_with_walking(region: Region, start: date, days: int) -> None:
    closures = {date(2026, 12, 29), date(2031, 6, 2)}
    for calendar in (WorkingCalendar(region), WorkingCalendar(region, closures)):
        end = calendar.add_working_days(start, days)
        assert end == walk_add(calendar, start, days)
        walked = sum(
            calendar.is_working_day(start + timedelta(days=i))
            for i in range(1, (end - start).days + 1)
        )
        assert calendar.working_days_between(start, end) == walked


def test_calendars_share_what_they_know() -> None:
    """Making a calendar costs nothing: each protocol's region and closures share one."""
    a, b = WorkingCalendar(Region.SCOTLAND), WorkingCalendar(Region.SCOTLAND)
    assert a._days is b._days
    assert WorkingCalendar(Region.SCOTLAND, {date(2026, 1, 5)})._days is not a._days


def test_cached_bank_holidays_are_the_librarys(tmp_path, monkeypatch) -> None:
    """The names and dates a later run reads from the cache are exactly the library's, and a
    cache made by another release of the library is not used."""
    import json

    import holidays

    from s47desk import workdays

    for region in Region:
        library = holidays.country_holidays("GB", subdiv=workdays._SUBDIVISION[region])
        workdays._SHARED.clear()
        workdays._HOLIDAY_CACHE._read.clear()
        first = WorkingCalendar(region)
        days = [date(2024, 1, 1) + timedelta(days=i) for i in range(3 * 366)]
        made = [first.non_working_reason(d) for d in days]
        workdays._SHARED.clear()
        workdays._HOLIDAY_CACHE._read.clear()  # a new process: only the file is left
        again = [WorkingCalendar(region).non_working_reason(d) for d in days]
        expected = [d.strftime("%A") if d.weekday() >= 5 else library.get(d) for d in days]
        assert made == again == expected
    path = workdays._HOLIDAY_CACHE._path(Region.SCOTLAND)
    data = json.loads(path.read_text())
    data["years"]["2025"] = {"2025-06-02": "A forged holiday"}
    data["release"] = "another release"
    path.write_text(json.dumps(data))
    workdays._SHARED.clear()
    workdays._HOLIDAY_CACHE._read.clear()
    assert WorkingCalendar(Region.SCOTLAND).is_working_day(date(2025, 6, 2))
