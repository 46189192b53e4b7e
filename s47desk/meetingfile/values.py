"""How a stored value is written in a meeting file (format version 1): vocabularies by their
value, dates and times in ISO form, lists and mappings copied.

Apart from the writer so that the list's plain rows (s47desk.plain_rows) write a signed
meeting's content exactly as the writer does, without importing SQLAlchemy.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any


def file_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value
