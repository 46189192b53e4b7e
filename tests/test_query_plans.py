"""Opening a meeting reads only that meeting's rows: every statement the window's load makes
is planned by SQLite as an index search (the meeting_id index for each child table), never a
scan of other meetings' rows — so opening stays as fast at 10,000 meetings as at ten."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event

from s47desk.demo import load_demo
from s47desk.forms import FormRegistry
from s47desk.graph import load
from s47desk.protocol import Protocol
from s47desk.signoff_check import stored_documents
from s47desk.storage import Database

CHILD_TABLES = {
    "child",
    "attendee",
    "information_item",
    "decision",
    "dissent",
    "action",
    "signoff",
}


def _plans(db: Database, statements: list[tuple[str, Any]]) -> dict[str, list[str]]:
    """Each table a statement reads, with how SQLite plans to read it."""
    found: dict[str, list[str]] = {}
    raw = db.engine.raw_connection()
    try:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params or ()):
                detail = str(row[-1])
                match = re.match(r"(SCAN|SEARCH) (\w+)", detail)
                if match:
                    found.setdefault(match.group(2), []).append(detail)
    finally:
        raw.close()
    return found


def test_opening_a_meeting_searches_by_index(
    db: Database, forms: FormRegistry, protocol: Protocol, today: Any
) -> None:
    with db.transaction() as session:
        ids = load_demo(session, forms, protocol, today)
    statements: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, sql: str, params: Any, _context: Any, _many: bool) -> None:
        statements.append((sql, params))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.sessions() as session:
            meeting = load(session, ids[1])  # the review: it names its initiating meeting
            assert meeting is not None and meeting.initiating_meeting is not None
            stored_documents(session, meeting)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    plans = _plans(db, statements)
    assert set(plans) >= CHILD_TABLES | {"meeting", "signed_document"}, sorted(plans)
    for table, details in plans.items():
        for detail in details:
            assert detail.startswith(f"SEARCH {table} USING "), (table, detail)
            if table in CHILD_TABLES | {"signed_document"}:  # this meeting's rows, by index
                assert "meeting_id" in detail or "PRIMARY KEY" in detail, (table, detail)
