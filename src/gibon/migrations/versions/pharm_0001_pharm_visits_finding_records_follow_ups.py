"""pharm: visits, finding records, follow-ups

Revision ID: pharm_0001
Revises: simulator_0001
Create Date: 2026-11-25 14:30:46.504822
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "pharm_0001"
down_revision: str | None = "simulator_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pharm_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=16), nullable=False),
        sa.Column("dong", sa.String(length=20), nullable=False),
        sa.Column("pharmacist_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=True),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("priority_score", sa.Float(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("review", sa.JSON(), nullable=False),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_pharm_visits_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["pharmacist_id"], ["users.id"], name=op.f("fk_pharm_visits_pharmacist_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pharm_visits")),
    )
    with op.batch_alter_table("pharm_visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pharm_visits_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            "ix_pharm_visits_status_priority", ["status", "priority_score"], unique=False
        )

    op.create_table(
        "pharm_finding_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_pharm_finding_records_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["pharm_visits.id"],
            name=op.f("fk_pharm_finding_records_visit_id_pharm_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pharm_finding_records")),
    )
    with op.batch_alter_table("pharm_finding_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pharm_finding_records_visit_id"), ["visit_id"], unique=False
        )

    op.create_table(
        "pharm_followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["pharm_visits.id"],
            name=op.f("fk_pharm_followups_visit_id_pharm_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pharm_followups")),
    )
    with op.batch_alter_table("pharm_followups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pharm_followups_visit_id"), ["visit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pharm_followups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pharm_followups_visit_id"))

    op.drop_table("pharm_followups")
    with op.batch_alter_table("pharm_finding_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pharm_finding_records_visit_id"))

    op.drop_table("pharm_finding_records")
    with op.batch_alter_table("pharm_visits", schema=None) as batch_op:
        batch_op.drop_index("ix_pharm_visits_status_priority")
        batch_op.drop_index(batch_op.f("ix_pharm_visits_person_id"))

    op.drop_table("pharm_visits")
