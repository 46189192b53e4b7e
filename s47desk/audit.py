"""The audit trail: every change to a meeting — who, when (UTC), what, old and new — in order.

Each meeting has its own chain: an entry's hash covers the previous entry's hash and all its
own fields, so an altered, removed or reordered entry breaks the chain from there on; the head
is kept on the meeting and, at sign-off, is part of what the chair signs. Database triggers
refuse UPDATE and DELETE on the table (s47desk.immutability).
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select, update

from s47desk.models import AuditEntry, Meeting, utcnow

AUDIT: Table = AuditEntry.__table__  # type: ignore[assignment]
MEETING: Table = Meeting.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Change:
    """One change to record: the action ("edit", "add", "remove", "create", "sign", ...), the
    field (a label people read) and item (a row's uid), old and new as text."""

    action: str
    field: str = ""
    item: str = ""
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class Actor:
    """Who acts: the name from settings, and the login (the OS user, or the database role)."""

    name: str
    login: str

    @classmethod
    def local(cls, name: str = "") -> Actor:
        return cls(name, getpass.getuser())


def entry_hash(
    prev_hash: str, meeting_uid: str, seq: int, at: datetime, actor: str, login: str, c: Change
) -> str:
    fields = [
        prev_hash,
        meeting_uid,
        seq,
        at.isoformat(),
        actor,
        login,
        c.action,
        c.field,
        c.item,
        c.old,
        c.new,
    ]
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def as_text(value: Any) -> str:
    """A stored value as the trail shows it: text as typed, anything else as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def chain_rows(
    meeting_uid: str, seq: int, head: str, changes: Sequence[Change], actor: Actor
) -> tuple[list[dict[str, Any]], str]:
    """The audit rows for *changes*, chained on from entry *seq* whose hash is *head*, and
    the new head: one definition of the chain for ``append`` and the autosave's own path."""
    at = utcnow()
    rows = []
    for change in changes:
        seq += 1
        digest = entry_hash(head, meeting_uid, seq, at, actor.name, actor.login, change)
        rows.append(
            {
                "meeting_uid": meeting_uid,
                "seq": seq,
                "at": at,
                "actor": actor.name,
                "login": actor.login,
                "action": change.action,
                "field": change.field,
                "item": change.item,
                "old": change.old,
                "new": change.new,
                "prev_hash": head,
                "hash": digest,
            }
        )
        head = digest
    return rows, head


def append(
    connection: Connection, meeting_uid: str, changes: Sequence[Change], actor: Actor
) -> str:
    """Append *changes* to the meeting's chain (inside the caller's write transaction) and
    record the new head on the meeting; returns the head."""
    last = connection.execute(
        select(AUDIT.c.seq, AUDIT.c.hash)
        .where(AUDIT.c.meeting_uid == meeting_uid)
        .order_by(AUDIT.c.seq.desc())
        .limit(1)
    ).first()
    seq, head = (last[0], last[1]) if last else (0, "")
    if not changes:
        return head
    rows, head = chain_rows(meeting_uid, seq, head, changes, actor)
    connection.execute(AUDIT.insert(), rows)
    connection.execute(update(MEETING).where(MEETING.c.uid == meeting_uid).values(audit_head=head))
    return head


@dataclass(frozen=True)
class Entry:
    seq: int
    at: datetime
    actor: str
    login: str
    action: str
    field: str
    item: str
    old: str
    new: str
    prev_hash: str
    hash: str

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(timespec="seconds") + "Z",
            "actor": self.actor,
            "login": self.login,
            "action": self.action,
            "field": self.field,
            "item": self.item,
            "old": self.old,
            "new": self.new,
            "hash": self.hash,
        }


def entries(connection: Connection, meeting_uid: str) -> list[Entry]:
    """The meeting's trail, in the order it was written."""
    rows = connection.execute(
        select(
            AUDIT.c.seq,
            AUDIT.c.at,
            AUDIT.c.actor,
            AUDIT.c.login,
            AUDIT.c.action,
            AUDIT.c.field,
            AUDIT.c.item,
            AUDIT.c.old,
            AUDIT.c.new,
            AUDIT.c.prev_hash,
            AUDIT.c.hash,
        )
        .where(AUDIT.c.meeting_uid == meeting_uid)
        .order_by(AUDIT.c.id)
    )
    return [Entry(*row) for row in rows]


def verify(trail: Iterable[Entry], meeting_uid: str, expected_head: str) -> list[str]:
    """What is wrong with the trail, in plain words ([] when it is whole and in order)."""
    problems: list[str] = []
    head, expected_seq = "", 1
    for e in trail:
        if e.seq != expected_seq:
            what = "missing" if e.seq > expected_seq else "out of order or repeated"
            problems.append(f"entry {expected_seq} is {what} (found entry {e.seq} in its place)")
            expected_seq = e.seq
        if e.prev_hash != head:
            problems.append(f"entry {e.seq} does not follow the entry before it")
        change = Change(e.action, e.field, e.item, e.old, e.new)
        if entry_hash(e.prev_hash, meeting_uid, e.seq, e.at, e.actor, e.login, change) != e.hash:
            problems.append(f"entry {e.seq} was altered after it was written")
        head, expected_seq = e.hash, expected_seq + 1
    if head != expected_head:
        problems.append(
            "the trail does not end where the meeting says it does: entries at the end were "
            "removed, or added without s47desk"
        )
    return problems
