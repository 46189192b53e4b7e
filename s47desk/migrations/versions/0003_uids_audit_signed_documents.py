"""row uids, indexes on every meeting_id, references, revisions, the audit trail, signed
documents, sign-off signatures, amendments, and triggers that keep signed records unchanged

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:00:00
"""

import hashlib
import re
import uuid

import sqlalchemy as sa
from alembic import op

from s47desk.immutability import postgresql_triggers, sqlite_triggers

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ROW_TABLES = ("child", "attendee", "information_item", "decision", "dissent", "action")
VERSIONED = ("meeting", *ROW_TABLES)
# The meeting's columns at this revision (the SQLite lock trigger compares each of them).
MEETING_COLUMNS = (
    "id", "uid", "reference", "form_id", "status", "held_at", "mode", "chair_name", "chair_role",
    "minute_taker", "local_authority", "referral_received", "concerns_identified", "urgency",
    "concerns", "reason", "immediate_action", "late_reason", "risks", "strengths", "child_voice",
    "child_voice_plan", "other_children_note", "child_in_hospital", "lado_notified_on",
    "whereabouts_unknown_since", "initiating_meeting_id", "initiating_held_on", "record_version",
    "amends_uid", "amendment_reason", "provenance", "created_at", "updated_at", "revision",
    "audit_head",
)  # fmt: skip

_DECISION_NAMESPACE = uuid.UUID("5b4c2f3e-6a1d-4e0b-9a47-2d1c0f5e8b61")
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _reference(uid: str, local_authority: str) -> str:
    """Frozen copy of s47desk.reference.make_reference at this revision."""
    name = re.sub(r"\(.*?\)", " ", local_authority)
    words = [
        w
        for w in re.findall(r"[A-Za-z]+", name)
        if w.lower() not in {"of", "the", "and", "for", "&"}
    ]
    code = "".join(w[0].upper() for w in words)[:4] or "SD"
    number = int.from_bytes(hashlib.sha256(uid.encode("ascii")).digest()[:5], "big")
    chars = "".join(_CROCKFORD[(number >> shift) & 31] for shift in range(35, -1, -5))
    return f"{code}-{chars[:4]}-{chars[4:]}"


def _text(name: str, length: int | None = None) -> sa.Column:
    kind = sa.String(length) if length else sa.Text()
    return sa.Column(name, kind, nullable=False, server_default="")


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"

    op.add_column("meeting", _text("reference", 40))
    op.add_column("meeting", sa.Column("amends_uid", sa.String(36), nullable=True))
    op.add_column("meeting", _text("amendment_reason"))
    op.add_column("meeting", _text("provenance"))
    op.add_column(
        "meeting", sa.Column("revision", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("meeting", _text("audit_head", 64))
    op.create_index("ix_meeting_amends_uid", "meeting", ["amends_uid"])
    for mid, uid, la in bind.execute(sa.text("SELECT id, uid, local_authority FROM meeting")):
        bind.execute(
            sa.text("UPDATE meeting SET reference = :r WHERE id = :i"),
            {"r": _reference(uid, la or ""), "i": mid},
        )

    for table in (*ROW_TABLES, "signoff"):
        op.add_column(table, sa.Column("uid", sa.String(36), nullable=True))
        rows = bind.execute(sa.text(f"SELECT id FROM {table}")).scalars().all()
        for row_id in rows:
            bind.execute(
                sa.text(f"UPDATE {table} SET uid = :u WHERE id = :i"),
                {"u": str(uuid.uuid4()), "i": row_id},
            )
        op.create_index(f"ix_{table}_meeting_id", table, ["meeting_id"])
        op.create_index(f"ix_{table}_uid", table, ["uid"], unique=True)
    # A decision's uid follows from its meeting and kind (s47desk.models.decision_uid).
    for did, kind, muid in bind.execute(
        sa.text("SELECT d.id, d.kind, m.uid FROM decision d JOIN meeting m ON m.id = d.meeting_id")
    ):
        bind.execute(
            sa.text("UPDATE decision SET uid = :u WHERE id = :i"),
            {"u": str(uuid.uuid5(_DECISION_NAMESPACE, f"{muid}/{kind}")), "i": did},
        )
    op.create_index("ix_circulation_meeting_id", "circulation", ["meeting_id"])

    op.add_column("signoff", _text("on_behalf_of", 200))
    op.add_column("signoff", _text("audit_head", 64))
    op.add_column("signoff", _text("statement"))
    op.add_column("signoff", _text("signature"))
    op.add_column("signoff", _text("certificate"))

    for table in VERSIONED:
        op.drop_column(table, "version")

    op.create_table(
        "signed_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "record_version", "kind"),
    )
    op.create_index("ix_signed_document_meeting_id", "signed_document", ["meeting_id"])
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_uid", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("login", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("item", sa.String(length=36), nullable=False),
        sa.Column("old", sa.Text(), nullable=False),
        sa.Column("new", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_uid", "seq"),
    )
    op.create_index("ix_audit_entry_meeting_uid", "audit_entry", ["meeting_uid"])

    statements = sqlite_triggers(MEETING_COLUMNS) if sqlite else postgresql_triggers()
    for statement in statements:
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    raise NotImplementedError("s47desk migrations are not reversed: restore a backup instead")
