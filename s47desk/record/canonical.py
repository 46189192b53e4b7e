"""The canonical bytes of a meeting-file document's record content, and what each content
version holds (see s47desk.record.fingerprint, which fingerprints a meeting graph with them).

Free of SQLAlchemy and the models, so that the list's plain rows check a signed meeting's
content (s47desk.plain_rows) without importing them: the collections are named by the caller.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

CONTENT_VERSION = 3
NOT_CONTENT = ("status", "signoffs", "signed_documents")
ADDED_IN_2 = ("reference", "amends_uid", "amendment_reason")
#: What migration 0004 added, by where it is in the meeting file ("meeting": its own details).
ADDED_IN_3: dict[str, tuple[str, ...]] = {
    "meeting": (
        "ended_at", "chair_is_team_manager", "referrer", "referrer_kind", "abuse_suspected_on",
        "under_s47_enquiries", "access_refused", "permission_not_sought", "parents_carers",
        "household_members", "alleged_person", "alleged_person_aliases", "alleged_person_dob",
        "identities_checked", "contingency", "icpc_planned_on", "assessment_over_reason",
        "family_summary", "family_summary_confirmed",
    ),
    "children": ("looked_after", "seen_on", "seen_by", "seen_alone", "not_alone_reason"),
    "attendees": ("senior_enough",),
    "actions": ("for_children",),
}  # fmt: skip


def canonical(value: Any) -> bytes:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8", "surrogatepass")


def content_body(
    document: dict[str, Any], version: int, part_collections: Sequence[str]
) -> dict[str, Any]:
    """The content of *document* at *version*; *part_collections* are the collections that are
    content (each row its own part)."""
    body = {k: v for k, v in document["meeting"].items() if k not in NOT_CONTENT}
    if version < 3:
        body = {k: v for k, v in body.items() if k not in ADDED_IN_3["meeting"]}
        for key, added in ADDED_IN_3.items():
            if key != "meeting":
                body[key] = [
                    {k: v for k, v in row.items() if k not in added} for row in body.get(key, [])
                ]
    if version == 1:
        body = {k: v for k, v in body.items() if k not in ADDED_IN_2}
        for key in part_collections:
            body[key] = [{k: v for k, v in row.items() if k != "uid"} for row in body.get(key, [])]
    return body


def canonical_content(
    document: dict[str, Any], version: int, part_collections: Sequence[str]
) -> bytes:
    """The canonical bytes of a meeting-file document's record content."""
    return canonical(
        {
            "format": document["format"],
            "format_version": document["format_version"],
            "meeting": content_body(document, version, part_collections),
        }
    )
