"""Signed records cannot change, in the database itself: triggers for SQLite and PostgreSQL.

What the ORM guard (s47desk.lock) refuses politely, these refuse for everything else: bulk
statements, another program, a stale window. The only changes a signed meeting allows are its
status moving from signed to circulated and its bookkeeping (revision, audit head, updated
time); sign-offs, signed documents, the audit trail and the circulation log are append-only.
Migrations call these with the column lists of their own revision.
"""

from __future__ import annotations

from collections.abc import Sequence

LOCKED = ("signed", "circulated")
#: The meeting's own columns that may change after signing (with status signed -> circulated).
BOOKKEEPING = ("status", "updated_at", "revision", "audit_head")
#: Tables whose rows belong to one meeting's record.
RECORD_PARTS = ("child", "attendee", "information_item", "decision", "dissent", "action")
#: Written once at sign-off, never changed.
SIGNED_ONCE = ("signoff", "signed_document")
#: Appended to, never changed or removed.
APPEND_ONLY = ("audit_entry", "circulation")

MESSAGE = "s47desk: this meeting is signed; its record cannot change (record an amendment)"
APPEND_MESSAGE = "s47desk: this table is append-only"

_LOCKED_SQL = ", ".join(f"'{s}'" for s in LOCKED)


def sqlite_triggers(meeting_columns: Sequence[str]) -> list[str]:
    """CREATE TRIGGER statements for SQLite; *meeting_columns* are all the meeting's columns."""
    out: list[str] = []

    def locked(ref: str) -> str:
        return f"(SELECT status FROM meeting WHERE id = {ref}.meeting_id) IN ({_LOCKED_SQL})"

    def refuse(name: str, when: str, event: str, table: str, message: str = MESSAGE) -> None:
        condition = f" WHEN {when}" if when else ""
        out.append(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table}{condition} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )

    for table in (*RECORD_PARTS, *SIGNED_ONCE):
        refuse(f"s47_lock_{table}_insert", locked("NEW"), "INSERT", table)
        refuse(f"s47_lock_{table}_delete", locked("OLD"), "DELETE", table)
        if table in SIGNED_ONCE:
            refuse(f"s47_lock_{table}_update", "", "UPDATE", table)
        else:
            refuse(
                f"s47_lock_{table}_update", f"{locked('OLD')} OR {locked('NEW')}", "UPDATE", table
            )
    for table in APPEND_ONLY:
        refuse(f"s47_append_{table}_update", "", "UPDATE", table, APPEND_MESSAGE)
        refuse(f"s47_append_{table}_delete", "", "DELETE", table, APPEND_MESSAGE)
    unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in meeting_columns if c not in BOOKKEEPING)
    moves_on = (
        f"NEW.status IN ({_LOCKED_SQL}) AND (NEW.status = OLD.status OR "
        "(OLD.status = 'signed' AND NEW.status = 'circulated'))"
    )
    refuse(
        "s47_lock_meeting_update",
        f"OLD.status IN ({_LOCKED_SQL}) AND NOT ({moves_on} AND {unchanged})",
        "UPDATE",
        "meeting",
    )
    refuse("s47_lock_meeting_delete", f"OLD.status IN ({_LOCKED_SQL})", "DELETE", "meeting")
    return out


def sqlite_drop_triggers(statements: Sequence[str]) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {s.split()[2]}" for s in statements]


def postgresql_triggers() -> list[str]:
    """Functions and triggers for PostgreSQL (row-level, so bulk statements are covered)."""
    keep = "ARRAY[" + ", ".join(f"'{c}'" for c in BOOKKEEPING) + "]"
    out = [
        f"""CREATE OR REPLACE FUNCTION s47_locked(mid integer) RETURNS boolean
        LANGUAGE sql STABLE AS $$
        SELECT coalesce((SELECT status IN ({_LOCKED_SQL}) FROM meeting WHERE id = mid), false)
        $$""",
        f"""CREATE OR REPLACE FUNCTION s47_guard_part() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') AND s47_locked(OLD.meeting_id) THEN
            RAISE EXCEPTION '{MESSAGE}';
          END IF;
          IF TG_OP IN ('INSERT', 'UPDATE') AND s47_locked(NEW.meeting_id) THEN
            RAISE EXCEPTION '{MESSAGE}';
          END IF;
          IF TG_OP = 'UPDATE' AND TG_TABLE_NAME IN ('signoff', 'signed_document') THEN
            RAISE EXCEPTION '{MESSAGE}';
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION s47_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{APPEND_MESSAGE}'; END $$""",
        f"""CREATE OR REPLACE FUNCTION s47_guard_meeting() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.status IN ({_LOCKED_SQL}) THEN
            IF TG_OP = 'DELETE' THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
            IF NOT (NEW.status = OLD.status OR (OLD.status = 'signed'
                    AND NEW.status = 'circulated'))
               OR (to_jsonb(OLD) - {keep}) IS DISTINCT FROM (to_jsonb(NEW) - {keep}) THEN
              RAISE EXCEPTION '{MESSAGE}';
            END IF;
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$""",
        """CREATE TRIGGER s47_lock_meeting BEFORE UPDATE OR DELETE ON meeting
        FOR EACH ROW EXECUTE FUNCTION s47_guard_meeting()""",
    ]
    for table in (*RECORD_PARTS, *SIGNED_ONCE):
        out.append(
            f"CREATE TRIGGER s47_lock_{table} BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION s47_guard_part()"
        )
    for table in APPEND_ONLY:
        out.append(
            f"CREATE TRIGGER s47_append_{table} BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION s47_append_only()"
        )
    return out


def postgresql_drop_triggers() -> list[str]:
    tables = ("meeting", *RECORD_PARTS, *SIGNED_ONCE)
    out = [f"DROP TRIGGER IF EXISTS s47_lock_{t} ON {t}" for t in tables]
    out += [f"DROP TRIGGER IF EXISTS s47_append_{t} ON {t}" for t in APPEND_ONLY]
    out += [
        f"DROP FUNCTION IF EXISTS {f}"
        for f in (
            "s47_guard_meeting()",
            "s47_guard_part()",
            "s47_append_only()",
            "s47_locked(integer)",
        )
    ]
    return out
