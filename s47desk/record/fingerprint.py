"""The SHA-256 fingerprint of a record's content: what the chair authorised, independent of Word.

The content is the meeting as the meeting file holds it (``s47desk export-json``), without what
changes after signing or is not content: the export time, the status (signed → circulated) and
the sign-offs themselves. It is serialised canonically (keys sorted, no spaces, UTF-8), so
anyone can recompute it from a meeting file, and it is the same before and after signing:

    sha256(json.dumps({"format": …, "format_version": …, "meeting": body},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())

where *body* is the file's "meeting" object without "status" and "signoffs".
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from s47desk.meetingfile import meeting_document
from s47desk.models import Meeting

_NOT_CONTENT = ("status", "signoffs")


def canonical_content(document: dict[str, Any]) -> bytes:
    """The canonical bytes of a meeting-file document's record content."""
    body = {k: v for k, v in document["meeting"].items() if k not in _NOT_CONTENT}
    content = {
        "format": document["format"],
        "format_version": document["format_version"],
        "meeting": body,
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8", "surrogatepass")


def content_fingerprint(meeting: Meeting) -> str:
    """Lower-case hex SHA-256 of the meeting's record content (see the module docstring)."""
    return hashlib.sha256(canonical_content(meeting_document(meeting))).hexdigest()
