"""The meeting file: one whole meeting as versioned JSON, for moving meetings and for scripting.

Names are loaded on first use (PEP 562), so that ``s47desk schema`` — which only prints the
published schema — loads neither SQLAlchemy nor the models.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from s47desk.meetingfile.reader import MeetingFileError, parse_meeting_file, read_meeting_file
    from s47desk.meetingfile.schema import FORMAT, FORMAT_VERSION, json_schema
    from s47desk.meetingfile.writer import meeting_document, write_meeting_file

_WHERE = {
    "MeetingFileError": "reader",
    "parse_meeting_file": "reader",
    "read_meeting_file": "reader",
    "FORMAT": "schema",
    "FORMAT_VERSION": "schema",
    "json_schema": "schema",
    "meeting_document": "writer",
    "write_meeting_file": "writer",
}

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MeetingFileError",
    "json_schema",
    "meeting_document",
    "parse_meeting_file",
    "read_meeting_file",
    "write_meeting_file",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"s47desk.meetingfile.{_WHERE[name]}"), name)
