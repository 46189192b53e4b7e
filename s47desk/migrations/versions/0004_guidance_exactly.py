"""the guidance, exactly: the discussion's end time, the chair's role, the referrer, when
professional abuse was suspected, a missing child under enquiries, refused access and
permission not sought, parents, carers, household and the person alleged, the contingency
plan, the planned conference, the assessment's overrun, what the family will be told; per
child: looked after, seen (when, by whom, alone or why not); per attendee: seniority; actions
for several children

Only columns are added (with server defaults), never a table rebuilt: with foreign keys on, a
rebuild of `meeting` would cascade-delete its rows. The SQLite lock trigger on `meeting`
compares every column by name, so it is re-created with the new list.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-10 09:00:00
"""

import sqlalchemy as sa
from alembic import op

from s47desk.immutability import sqlite_triggers

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The meeting's columns at revision 0003, then those this revision adds.
MEETING_COLUMNS_0003 = (
    "id", "uid", "reference", "form_id", "status", "held_at", "mode", "chair_name", "chair_role",
    "minute_taker", "local_authority", "referral_received", "concerns_identified", "urgency",
    "concerns", "reason", "immediate_action", "late_reason", "risks", "strengths", "child_voice",
    "child_voice_plan", "other_children_note", "child_in_hospital", "lado_notified_on",
    "whereabouts_unknown_since", "initiating_meeting_id", "initiating_held_on", "record_version",
    "amends_uid", "amendment_reason", "provenance", "created_at", "updated_at", "revision",
    "audit_head",
)  # fmt: skip


def _text(name: str, length: int | None = None) -> sa.Column:
    kind = sa.String(length) if length else sa.Text()
    return sa.Column(name, kind, nullable=False, server_default="")


def _flag(name: str) -> sa.Column:
    return sa.Column(name, sa.Boolean(), nullable=False, server_default="0")


def _vocab(name: str, *values: str) -> sa.Column:
    kind = sa.Enum(*values, name=name, native_enum=False, length=40, create_constraint=False)
    return sa.Column(name, kind, nullable=True)


MEETING_ADDED = (
    sa.Column("ended_at", sa.DateTime(), nullable=True),
    _flag("chair_is_team_manager"),
    _text("referrer", 200),
    _vocab("referrer_kind", "professional", "non_professional"),
    sa.Column("abuse_suspected_on", sa.Date(), nullable=True),
    _flag("under_s47_enquiries"),
    _flag("access_refused"),
    _flag("permission_not_sought"),
    _text("parents_carers"),
    _text("household_members"),
    _text("alleged_person"),
    _text("alleged_person_aliases"),
    sa.Column("alleged_person_dob", sa.Date(), nullable=True),
    _flag("identities_checked"),
    _text("contingency"),
    sa.Column("icpc_planned_on", sa.Date(), nullable=True),
    _text("assessment_over_reason"),
    _text("family_summary"),
    _flag("family_summary_confirmed"),
)
MEETING_COLUMNS = (*MEETING_COLUMNS_0003, *(c.name for c in MEETING_ADDED))

CHILD_ADDED = (
    _flag("looked_after"),
    sa.Column("seen_on", sa.Date(), nullable=True),
    _text("seen_by", 200),
    _vocab("seen_alone", "alone", "not_alone"),
    _text("not_alone_reason"),
)


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:  # the old trigger names the old columns; it would refuse nothing new
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS s47_lock_meeting_update")
    for column in MEETING_ADDED:
        op.add_column("meeting", column)
    for column in CHILD_ADDED:
        op.add_column("child", column)
    op.add_column("attendee", _flag("senior_enough"))
    op.add_column(
        "action", sa.Column("for_children", sa.JSON(), nullable=False, server_default="[]")
    )
    if sqlite:
        (trigger,) = [s for s in sqlite_triggers(MEETING_COLUMNS) if "s47_lock_meeting_update" in s]
        bind.exec_driver_sql(trigger)


def downgrade() -> None:
    raise NotImplementedError("s47desk migrations are not reversed: restore a backup instead")
