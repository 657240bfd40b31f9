"""visits: stored day plans

Revision ID: visits_0001
Revises: care_0002
Create Date: 2026-12-02 05:51:11.855351
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "visits_0001"
down_revision: str | None = "care_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "visit_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("time_limit", sa.Float(), nullable=False),
        sa.Column("requested", sa.Integer(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("feasible", sa.Boolean(), nullable=False),
        sa.Column("staff", sa.JSON(), nullable=False),
        sa.Column("requests", sa.JSON(), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["visit_plans.id"],
            name=op.f("fk_visit_plans_parent_id_visit_plans"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_plans")),
    )
    with op.batch_alter_table("visit_plans", schema=None) as batch_op:
        batch_op.create_index("ix_visit_plans_date_status", ["plan_date", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("visit_plans", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_plans_date_status")

    op.drop_table("visit_plans")
