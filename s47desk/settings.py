"""The user's settings: who chairs, where, which local protocol, where exports go.

Stored as JSON in the configuration folder, readable by its owner only. Declared once here with
their defaults; the window's settings page and the command line read the same object.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from s47desk.atomic import atomic_write_bytes
from s47desk.protocol import Protocol, load_protocol
from s47desk.storage import config_dir
from s47desk.workdays import Region


class SettingsError(ValueError):
    """The settings file is not valid; the message names the setting."""


@dataclass
class Settings:
    chair_name: str = ""
    chair_role: str = "Team manager"
    chair_email: str = ""
    local_authority: str = ""
    region: str = Region.ENGLAND_WALES.value
    protocol_file: str = ""
    export_folder: str = ""
    signing_certificate: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    sender_email: str = ""

    def protocol(self) -> Protocol:
        """The local protocol file if set, in this user's region."""
        protocol = load_protocol(self.protocol_file or None)
        return protocol.with_region(Region(self.region)) if self.region else protocol


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    where = path or settings_path()
    if not where.exists():
        return Settings()
    try:
        raw = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SettingsError(f"{where}: cannot be read ({exc})") from None
    if not isinstance(raw, dict):
        raise SettingsError(f"{where}: must hold a JSON object")
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        spec = known.get(key)
        if spec is None:
            continue  # a setting from a newer version of s47desk: ignored here
        expected = int if spec.type in ("int", int) else str
        if type(value) is not expected:
            raise SettingsError(f"{where}: {key} must be {expected.__name__}, not {value!r}")
        values[key] = value
    settings = Settings(**values)
    try:
        Region.parse(settings.region)
    except ValueError as exc:
        raise SettingsError(f"{where}: region: {exc}") from None
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> None:
    where = path or settings_path()
    where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write_bytes(where, json.dumps(asdict(settings), indent=2).encode("utf-8"))
