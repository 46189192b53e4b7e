"""Read a meeting file: validate everything first, then build the meeting (nothing half-made).

Strict on purpose: a string "false" is not a boolean (it would put a withheld item into the
family copy), dates must be exactly YYYY-MM-DD, duplicate keys and NaN are refused, and size and
nesting are limited.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Enum
from sqlalchemy.orm import DeclarativeBase

from s47desk.decisions import DECISION_BY_KEY
from s47desk.errors import UserError
from s47desk.meetingfile.schema import (
    COLLECTIONS,
    MAX_FILE_BYTES,
    attributes,
    column,
    json_schema,
)
from s47desk.models import Meeting
from s47desk.signoff_check import Document
from s47desk.vocab import SERVICES_BY_AGENCY, Agency, Service

MAX_PROBLEMS = 25


class MeetingFileError(ValueError, UserError):
    """The file is not a valid meeting file; ``problems`` name each field and what is wrong."""

    def __init__(self, problems: list[str], source: str = "meeting file") -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:MAX_PROBLEMS])
        more = len(problems) - MAX_PROBLEMS
        tail = f"\n  … and {more} more" if more > 0 else ""
        super().__init__(f"{source} is not a valid meeting file:\n{shown}{tail}")


@dataclass
class ParsedMeeting:
    meeting: Meeting  # transient: not yet in any session
    initiating_uid: str | None
    documents: tuple[Document, ...] = ()  # the signed files of a signed meeting


@cache
def _validator() -> Any:
    """Imported on first use: only reading a meeting file needs jsonschema (~75 ms at start-up)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json_schema())


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"the key {key!r} appears twice in one object")
        seen[key] = value
    return seen


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _load_json(data: bytes) -> Any:
    if len(data) > MAX_FILE_BYTES:
        raise MeetingFileError([f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MeetingFileError([f"the file is not UTF-8 text (byte {exc.start})"]) from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise MeetingFileError(
            [f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from None
    except RecursionError:
        raise MeetingFileError(["the JSON is nested too deeply"]) from None
    except ValueError as exc:
        raise MeetingFileError([str(exc)]) from None


def _path(parts: Collection[Any]) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def parse_meeting_file(
    data: bytes, *, known_forms: Collection[str] | None = None, source: str = "meeting file"
) -> ParsedMeeting:
    """Validate *data* completely and build the meeting, or raise MeetingFileError."""
    try:
        document = _load_json(data)
    except MeetingFileError as exc:
        raise MeetingFileError(exc.problems, source) from None
    errors = sorted(
        _validator().iter_errors(document), key=lambda e: list(map(str, e.absolute_path))
    )
    problems = [f"{_path(e.absolute_path)}: {_plain(e.message)}" for e in errors]
    if problems:
        raise MeetingFileError(problems, source)
    body = document["meeting"]
    problems = list(_unstorable_text(body, "$.meeting"))
    problems += _semantic_problems(body, known_forms)
    builder = _Builder()
    meeting = builder.build(body)
    problems += builder.problems
    documents, more = _documents(body.get("signed_documents", []))
    problems += more
    if problems:
        raise MeetingFileError(problems, source)
    return ParsedMeeting(meeting, body.get("initiating_meeting_uid"), documents)


def _documents(raw: list[dict[str, Any]]) -> tuple[tuple[Document, ...], list[str]]:
    out, problems = [], []
    for i, item in enumerate(raw):
        try:
            data = base64.b64decode(item["data"], validate=True)
        except ValueError:
            problems.append(f"$.meeting.signed_documents[{i}].data: not valid base64")
            continue
        out.append(Document(item["kind"], item["filename"], data))
    return tuple(out), problems


def read_meeting_file(path: Path, *, known_forms: Collection[str] | None = None) -> ParsedMeeting:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MeetingFileError(
            [f"cannot read the file: {exc.strerror or exc}"], str(path)
        ) from None
    return parse_meeting_file(data, known_forms=known_forms, source=str(path))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unstorable_text(value: Any, where: str) -> Any:
    """Text no database can store faithfully: NUL (PostgreSQL refuses it) and lone surrogates."""
    if isinstance(value, str):
        if "\x00" in value:
            yield f"{where}: contains a NUL character (\\u0000)"
        if _SURROGATE.search(value):
            yield f"{where}: contains an unpaired surrogate (not valid Unicode text)"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unstorable_text(key, f"{where} (a key)")
            yield from _unstorable_text(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable_text(item, f"{where}[{index}]")


def _plain(message: str) -> str:
    """jsonschema's messages, shortened where they would dump a whole object."""
    return message if len(message) <= 300 else message[:297] + "..."


def _semantic_problems(body: dict[str, Any], known_forms: Collection[str] | None) -> Any:
    if known_forms is not None and body["form_id"] not in known_forms:
        yield f"$.meeting.form_id: unknown form {body['form_id']!r}; known: {', '.join(known_forms)}"
    kinds: set[str] = set()
    for i, decision in enumerate(body.get("decisions", [])):
        where = f"$.meeting.decisions[{i}]"
        kind = DECISION_BY_KEY[decision["kind"]]
        if kind.key in kinds:
            yield f"{where}.kind: {kind.key!r} is decided twice"
        kinds.add(kind.key)
        choice = decision.get("choice", "")
        if choice and kind.option(choice) is None:
            allowed = ", ".join(o.value for o in kind.options)
            yield f"{where}.choice: {choice!r} is not a choice for {kind.key}; allowed: {allowed}"
        for key in decision.get("details", {}):
            if kind.detail(key) is None:
                allowed = ", ".join(d.key for d in kind.details) or "none"
                yield f"{where}.details.{key}: not a detail of {kind.key}; allowed: {allowed}"
    children = len(body.get("children", []))
    uids = {c.get("uid") for c in body.get("children", []) if c.get("uid")}
    for i, action in enumerate(body.get("actions", [])):
        number = action.get("child")
        if number is not None and number > children:
            yield f"$.meeting.actions[{i}].child: there is no child {number} (the file lists {children})"
        for j, uid in enumerate(action.get("for_children", [])):
            if uid not in uids:
                yield f"$.meeting.actions[{i}].for_children[{j}]: no child in the file has uid {uid}"
    for i, attendee in enumerate(body.get("attendees", [])):
        service = attendee.get("service")
        allowed_services = SERVICES_BY_AGENCY.get(Agency(attendee["agency"]), ())
        if service is not None and Service(service) not in allowed_services:
            names = ", ".join(s.value for s in allowed_services) or "none"
            yield (
                f"$.meeting.attendees[{i}].service: {service!r} is not a service of "
                f"{attendee['agency']}; allowed: {names}"
            )


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Builder:
    """Turn validated JSON into transient model objects, noting impossible dates."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def build(self, body: dict[str, Any]) -> Meeting:
        meeting = self._make(Meeting, body, "$.meeting")
        assert isinstance(meeting, Meeting)
        for key, (model, _required, _most) in COLLECTIONS.items():
            items = [
                self._make(model, item, f"$.meeting.{key}[{i}]")
                for i, item in enumerate(body.get(key, []))
            ]
            setattr(meeting, key, items)
        for action, raw in zip(meeting.actions, body.get("actions", []), strict=True):
            number = raw.get("child")
            if number is not None and number <= len(meeting.children):
                action.child = meeting.children[number - 1]
        return meeting

    def _make(self, model: type[DeclarativeBase], raw: dict[str, Any], where: str) -> Any:
        values = {}
        for key in attributes(model):
            if key in raw and raw[key] is not None:
                values[key] = self._convert(model, key, raw[key], f"{where}.{key}")
        return model(**values)

    def _convert(self, model: type[DeclarativeBase], key: str, value: Any, where: str) -> Any:
        kind = column(model, key).type
        try:
            if isinstance(kind, Enum):
                return kind.enum_class(value) if kind.enum_class else value
            if isinstance(kind, DateTime):
                return datetime.fromisoformat(value)
            if isinstance(kind, Date):
                if not _DATE.match(value):
                    raise ValueError
                return date.fromisoformat(value)
        except ValueError:
            self.problems.append(f"{where}: {value!r} is not a real date")
            return None
        if isinstance(value, list):
            return list(value)
        if isinstance(value, dict):
            return dict(value)
        return value
