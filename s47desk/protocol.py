"""The local protocol: timescales, attendance, region, closure days and marking, with the
guidance defaults.

Every timescale and attendance requirement the guidance sets lives here once. A local authority
overrides any of them with a TOML file (``--protocol`` or the setting); a bad file gets an error
naming the key and problem. Attendance is configurable because it changes without the guidance
changing: the Children's Wellbeing and Schools Act 2026 adds education to multi-agency child
protection teams, and a council can require it at every strategy discussion:

    [attendance.should_attend]
    always = ["social_care/social_worker", "health", "police", "education"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from s47desk.errors import UserError
from s47desk.vocab import SERVICES_BY_AGENCY, Agency, Concern, Service, Urgency
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


@dataclass(frozen=True)
class Who:
    """An agency, or one service within it, written "police" or "health/midwifery"."""

    agency: Agency
    service: Service | None = None

    @classmethod
    def parse(cls, text: str) -> Who:
        agency_text, _, service_text = text.partition("/")
        agency = Agency(Agency.parse(agency_text))
        if not service_text:
            return cls(agency)
        service = Service(Service.parse(service_text))
        if service not in SERVICES_BY_AGENCY.get(agency, ()):
            raise ValueError(f"{service_text!r} is not a service of {agency_text!r}")
        return cls(agency, service)

    @property
    def token(self) -> str:
        return self.agency.value + (f"/{self.service.value}" if self.service else "")

    @property
    def label(self) -> str:
        if self.service is None:
            return self.agency.label
        return f"{self.agency.label} ({self.service.label.lower()})"


#: When an attendance rule applies: always, when a concern is recorded (or implied by the
#: form), or in one of these circumstances (s47desk.checks.context says when each holds).
CIRCUMSTANCES = (
    "always",
    "looked_after",  # a child in scope is looked after
    "access_refused",  # access to the child is refused or obstructed
    "whereabouts_unknown",  # a child subject to section 47 enquiries whose whereabouts are unknown
    *(c.value for c in Concern),  # "pre_birth" also holds when an unborn child is in scope
)


@dataclass(frozen=True)
class AttendanceRule:
    """Who takes part in a strategy discussion, when, and whether an absence explained and
    escalated is enough (a warning) or not (*must_attend*: a blocker until they are present)."""

    who: Who
    when: str
    must_attend: bool
    requirement: str  # the guidance's words
    source: str


MINIMUM = (
    "“A local authority social worker, health practitioners and a police representative should, "
    "as a minimum, be involved in the strategy discussion.”"
)
MINIMUM_SOURCE = "guidance 000 (the strategy meeting), 002 section 3, 003 section 3, 004"
ATTENDANCE: tuple[AttendanceRule, ...] = (
    AttendanceRule(
        Who(Agency.SOCIAL_CARE, Service.SOCIAL_WORKER), "always", False, MINIMUM, MINIMUM_SOURCE
    ),
    AttendanceRule(Who(Agency.HEALTH), "always", False, MINIMUM, MINIMUM_SOURCE),
    AttendanceRule(Who(Agency.POLICE), "always", False, MINIMUM, MINIMUM_SOURCE),
    AttendanceRule(
        Who(Agency.HEALTH, Service.MIDWIFERY),
        "pre_birth",
        False,
        "“In the case of a pre-birth strategy discussion/meeting this should involve the "
        "midwifery services.”",
        "guidance 002 section 3 (attendees)",
    ),
    *(
        AttendanceRule(
            Who(Agency.COMPLEX_SAFEGUARDING),
            concern,
            True,
            "“For children who are at risk of complex safeguarding matters and exploitation, a "
            "worker from the complex safeguarding team should always be in attendance.”",
            "guidance 000 (when should a strategy meeting be convened?)",
        )
        for concern in (Concern.EXPLOITATION.value, Concern.TRAFFICKING.value)
    ),
    AttendanceRule(
        Who(Agency.SOCIAL_CARE, Service.FOSTERING_RESIDENTIAL),
        "looked_after",
        False,
        "“… a strategy discussion involving local authority children's social care (including "
        "the residential or fostering service, if the child is looked after) …”",
        "guidance 002 section 3, 003 section 1",
    ),
    AttendanceRule(
        Who(Agency.LEGAL),
        "access_refused",
        False,
        "“If access to a child is refused or obstructed, the Lead Practitioner … should "
        "co-ordinate a strategy discussion/meeting including legal representation.”",
        "guidance 002 section 5 (the child)",
    ),
    AttendanceRule(
        Who(Agency.POLICE),
        "whereabouts_unknown",
        True,
        "“If the whereabouts of a child subject to Section 47 Enquiries are unknown … the "
        "following action must be taken within 24 hours: A strategy discussion/ meeting with "
        "the police.”",
        "guidance 002 section 5 (the child)",
    ),
)

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
    attendance: tuple[AttendanceRule, ...] = ATTENDANCE
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


_SECTIONS = {"timescales", "strategy_discussion", "calendar", "record", "attendance"}
_ATTENDANCE_TABLES = {"should_attend": False, "must_attend": True}


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
    attendance = _table(data, "attendance", where)
    if attendance:
        changes["attendance"] = _attendance(attendance, where)
    return replace(Protocol(), **changes)


def _attendance(data: dict[str, Any], where: str) -> tuple[AttendanceRule, ...]:
    """The guidance's rules, with each (table, circumstance) the file gives replaced by it."""
    rules = list(ATTENDANCE)
    for table, must in _ATTENDANCE_TABLES.items():
        given = data.get(table, {})
        if not isinstance(given, dict):
            raise ProtocolError(f"{where}: [attendance.{table}] must be a table")
        for when, names in given.items():
            at = f"attendance.{table}.{when}"
            if when not in CIRCUMSTANCES:
                raise ProtocolError(
                    f"{where}: {at}: unknown circumstance; allowed: {', '.join(CIRCUMSTANCES)}"
                )
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ProtocolError(f'{where}: {at} must be a list of agencies, like "police"')
            rules = [r for r in rules if not (r.when == when and r.must_attend == must)]
            for name in names:
                try:
                    who = Who.parse(name)
                except ValueError as exc:
                    raise ProtocolError(f"{where}: {at}: {exc}") from None
                rules.append(
                    AttendanceRule(
                        who,
                        when,
                        must,
                        "Your local protocol requires them.",
                        f"local protocol {where}",
                    )
                )
    for key in data:
        if key not in _ATTENDANCE_TABLES:
            raise ProtocolError(
                f"{where}: attendance.{key} is unknown; allowed: should_attend, must_attend"
            )
    return tuple(rules)


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
