"""circulation log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

AGENCIES = (
    "social_care",
    "police",
    "health",
    "education",
    "lado",
    "complex_safeguarding",
    "youth_justice",
    "adult_mental_health",
    "substance_misuse",
    "domestic_abuse_specialist",
    "british_transport_police",
    "legal",
    "referrer",
    "other",
)


def upgrade() -> None:
    op.create_table(
        "circulation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column(
            "agency",
            sa.Enum(*AGENCIES, name="agency", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("content_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("signer_sha256", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=250), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("circulation")
