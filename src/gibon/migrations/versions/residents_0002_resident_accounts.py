"""resident accounts: users.person_id links a resident's account to their person

Revision ID: residents_0002
Revises: crisis_0001
Create Date: 2026-12-07 03:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "residents_0002"
down_revision: str | None = "crisis_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable and without a default: every existing (staff) account keeps None.
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("person_id", sa.String(length=16), nullable=True))
        batch.create_index("ix_users_person_id", ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_person_id")
        batch.drop_column("person_id")
