"""care: indexes that let the work queues read one page in due order

Revision ID: care_0002
Revises: pharm_0001
Create Date: 2026-11-25 14:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "care_0002"
down_revision: str | None = "pharm_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_care_cases_dong_due_id": ["dong", "due_on", "id"],
    "ix_care_cases_officer_due_id": ["officer_id", "due_on", "id"],
    "ix_care_cases_due_id": ["due_on", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "care_cases", columns, unique=False)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="care_cases")
