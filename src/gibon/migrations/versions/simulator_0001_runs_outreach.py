"""simulator: stored runs (aggregates only) and outreach contact outcomes

Revision ID: simulator_0001
Revises: care_0001 (re-point at the head if another lands first)
Create Date: 2026-11-25 14:30:02.288859
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "simulator_0001"
down_revision: str | None = "care_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "simulator_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reform_name", sa.String(length=200), nullable=False),
        sa.Column("reform_yaml", sa.Text(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("report_html", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_simulator_runs")),
    )
    op.create_table(
        "simulator_outreach_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.String(length=16), nullable=False),
        sa.Column("dong", sa.String(length=20), nullable=False),
        sa.Column("programs", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_simulator_outreach_contacts_household_id_households"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_simulator_outreach_contacts")),
    )
    with op.batch_alter_table("simulator_outreach_contacts", schema=None) as batch_op:
        batch_op.create_index("ix_simulator_outreach_contacts_dong", ["dong"], unique=False)
        batch_op.create_index(
            "ix_simulator_outreach_contacts_household_recorded",
            ["household_id", "recorded_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("simulator_outreach_contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_simulator_outreach_contacts_household_recorded")
        batch_op.drop_index("ix_simulator_outreach_contacts_dong")

    op.drop_table("simulator_outreach_contacts")
    op.drop_table("simulator_runs")
