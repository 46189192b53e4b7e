"""Write a meeting as a meeting file (format version 1)."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import DeclarativeBase

from s47desk.atomic import atomic_write_bytes
from s47desk.meetingfile.schema import COLLECTIONS, FORMAT, FORMAT_VERSION, attributes
from s47desk.meetingfile.values import file_value
from s47desk.models import Action, Meeting, SignedDocument, utcnow

_value = file_value  # the name the rest of the writer uses


def _item(obj: DeclarativeBase) -> dict[str, Any]:
    return {key: _value(getattr(obj, key)) for key in attributes(type(obj))}


def meeting_document(meeting: Meeting, documents: Sequence[SignedDocument] = ()) -> dict[str, Any]:
    """The meeting as a JSON-ready dict, exactly as the meeting file holds it (with the signed
    files of a signed meeting, when given, so that it can be imported signed elsewhere)."""
    body = _item(meeting)
    initiating = meeting.initiating_meeting
    body["initiating_meeting_uid"] = initiating.uid if initiating else None
    if initiating is not None and initiating.held_on is not None:
        body["initiating_held_on"] = initiating.held_on.isoformat()
    for key in COLLECTIONS:
        body[key] = [_item(obj) for obj in getattr(meeting, key)]
    for action, out in zip(meeting.actions, body["actions"], strict=True):
        out["child"] = _child_number(meeting, action)
    if documents:
        body["signed_documents"] = [
            {"kind": d.kind, "filename": d.filename, "data": base64.b64encode(d.data).decode()}
            for d in documents
        ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _value(utcnow()),
        "meeting": body,
    }


def _child_number(meeting: Meeting, action: Action) -> int | None:
    if action.child is None:
        return None
    return meeting.children.index(action.child) + 1


def write_meeting_file(
    meeting: Meeting, path: Path, documents: Sequence[SignedDocument] = ()
) -> None:
    """Write the meeting file atomically, readable by its owner only."""
    text = json.dumps(meeting_document(meeting, documents), indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))
