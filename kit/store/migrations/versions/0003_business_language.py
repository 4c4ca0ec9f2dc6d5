"""Each business's language, so its report comes out in the language it answered in.

Revision ID: 0003_business_language
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_business_language"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("businesses", sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    """A plain ALTER TABLE on every database: SQLite (3.35 and later) drops the column in
    place, where a batch copy of ``businesses`` would drop the old table and, with foreign
    keys on, take every business's submissions with it."""
    op.execute("ALTER TABLE businesses DROP COLUMN language")
