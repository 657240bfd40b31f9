"""pharm: dispensing drafts a pharmacist enters or uploads before the review

Revision ID: pharm_0002
Revises: visits_0002
Create Date: 2026-12-07 01:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "pharm_0002"
down_revision: str | None = "visits_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT_COLUMNS = (
    ("date", 40),
    ("drug", 200),
    ("drug_ko", 200),
    ("atc", 40),
    ("strength", 80),
    ("sig", 200),
    ("daily_dose", 80),
    ("days_supply", 40),
    ("quantity", 40),
    ("prescriber", 200),
    ("pharmacy", 200),
)


def upgrade() -> None:
    op.create_table(
        "pharm_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("patient", sa.JSON(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("uploads", sa.JSON(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["pharm_visits.id"],
            name=op.f("fk_pharm_drafts_visit_id_pharm_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pharm_drafts")),
        sa.UniqueConstraint("visit_id", name=op.f("uq_pharm_drafts_visit_id")),
    )
    op.create_table(
        "pharm_draft_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        *(sa.Column(name, sa.String(length=n), nullable=True) for name, n in _TEXT_COLUMNS),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["pharm_drafts.id"],
            name=op.f("fk_pharm_draft_rows_draft_id_pharm_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pharm_draft_rows")),
    )
    with op.batch_alter_table("pharm_draft_rows", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pharm_draft_rows_draft_id"), ["draft_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pharm_draft_rows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pharm_draft_rows_draft_id"))
    op.drop_table("pharm_draft_rows")
    op.drop_table("pharm_drafts")
