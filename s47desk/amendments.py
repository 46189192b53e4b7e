"""Correcting a signed record: a new version, never an edit of the old one.

An amendment is a draft copy of the signed meeting, with the next record version, the same
reference and the reason for it. Once the chair signs it, it supersedes the earlier version,
which stays exactly as it was and can still be exported and verified. Every version of a record
shares its reference; the record prints their history (version, signed by, when, reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from s47desk.errors import UserError
from s47desk.graph import COLLECTIONS, columns
from s47desk.models import Action, Decision, Meeting, decision_uid, new_uid
from s47desk.vocab import MeetingStatus

_NOT_COPIED = frozenset({"uid", "status", "created_at", "updated_at", "revision", "audit_head"})
_NOT_COPIED_ROW = frozenset({"uid", "position"})


class AmendmentRefused(UserError):
    """The meeting cannot be amended (not signed, already being amended, no reason)."""


@dataclass(frozen=True)
class Version:
    """One version of a record, as its history lists it."""

    meeting_id: int
    record_version: int
    status: MeetingStatus
    signed_by: str
    signed_at: datetime | None
    reason: str  # why it was made ("" for the first)


def versions(session: Session, meeting: Meeting) -> list[Version]:
    """Every version of *meeting*'s record (same reference), oldest first."""
    rows = session.scalars(
        select(Meeting)
        .where(Meeting.reference == meeting.reference, Meeting.reference != "")
        .order_by(Meeting.record_version)
    ).all()
    out = []
    for row in rows or [meeting]:
        last = row.signoffs[-1] if row.signoffs else None
        out.append(
            Version(
                row.id,
                row.record_version,
                row.status,
                f"{last.name}, {last.role}" if last else "",
                last.signed_at if last else None,
                row.amendment_reason,
            )
        )
    return out


def superseded_by(session: Session, meeting: Meeting) -> Version | None:
    """The signed later version that replaces *meeting*'s record, if there is one."""
    later = [
        v
        for v in versions(session, meeting)
        if v.record_version > meeting.record_version
        and v.status in (MeetingStatus.SIGNED, MeetingStatus.CIRCULATED)
    ]
    return later[0] if later else None


def _copy(obj: Any, skip: frozenset[str], **values: Any) -> Any:
    data = {k: getattr(obj, k) for k in columns(obj) if k not in skip}
    data.update(values)
    for key, value in list(data.items()):  # mutable JSON values must not be shared
        if isinstance(value, list | dict):
            data[key] = type(value)(value)
    return type(obj)(**data)


def amend(session: Session, meeting: Meeting, *, reason: str) -> Meeting:
    """A draft amendment of the signed *meeting* (fully loaded), stored in *session*."""
    if not reason.strip():
        raise AmendmentRefused("Give the reason for the amendment: it is printed in the record.")
    if not meeting.is_locked:
        raise AmendmentRefused(
            f"Meeting {meeting.id} is not signed: correct it directly, it needs no amendment."
        )
    signed = (MeetingStatus.SIGNED, MeetingStatus.CIRCULATED)
    open_versions = [v for v in versions(session, meeting) if v.status not in signed]
    if open_versions:
        raise AmendmentRefused(
            f"Version {open_versions[0].record_version} of this record is already being "
            f"amended (meeting {open_versions[0].meeting_id}): finish and sign that one first."
        )
    latest = max(v.record_version for v in versions(session, meeting))
    uid = new_uid()
    copy: Meeting = _copy(
        meeting,
        _NOT_COPIED | {"amends_uid", "amendment_reason", "record_version", "provenance"},
        uid=uid,
        status=MeetingStatus.DRAFT,
        record_version=latest + 1,
        amends_uid=meeting.uid,
        amendment_reason=reason.strip(),
        initiating_meeting=meeting.initiating_meeting,
    )
    children = {}
    for collection in COLLECTIONS:
        rows = []
        for row in getattr(meeting, collection):
            values: dict[str, Any] = {"uid": new_uid()}
            if isinstance(row, Decision):
                values["uid"] = decision_uid(uid, row.kind)
            new = _copy(row, _NOT_COPIED_ROW, **values)
            if collection == "children":
                children[row.uid] = new
            rows.append(new)
        setattr(copy, collection, rows)
    for old, new in zip(meeting.actions, copy.actions, strict=True):
        assert isinstance(old, Action) and isinstance(new, Action)
        new.child = children.get(old.child.uid) if old.child is not None else None
    session.add(copy)
    session.flush()
    return copy
