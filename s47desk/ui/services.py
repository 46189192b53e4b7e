"""What the window's parts work with, passed as one object: the database, the meeting forms, the
local protocol, the user's settings and today's date (a function, so a training session can fix it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from s47desk.forms import FormRegistry
from s47desk.protocol import Protocol
from s47desk.settings import Settings
from s47desk.storage import Database


@dataclass
class Services:
    db: Database
    forms: FormRegistry
    protocol: Protocol  # replaced when the settings change the region or protocol file
    settings: Settings
    today: Callable[[], date]
