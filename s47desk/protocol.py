"""The local protocol: timescales, region, closure days and marking, with the guidance defaults.

Every timescale the guidance sets lives here once. A local authority overrides any of them with
a TOML file (``--protocol`` or the setting); a bad file gets an error naming the key and problem.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from s47desk.errors import UserError
from s47desk.vocab import Urgency
from s47desk.workdays import Region, WorkingCalendar

# Working days from the date concerns were identified to the strategy discussion.
STRATEGY_DISCUSSION_DAYS: dict[Urgency, int] = {
    Urgency.SERIOUS_HARM: 0,  # guidance 000: the same day as receipt of the referral
    Urgency.SEXUAL_ABUSE_FORENSIC: 0,  # guidance 000: same day, to secure forensic evidence
    Urgency.IMMEDIATE_ACTION: 1,  # guidance 000: within one working day
    Urgency.CRITICAL_INCIDENT: 1,  # guidance 000: significant event or critical incident
    Urgency.STANDARD: 2,  # guidance 004: within 2 working days of concerns being identified
    Urgency.CUMULATIVE: 3,  # guidance 000: accumulative concerns, neglect: no later than 3
    Urgency.MISSING_72H: 3,  # guidance 000: children missing for 72 hours or longer
    Urgency.COMPLEX: 5,  # guidance 000, 004: maximum of five working days
}

TIMESCALE_KEYS = (
    "lado_notification",
    "record_circulation",
    "icpc",
    "assessment",
    "cin_planning",
)


@dataclass(frozen=True)
class Protocol:
    strategy_discussion_days: dict[Urgency, int] = field(
        default_factory=lambda: dict(STRATEGY_DISCUSSION_DAYS)
    )
    lado_notification: int = 1  # guidance 000: LADO notified within 1 working day
    record_circulation: int = 1  # guidance 002 "as soon as practicable"; local practice: 1
    icpc: int = 15  # guidance 000, 002: 15 working days from the initiating discussion
    assessment: int = 45  # guidance 000, 002, 003: 45 working days from referral
    cin_planning: int = 7  # guidance 000: child in need planning meeting within 7 working days
    whereabouts_hours: int = 24  # guidance 002: strategy discussion with police within 24 hours
    region: Region = Region.ENGLAND_WALES
    closure_days: frozenset[date] = frozenset()
    protective_marking: str = "OFFICIAL-SENSITIVE"
    source: str = "guidance defaults"

    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(self.region, self.closure_days)

    def with_region(self, region: Region) -> Protocol:
        return replace(self, region=region)


class ProtocolError(ValueError, UserError):
    """A local-protocol file is not valid; the message names the file, key and problem."""


_SECTIONS = {"timescales", "strategy_discussion", "calendar", "record"}


def load_protocol(path: str | Path | None) -> Protocol:
    """The guidance defaults, overridden by the TOML file at *path* when given."""
    if path is None:
        return Protocol()
    where = Path(path)
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProtocolError(f"{where}: local-protocol file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProtocolError(f"{where}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(f"{where}: not valid TOML ({exc})") from None
    return _parse(data, str(where))


def _parse(data: dict[str, Any], where: str) -> Protocol:
    unknown = set(data) - _SECTIONS
    if unknown:
        raise ProtocolError(
            f"{where}: unknown section [{sorted(unknown)[0]}]; allowed: {', '.join(sorted(_SECTIONS))}"
        )
    changes: dict[str, Any] = {"source": where}
    timescales = _table(data, "timescales", where)
    for key, value in timescales.items():
        if key == "whereabouts_hours":
            changes[key] = _days(value, f"timescales.{key}", where, limit=24 * 7)
        elif key in TIMESCALE_KEYS:
            changes[key] = _days(value, f"timescales.{key}", where)
        else:
            allowed = ", ".join((*TIMESCALE_KEYS, "whereabouts_hours"))
            raise ProtocolError(f"{where}: timescales.{key} is not a timescale; allowed: {allowed}")
    strategy = dict(STRATEGY_DISCUSSION_DAYS)
    for key, value in _table(data, "strategy_discussion", where).items():
        try:
            urgency = Urgency.parse(key)
        except ValueError as exc:
            raise ProtocolError(f"{where}: strategy_discussion.{key}: {exc}") from None
        strategy[Urgency(urgency)] = _days(value, f"strategy_discussion.{key}", where)
    changes["strategy_discussion_days"] = strategy
    calendar = _table(data, "calendar", where)
    for key, value in calendar.items():
        if key == "region":
            try:
                changes["region"] = Region(Region.parse(str(value)))
            except ValueError as exc:
                raise ProtocolError(f"{where}: calendar.region: {exc}") from None
        elif key == "closure_days":
            changes["closure_days"] = _dates(value, where)
        else:
            raise ProtocolError(
                f"{where}: calendar.{key} is unknown; allowed: region, closure_days"
            )
    for key, value in _table(data, "record", where).items():
        if key != "protective_marking":
            raise ProtocolError(f"{where}: record.{key} is unknown; allowed: protective_marking")
        if not isinstance(value, str) or not value.strip() or len(value) > 60:
            raise ProtocolError(
                f"{where}: record.protective_marking must be text of 1 to 60 characters"
            )
        changes["protective_marking"] = value.strip()
    return replace(Protocol(), **changes)


def _table(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ProtocolError(f"{where}: [{name}] must be a table")
    return value


def _days(value: Any, key: str, where: str, limit: int = 100) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise ProtocolError(
            f"{where}: {key} must be a whole number from 0 to {limit}, not {value!r}"
        )
    return value


def _dates(value: Any, where: str) -> frozenset[date]:
    if not isinstance(value, list):
        raise ProtocolError(f"{where}: calendar.closure_days must be a list of dates")
    days = set()
    for index, item in enumerate(value):
        if isinstance(item, date) and not hasattr(item, "hour"):
            days.add(item)
            continue
        raise ProtocolError(
            f"{where}: calendar.closure_days[{index}] must be a TOML date like 2026-12-29, not {item!r}"
        )
    return frozenset(days)
