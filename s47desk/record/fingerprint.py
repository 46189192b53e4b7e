"""The SHA-256 fingerprint of a record's content: what the chair authorised, independent of Word.

The content is the meeting as the meeting file holds it (``s47desk export-json``), without what
changes after signing or is not content: the export time, the status (signed → circulated) and
the sign-offs themselves. It is serialised canonically (keys sorted, no spaces, UTF-8), so
anyone can recompute it from a meeting file, and it is the same before and after signing:

    sha256(json.dumps({"format": …, "format_version": …, "meeting": body},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())

where *body* is the file's "meeting" object without "status", "signoffs" and
"signed_documents" (the signed files, which are made from the content, not part of it). Beside the whole,
each part (the meeting's own details, and every row by its uid) has its own digest, so that
when content no longer matches a sign-off, s47desk can say which part changed.

Sign-offs made before s47desk 0.2 fingerprinted the content without row uids, the reference
or amendment details (content version 1); they are still checked that way. Sign-offs made
before migration 0004 fingerprinted it without the fields that revision added (content
version 2); their statements carry no "content_version", and they are checked as version 2.
"""

from __future__ import annotations

import hashlib
from typing import Any

from s47desk.meetingfile.schema import COLLECTIONS
from s47desk.meetingfile.writer import meeting_document
from s47desk.models import Meeting
from s47desk.record import canonical as _canon
from s47desk.record.canonical import ADDED_IN_3 as _ADDED_IN_3
from s47desk.record.canonical import CONTENT_VERSION as CONTENT_VERSION
from s47desk.record.canonical import NOT_CONTENT as _NOT_CONTENT
from s47desk.record.canonical import canonical as _canonical

PART_COLLECTIONS = tuple(k for k in COLLECTIONS if k not in _NOT_CONTENT)


def content_body(document: dict[str, Any], version: int = CONTENT_VERSION) -> dict[str, Any]:
    return _canon.content_body(document, version, PART_COLLECTIONS)


def canonical_content(document: dict[str, Any], version: int = CONTENT_VERSION) -> bytes:
    """The canonical bytes of a meeting-file document's record content."""
    return _canon.canonical_content(document, version, PART_COLLECTIONS)


def content_fingerprint(meeting: Meeting, version: int = CONTENT_VERSION) -> str:
    """Lower-case hex SHA-256 of the meeting's record content (see the module docstring)."""
    return hashlib.sha256(canonical_content(meeting_document(meeting), version)).hexdigest()


def part_digests(meeting: Meeting, version: int = CONTENT_VERSION) -> dict[str, str]:
    """A digest per part: "meeting" for its own details, then "<collection>/<uid>" per row."""
    body = content_body(meeting_document(meeting), version)
    own = {k: v for k, v in body.items() if k not in PART_COLLECTIONS}
    out = {"meeting": hashlib.sha256(_canonical(own)).hexdigest()}
    for key in PART_COLLECTIONS:
        for row in body.get(key, []):
            out[f"{key}/{row.get('uid', '')}"] = hashlib.sha256(_canonical(row)).hexdigest()
    return out


def filled_in_later(meeting: Meeting, version: int) -> list[str]:
    """Fields added after content *version* that hold something: a record signed at that
    version cannot have had them, so their values were added after signing."""
    if version >= 3:
        return []
    body = meeting_document(meeting)["meeting"]
    empty: tuple[object, ...] = ("", None, False, [])
    found = [k for k in _ADDED_IN_3["meeting"] if body.get(k) not in empty]
    for key, added in _ADDED_IN_3.items():
        if key != "meeting":
            found += [
                f"{key}.{k}" for row in body.get(key, []) for k in added if row.get(k) not in empty
            ]
    return found
