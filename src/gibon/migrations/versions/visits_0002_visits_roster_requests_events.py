"""visits: staff roster, requested visits, visit events from the field

Revision ID: visits_0002
Revises: care_0003
Create Date: 2026-12-07 01:39:26.704592
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "visits_0002"
down_revision: str | None = "care_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "visit_staff",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("profession", sa.String(length=16), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("shift_start", sa.String(length=5), nullable=False),
        sa.Column("shift_end", sa.String(length=5), nullable=False),
        sa.Column("break_window", sa.JSON(), nullable=True),
        sa.Column("break_minutes", sa.Integer(), nullable=False),
        sa.Column("base_lat", sa.Float(), nullable=False),
        sa.Column("base_lon", sa.Float(), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("max_visits", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_staff")),
    )
    op.create_table(
        "visit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("visit_key", sa.String(length=64), nullable=False),
        sa.Column("professional", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("happened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=16), nullable=True),
        sa.Column("source_kind", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["visit_plans.id"], name=op.f("fk_visit_events_plan_id_visit_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_events")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_visit_events_idempotency_key")),
    )
    with op.batch_alter_table("visit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_events_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_events_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index("ix_visit_events_plan_visit", ["plan_id", "visit_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_visit_events_professional"), ["professional"], unique=False
        )

    op.create_table(
        "visit_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_date", sa.Date(), nullable=False),
        sa.Column("person_id", sa.String(length=16), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("together", sa.String(length=12), nullable=True),
        sa.Column("gap_minutes", sa.JSON(), nullable=True),
        sa.Column("window_start", sa.String(length=5), nullable=False),
        sa.Column("window_end", sa.String(length=5), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_visit_requests_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_requests")),
    )
    with op.batch_alter_table("visit_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_visit_requests_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_visit_requests_request_date"), ["request_date"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("visit_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_requests_request_date"))
        batch_op.drop_index(batch_op.f("ix_visit_requests_person_id"))

    op.drop_table("visit_requests")
    with op.batch_alter_table("visit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_events_professional"))
        batch_op.drop_index("ix_visit_events_plan_visit")
        batch_op.drop_index(batch_op.f("ix_visit_events_plan_id"))
        batch_op.drop_index(batch_op.f("ix_visit_events_person_id"))

    op.drop_table("visit_events")
    op.drop_table("visit_staff")
