"""Pharmacist home visits: the review snapshot, a decision per finding, follow-up visits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gibon.db import Base, TimestampMixin
from gibon.residents.models import Person


class Visit(TimestampMixin, Base):
    """One 스마트 방문약료 episode for one resident: planned, visited, then followed up or closed."""

    __tablename__ = "pharm_visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    dong: Mapped[str] = mapped_column(String(20))
    pharmacist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    planned_on: Mapped[date] = mapped_column(Date)
    visited_on: Mapped[date | None] = mapped_column(Date, default=None)
    review_date: Mapped[date] = mapped_column(Date)
    priority_score: Mapped[float] = mapped_column(Float, default=0.0)
    # The input history and the review as run: the report stays what the pharmacist saw.
    history: Mapped[dict[str, Any]] = mapped_column(JSON)
    review: Mapped[dict[str, Any]] = mapped_column(JSON)
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    person: Mapped[Person] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("ix_pharm_visits_status_priority", "status", "priority_score"),)


class FindingRecord(Base):
    """The pharmacist's decision on one finding of the visit's review."""

    __tablename__ = "pharm_finding_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("pharm_visits.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # index in review["findings"]
    category: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(24), default="open")
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class FollowUp(TimestampMixin, Base):
    """A follow-up visit or call after the first visit, with its outcome."""

    __tablename__ = "pharm_followups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("pharm_visits.id", ondelete="CASCADE"), index=True
    )
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    outcome: Mapped[str] = mapped_column(Text, default="")


class Draft(TimestampMixin, Base):
    """The dispensings a pharmacist is entering for a visit, before the review is run on them."""

    __tablename__ = "pharm_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("pharm_visits.id", ondelete="CASCADE"), unique=True
    )
    # Patient fields from the uploaded file (weight, creatinine, conditions ...), over the register's.
    patient: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    review_date: Mapped[date | None] = mapped_column(Date, default=None)
    # SHA-256 of every file already read into this draft: the same upload twice adds nothing.
    uploads: Mapped[list[str]] = mapped_column(JSON, default=list)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}


class DraftRow(Base):
    """One dispensing as typed or uploaded, kept as text so a bad value stays for correction."""

    __tablename__ = "pharm_draft_rows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("pharm_drafts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(120), default="")  # file name and row, or 직접 입력
    date: Mapped[str | None] = mapped_column(String(40), default=None)
    drug: Mapped[str | None] = mapped_column(String(200), default=None)
    drug_ko: Mapped[str | None] = mapped_column(String(200), default=None)
    atc: Mapped[str | None] = mapped_column(String(40), default=None)
    strength: Mapped[str | None] = mapped_column(String(80), default=None)
    sig: Mapped[str | None] = mapped_column(String(200), default=None)
    daily_dose: Mapped[str | None] = mapped_column(String(80), default=None)
    days_supply: Mapped[str | None] = mapped_column(String(40), default=None)
    quantity: Mapped[str | None] = mapped_column(String(40), default=None)
    prescriber: Mapped[str | None] = mapped_column(String(200), default=None)
    pharmacy: Mapped[str | None] = mapped_column(String(200), default=None)
