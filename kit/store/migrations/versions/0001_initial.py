"""The first schema: workshops, businesses, enrolments, consents, drafts and submissions.

Revision ID: 0001
Revises:
Create Date: 2024-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)


def _workshop_fk() -> sa.Column[int]:
    return sa.Column(
        "workshop_pk", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False
    )


def _business_fk() -> sa.Column[int]:
    return sa.Column(
        "business_pk",
        sa.Integer,
        sa.ForeignKey("businesses.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
    )
    op.create_table(
        "businesses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("business_id", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
    )
    op.create_table(
        "enrolments",
        _workshop_fk(),
        _business_fk(),
        sa.Column("joined_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("workshop_pk", "business_pk"),
    )
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer, primary_key=True),
        _workshop_fk(),
        _business_fk(),
        sa.Column("privacy_version", sa.String(32), nullable=False),
        sa.Column("agreed_at", Timestamp, nullable=False),
    )
    op.create_index("ix_consents_business", "consents", ["business_pk", "workshop_pk"])
    op.create_table(
        "drafts",
        _workshop_fk(),
        _business_fk(),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("workshop_pk", "business_pk"),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_key", sa.String(128), nullable=False, unique=True),
        _workshop_fk(),
        _business_fk(),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("model_version", sa.String(32), nullable=False),
        sa.Column("questionnaire_version", sa.String(32), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("submitted_at", Timestamp, nullable=False),
    )
    op.create_index("ix_submissions_business", "submissions", ["business_pk", "submitted_at"])
    op.create_index("ix_submissions_workshop", "submissions", ["workshop_pk", "business_pk"])


def downgrade() -> None:
    for table in ("submissions", "drafts", "consents", "enrolments", "businesses", "workshops"):
        op.drop_table(table)
