"""The assessment as a team process: respondents, targets, reviews, notes per answer (issue 14).

Adds the ``respondents``, ``targets`` and ``reviews`` tables; ``submissions`` gains the
respondent who gave it and the notes on its answers; ``drafts`` are kept per respondent (the
key gains ``respondent``, "" for the one respondent of a business answered as before) and carry
notes too. Every existing row is kept: earlier submissions and drafts belong to that "" respondent.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)
DRAFT_COLUMNS = "workshop_pk, business_pk, answers, updated_at"


def _fk(name: str, target: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(
        name, sa.Integer, sa.ForeignKey(f"{target}.id", ondelete="CASCADE"), nullable=nullable
    )


def upgrade() -> None:
    op.create_table(
        "respondents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        _fk("business_pk", "businesses"),
        _fk("workshop_pk", "workshops"),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
    )
    op.create_index("ix_respondents_business", "respondents", ["business_pk", "workshop_pk"])
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(
            sa.Column(
                "respondent_pk",
                sa.Integer,
                sa.ForeignKey(
                    "respondents.id", ondelete="CASCADE", name="fk_submissions_respondent"
                ),
                nullable=True,
            )
        )
        batch.add_column(sa.Column("notes", sa.JSON, nullable=True))
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("submission_pk", "submissions"),
        sa.Column("reviewer", sa.String(120), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("reviewed_at", Timestamp, nullable=False),
    )
    op.create_index("ix_reviews_submission", "reviews", ["submission_pk"])
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("business_pk", "businesses"),
        sa.Column("area", sa.String(64), nullable=False),
        sa.Column("level", sa.Integer, nullable=True),  # NULL: the target was removed
        sa.Column("set_at", Timestamp, nullable=False),
    )
    op.create_index("ix_targets_business", "targets", ["business_pk", "area"])
    # A new primary key is simplest as a new table on both backends: build, copy, swap.
    op.create_table(
        "drafts_by_respondent",
        _fk("workshop_pk", "workshops"),
        _fk("business_pk", "businesses"),
        sa.Column("respondent", sa.String(64), nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("notes", sa.JSON, nullable=True),
        sa.Column("questionnaire_version", sa.String(32), nullable=True),  # NULL: not kept then
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("workshop_pk", "business_pk", "respondent", name="pk_drafts"),
    )
    op.execute(
        f"INSERT INTO drafts_by_respondent ({DRAFT_COLUMNS}, respondent) "
        f"SELECT {DRAFT_COLUMNS}, '' FROM drafts"
    )
    op.drop_table("drafts")
    op.rename_table("drafts_by_respondent", "drafts")


def downgrade() -> None:
    """Back to one respondent per business: drafts of named respondents and every new table
    are dropped (there is nowhere in the old schema to keep them)."""
    op.create_table(
        "drafts_single",
        _fk("workshop_pk", "workshops"),
        _fk("business_pk", "businesses"),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("workshop_pk", "business_pk"),
    )
    op.execute(
        f"INSERT INTO drafts_single ({DRAFT_COLUMNS}) "
        f"SELECT {DRAFT_COLUMNS} FROM drafts WHERE respondent = ''"
    )
    op.drop_table("drafts")
    op.rename_table("drafts_single", "drafts")
    op.drop_table("targets")
    op.drop_table("reviews")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("notes")
        batch.drop_column("respondent_pk")
    op.drop_table("respondents")
