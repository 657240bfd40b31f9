"""Simulator tables: stored runs (aggregates only) and outreach contacts with their outcomes."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gibon.db import Base, utcnow


class Outcome(enum.StrEnum):
    reached = "reached"
    applied = "applied"
    not_interested = "not_interested"
    not_eligible_after_review = "not_eligible_after_review"


OUTCOME_LABELS_KO = {
    Outcome.reached: "연락됨 (안내함)",
    Outcome.applied: "신청함",
    Outcome.not_interested: "원하지 않음",
    Outcome.not_eligible_after_review: "검토 결과 대상 아님",
}
# Outcomes after which a household leaves the outreach list.
CLOSING = frozenset({Outcome.applied, Outcome.not_interested, Outcome.not_eligible_after_review})


class SimulationRun(Base):
    """A reform run on the district: the reform text and the report, which hold aggregates only."""

    __tablename__ = "simulator_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reform_name: Mapped[str] = mapped_column(String(200))
    reform_yaml: Mapped[str] = mapped_column(Text)
    month: Mapped[str] = mapped_column(String(7))
    seed: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    report_html: Mapped[str] = mapped_column(Text)


class OutreachContact(Base):
    """One contact with a household found by the outreach list; append-only, latest one counts."""

    __tablename__ = "simulator_outreach_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"))
    dong: Mapped[str] = mapped_column(String(20))
    programs: Mapped[list[str]] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        Index("ix_simulator_outreach_contacts_household_recorded", "household_id", "recorded_at"),
        Index("ix_simulator_outreach_contacts_dong", "dong"),
    )
