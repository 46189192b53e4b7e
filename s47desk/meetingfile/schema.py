"""Which model attributes the meeting file carries, and the JSON Schema derived from them.

The schema in s47desk/meetingfile/meeting-file.schema.json is generated from this module
(``s47desk schema``); a test keeps the two identical.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Enum, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase

from s47desk.decisions import DECISION_BY_KEY
from s47desk.models import (
    Action,
    Attendee,
    Child,
    Decision,
    Dissent,
    InformationItem,
    Meeting,
    SignOff,
)
from s47desk.vocab import Concern

FORMAT = "s47desk-meeting"
FORMAT_VERSION = 1
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$"
UID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
TEXT_LIMIT = 100_000
MAX_FILE_BYTES = 10 * 1024 * 1024

# Columns that belong to the database, not to the meeting (ids, ordering, concurrency).
_INTERNAL = {"id", "meeting_id", "position", "version", "child_id", "initiating_meeting_id"}
_INTERNAL_MEETING = {"created_at", "updated_at", "revision", "audit_head", "provenance"}

# Each collection: its JSON key, model, required keys and the most items a file may hold.
COLLECTIONS: dict[str, tuple[type[DeclarativeBase], tuple[str, ...], int]] = {
    "children": (Child, (), 100),
    "attendees": (Attendee, ("agency",), 300),
    "information": (InformationItem, ("agency",), 2000),
    "decisions": (Decision, ("kind",), 50),
    "dissents": (Dissent, ("decision_kind",), 200),
    "actions": (Action, (), 1000),
    "signoffs": (SignOff, ("name", "role", "signed_at"), 50),
}


def attributes(model: type[DeclarativeBase]) -> list[str]:
    """The attributes of *model* a meeting file carries, in column order."""
    skip = _INTERNAL | (_INTERNAL_MEETING if model is Meeting else set())
    return [c.key for c in model.__table__.columns if c.key not in skip]


def column(model: type[DeclarativeBase], key: str) -> Any:
    return model.__table__.columns[key]


def _property(model: type[DeclarativeBase], key: str) -> dict[str, Any]:
    col = column(model, key)
    kind = col.type
    schema: dict[str, Any]
    if key == "uid":  # an identity: never empty, always a (lower-case) UUID
        schema = {"type": "string", "pattern": UID_PATTERN}
    elif isinstance(kind, Enum):
        schema = {"enum": [*kind.enums]}
    elif isinstance(kind, Boolean):
        schema = {"type": "boolean"}
    elif isinstance(kind, DateTime):
        schema = {"type": "string", "pattern": DATETIME_PATTERN}
    elif isinstance(kind, Date):
        schema = {"type": "string", "pattern": DATE_PATTERN}
    elif isinstance(kind, Integer):
        schema = {"type": "integer", "minimum": 1, "maximum": 1_000_000}
    elif isinstance(kind, Text):  # before String: Text is a String without a length
        schema = {"type": "string", "maxLength": TEXT_LIMIT}
    elif isinstance(kind, String):
        schema = {"type": "string", "maxLength": kind.length}
    elif isinstance(kind, JSON) and key == "concerns":
        schema = {
            "type": "array",
            "items": {"enum": [c.value for c in Concern]},
            "uniqueItems": True,
            "maxItems": len(Concern),
        }
    elif isinstance(kind, JSON) and key == "for_children":
        schema = {
            "type": "array",
            "items": {"type": "string", "pattern": UID_PATTERN},
            "uniqueItems": True,
            "maxItems": 100,
            "description": "The children this action is for, by their uid.",
        }
    elif isinstance(kind, JSON) and key == "details":
        schema = {
            "type": "object",
            "additionalProperties": {"type": "string", "maxLength": 2000},
            "maxProperties": 20,
        }
    else:  # pragma: no cover - a new column type must be given a schema here
        raise TypeError(f"no meeting-file schema for {model.__name__}.{key} ({kind!r})")
    if col.nullable:  # widen the type, so a bad value is told which rule it broke
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
        else:
            schema["type"] = [schema["type"], "null"]
    return schema


def _object(model: type[DeclarativeBase], required: tuple[str, ...]) -> dict[str, Any]:
    props = {key: _property(model, key) for key in attributes(model)}
    if model is Decision:
        props["kind"] = {"enum": list(DECISION_BY_KEY)}
    if model is Dissent:
        props["decision_kind"] = {"enum": list(DECISION_BY_KEY)}
    if model is Action:
        props["child"] = {
            "type": ["integer", "null"],
            "minimum": 1,
            "maximum": 100,
            "description": "The child this action concerns: its number in the children list (1 = first).",
        }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(required),
        "properties": props,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of meeting-file format version 1."""
    meeting = _object(Meeting, ("form_id",))
    meeting["properties"]["initiating_meeting_uid"] = {
        "type": ["string", "null"],
        "pattern": UID_PATTERN,
        "description": "The uid of the discussion that initiated section 47, when it is in s47desk.",
    }
    meeting["properties"]["signed_documents"] = {
        "type": "array",
        "maxItems": 4,
        "description": "The signed Word files made at sign-off (a signed meeting only): "
        "the record and the family copy, base64.",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind", "filename", "data"],
            "properties": {
                "kind": {"enum": ["record", "family_copy"]},
                "filename": {"type": "string", "maxLength": 200},
                "data": {
                    "type": "string",
                    "maxLength": 4 * 1024 * 1024,
                    "contentEncoding": "base64",
                },
            },
        },
    }
    for key, (model, required, most) in COLLECTIONS.items():
        meeting["properties"][key] = {
            "type": "array",
            "maxItems": most,
            "items": _object(model, required),
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://s47desk.invalid/schema/meeting-file-1.json",
        "title": "s47desk meeting file, format version 1",
        "description": (
            "One strategy discussion. Dates are YYYY-MM-DD; times are local YYYY-MM-DDTHH:MM "
            "(signed_at: UTC). Vocabulary values are the stored values listed in each enum."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "format_version", "meeting"],
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "exported_at": {"type": "string", "pattern": DATETIME_PATTERN},
            "meeting": meeting,
        },
    }
