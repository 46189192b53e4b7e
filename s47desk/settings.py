"""The settings: who chairs, where, which local protocol, where exports go, the mail relay.

Declared once here with their defaults. Two layers: the organisation's machine-wide file (IT
fills it: SMTP relay, sender, local protocol and forms, certificate authority, export folder),
under each user's own file. A key the organisation lists under ``"fixed"`` cannot be changed by
the user. A setting that cannot be read never stops s47desk: it is reported (file, key,
problem), its default is used, and the file is left exactly as it was.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from s47desk.atomic import atomic_write_bytes
from s47desk.paths import config_dir
from s47desk.workdays import Region


@dataclass(frozen=True)
class Settings:
    chair_name: str = ""
    chair_role: str = "Team manager"
    chair_email: str = ""
    user_name: str = ""  # who is using s47desk (minute-taker, business support): the audit trail
    local_authority: str = ""
    region: str = Region.ENGLAND_WALES.value
    protocol_file: str = ""
    forms_folder: str = ""  # local forms; default: forms/ in the configuration folder
    export_folder: str = ""
    signing_certificate: str = ""
    certificate_authority: str = ""  # the organisation's CA certificate (PEM), if it has one
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    sender_email: str = ""
    # The team's shared database (a PostgreSQL URL); "" is the user's own SQLite file.
    # --db and S47DESK_DB still come first.
    database_url: str = ""
    #: Keys the organisation fixed: shown, not editable (never saved into the user's file).
    fixed: frozenset[str] = field(default=frozenset(), compare=False)

    def with_changes(self, **changes: Any) -> Settings:
        """A copy with *changes*, refusing to change what the organisation fixed."""
        locked = sorted(k for k, v in changes.items() if k in self.fixed and getattr(self, k) != v)
        if locked:
            raise ValueError(f"set by your organisation and cannot be changed: {', '.join(locked)}")
        return replace(self, **changes)


SETTING_NAMES = tuple(f.name for f in fields(Settings) if f.name != "fixed")
_DEFAULTS = Settings()


@dataclass(frozen=True)
class SettingsProblem:
    """One setting that could not be used: where, which, why. The default was used instead."""

    file: Path
    key: str  # "" for the whole file
    problem: str

    def __str__(self) -> str:
        if not self.key:
            return f"{self.file}: {self.problem}; the defaults are used and the file was left as it was"
        default = getattr(_DEFAULTS, self.key, None)
        used = f"the default ({default!r}) is used" if default is not None else "it is ignored"
        return f"{self.file}: {self.key}: {self.problem}; {used}"


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    problems: tuple[SettingsProblem, ...]
    organisation: frozenset[str]  # keys whose value comes from the organisation's file
    unknown: dict[str, Any]  # the user's keys this version does not know: kept when saving


def settings_path() -> Path:
    return config_dir() / "settings.json"


def organisation_path() -> Path:
    """The machine-wide file IT fills (``S47DESK_ORG_CONFIG`` overrides, e.g. for tests)."""
    override = os.environ.get("S47DESK_ORG_CONFIG")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "s47desk" / "settings.json"
    return Path("/etc/xdg/s47desk/settings.json")


def _read(where: Path, problems: list[SettingsProblem]) -> dict[str, Any]:
    if not where.exists():
        return {}
    try:
        raw = json.loads(where.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        problems.append(
            SettingsProblem(where, "", f"not valid JSON (line {exc.lineno}: {exc.msg})")
        )
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(SettingsProblem(where, "", f"cannot be read ({exc})"))
        return {}
    if not isinstance(raw, dict):
        problems.append(SettingsProblem(where, "", "must hold a JSON object"))
        return {}
    return raw


def _valid(where: Path, key: str, value: Any, problems: list[SettingsProblem]) -> bool:
    expected = type(getattr(_DEFAULTS, key))
    if type(value) is not expected:
        kind = {int: "a whole number", str: "text"}[expected]
        problems.append(SettingsProblem(where, key, f"must be {kind}, not {value!r}"))
        return False
    if key == "region":
        try:
            Region.parse(value)
        except ValueError as exc:
            problems.append(SettingsProblem(where, key, str(exc)))
            return False
    if key == "smtp_port" and not 0 < value < 65536:
        problems.append(SettingsProblem(where, key, f"{value} is not a port number"))
        return False
    return True


def load_settings(path: Path | None = None, organisation: Path | None = None) -> LoadedSettings:
    """The organisation's settings with the user's on top; every problem reported, none fatal."""
    problems: list[SettingsProblem] = []
    values: dict[str, Any] = {}
    org_file = organisation or organisation_path()
    org = _read(org_file, problems)
    fixed_raw = org.pop("fixed", [])
    if not (isinstance(fixed_raw, list) and all(k in SETTING_NAMES for k in fixed_raw)):
        problems.append(SettingsProblem(org_file, "fixed", "must list setting names"))
        fixed_raw = (
            [k for k in fixed_raw if k in SETTING_NAMES] if isinstance(fixed_raw, list) else []
        )
    from_org: set[str] = set()
    for key, value in org.items():
        if key not in SETTING_NAMES:
            problems.append(SettingsProblem(org_file, key, "is not a setting"))
        elif _valid(org_file, key, value, problems):
            values[key] = value
            from_org.add(key)
    fixed = frozenset(k for k in fixed_raw if isinstance(k, str))
    user_file = path or settings_path()
    unknown: dict[str, Any] = {}
    for key, value in _read(user_file, problems).items():
        if key not in SETTING_NAMES:
            unknown[key] = value  # perhaps from a newer s47desk: kept, not used
            problems.append(SettingsProblem(user_file, key, "is not a setting this version knows"))
        elif key in fixed:
            continue  # the organisation's value stands
        elif _valid(user_file, key, value, problems):
            values[key] = value
            from_org.discard(key)
    return LoadedSettings(
        Settings(**values, fixed=fixed), tuple(problems), frozenset(from_org | fixed), unknown
    )


def save_settings(
    settings: Settings, path: Path | None = None, *, keep: dict[str, Any] | None = None
) -> None:
    """Write the user's settings (owner-only): never the organisation's fixed values."""
    where = path or settings_path()
    where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {k: v for k, v in asdict(settings).items() if k != "fixed" and k not in settings.fixed}
    data = {**(keep or {}), **data}
    atomic_write_bytes(where, json.dumps(data, indent=2).encode("utf-8"))
