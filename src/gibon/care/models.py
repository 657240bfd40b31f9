"""Integrated-care tables: cases and their events, consents, each workflow step, providers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gibon.db import Base, TimestampMixin, utcnow
from gibon.residents.models import Person


class Case(TimestampMixin, Base):
    __tablename__ = "care_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    dong: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(24))
    applicant_name: Mapped[str] = mapped_column(String(40))
    applicant_relation: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), default="applied")
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    opened_on: Mapped[date] = mapped_column(Date)
    status_since: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When the current step is due (per-step deadline, or the next follow-up while in service).
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    need_level: Mapped[str | None] = mapped_column(String(16), default=None)
    # 영 제2조제1항 category and, for 직권신청, the 영 제4조 ground (care_0003).
    target_group: Mapped[str | None] = mapped_column(String(24), default=None)
    ex_officio_ground: Mapped[str | None] = mapped_column(String(32), default=None)
    # Something the officer must put right (e.g. an ex officio case migrated without a ground).
    review_flag: Mapped[str | None] = mapped_column(String(32), default=None)
    close_reason: Mapped[str | None] = mapped_column(String(24), default=None)
    close_note: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    person: Mapped[Person] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        Index("ix_care_cases_dong_status_due", "dong", "status", "due_on"),
        Index("ix_care_cases_officer_status_due", "officer_id", "status", "due_on"),
        Index("ix_care_cases_status_due", "status", "due_on"),
        # Work queues walk these in due order and stop after one page (care_0002).
        Index("ix_care_cases_dong_due_id", "dong", "due_on", "id"),
        Index("ix_care_cases_officer_due_id", "officer_id", "due_on", "id"),
        Index("ix_care_cases_due_id", "due_on", "id"),
    )


class CaseEvent(Base):
    """One row per change of a case, written in the same transaction as the change."""

    __tablename__ = "care_case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(16), default=None)
    to_status: Mapped[str] = mapped_column(String(16))
    # Days spent in ``from_status`` when it was left (for median days per step).
    step_days: Mapped[float | None] = mapped_column(Float, default=None)
    detail: Mapped[str] = mapped_column(Text, default="")


class Consent(Base):
    """Consent per purpose; a withdrawal takes effect at once (checked on every use)."""

    __tablename__ = "care_consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    given_by: Mapped[str] = mapped_column(String(40))
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    recorded_by: Mapped[str] = mapped_column(String(64))


class Screening(Base):
    __tablename__ = "care_screenings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"), index=True)
    items: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Assessment(Base):
    __tablename__ = "care_assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # district_survey | full
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    # 영 제5조②: the 전문기관 that did part of the survey, and which part (None before care_0003).
    agency: Mapped[str | None] = mapped_column(String(24), default=None)
    agency_part: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Decision(Base):
    __tablename__ = "care_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"), index=True)
    level: Mapped[str] = mapped_column(String(16))  # the higher of the two axes (queues, old rows)
    # 법 제12조①: the two needs; None on a legacy single-axis 판정 (``legacy``).
    medical_need: Mapped[str | None] = mapped_column(String(16), default=None)
    care_need: Mapped[str | None] = mapped_column(String(16), default=None)
    legacy: Mapped[bool] = mapped_column(Boolean, default=False)
    notified_on: Mapped[date | None] = mapped_column(Date, default=None)
    notice_method: Mapped[str] = mapped_column(String(24), default="")
    suggested_level: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[str] = mapped_column(Text)
    reassess_on: Mapped[date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PlanVersion(Base):
    """Support plans are never edited in place: every change is a new numbered version."""

    __tablename__ = "care_plan_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    goals: Mapped[list[str]] = mapped_column(JSON)
    services: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    change_note: Mapped[str] = mapped_column(Text, default="")
    approved: Mapped[bool] = mapped_column(Boolean, default=False)  # a 회의 agreed (no legal power)
    linkage: Mapped[str] = mapped_column(Text, default="")  # 법 제13조①2: 연계 방법
    views: Mapped[str] = mapped_column(Text, default="")  # 법 제13조②: stated views
    views_by: Mapped[str] = mapped_column(String(40), default="")
    views_on: Mapped[date | None] = mapped_column(Date, default=None)
    notified_on: Mapped[date | None] = mapped_column(Date, default=None)  # 규칙 제9조①
    notice_to: Mapped[str] = mapped_column(String(40), default="")
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_care_plan_versions_number"),)


class Conference(TimestampMixin, Base):
    __tablename__ = "care_conferences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    participants: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    agenda: Mapped[str] = mapped_column(Text)
    minutes: Mapped[str] = mapped_column(Text, default="")
    plan_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("care_plan_versions.id"), default=None
    )
    decision: Mapped[str] = mapped_column(String(16), default="pending")  # approved | revise
    by: Mapped[str] = mapped_column(String(64))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}


class Provider(TimestampMixin, Base):
    __tablename__ = "care_providers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    service_types: Mapped[list[str]] = mapped_column(JSON)
    dongs: Mapped[list[str]] = mapped_column(JSON)  # empty = the whole district
    capacity: Mapped[int] = mapped_column(Integer)
    phone: Mapped[str] = mapped_column(String(20), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}


class Referral(TimestampMixin, Base):
    """A closed-loop referral: offered -> accepted | declined(reason) -> started -> ended(outcome)."""

    __tablename__ = "care_referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("care_providers.id"), index=True)
    service_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(12), default="offered")
    note: Mapped[str] = mapped_column(Text, default="")
    decline_reason: Mapped[str | None] = mapped_column(Text, default=None)
    outcome: Mapped[str | None] = mapped_column(Text, default=None)
    offered_on: Mapped[date] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date, default=None)
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    provider: Mapped[Provider] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("ix_care_referrals_provider_status", "provider_id", "status"),)


OPEN_FOLLOWUP = ("scheduled", "missed")  # a 점검 still to be done


class FollowUp(TimestampMixin, Base):
    __tablename__ = "care_followups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # phone | visit | reassessment
    due_on: Mapped[date] = mapped_column(Date)
    assignee_org: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    # scheduled | missed (a visit was attempted and not made: still open, gathered again) | done
    # | cancelled
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}


class DischargeNotice(Base):
    """법 제11조, 규칙 제8조: an institution tells the district a person is leaving it."""

    __tablename__ = "care_discharge_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    dong: Mapped[str] = mapped_column(String(20), index=True)
    institution_kind: Mapped[str] = mapped_column(String(24))
    institution_name: Mapped[str] = mapped_column(String(100))
    leaving_on: Mapped[date] = mapped_column(Date)
    consent_by: Mapped[str] = mapped_column(String(40))  # whose consent the institution obtained
    contact: Mapped[str] = mapped_column(String(40), default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("care_cases.id"), default=None)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InfoRequest(Base):
    """법 제23조, 규칙 제13조: information asked of, or by, an outside body about a case."""

    __tablename__ = "care_info_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))  # to | from
    counterpart: Mapped[str] = mapped_column(String(100))
    items: Mapped[list[str]] = mapped_column(JSON)
    purpose: Mapped[str] = mapped_column(Text)
    requested_on: Mapped[date] = mapped_column(Date)
    answered_on: Mapped[date | None] = mapped_column(Date, default=None)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DocumentCheck(Base):
    """규칙 제7조⑤: a document about the person checked through 행정정보 공동이용 (or submitted)."""

    __tablename__ = "care_document_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"), index=True)
    document: Mapped[str] = mapped_column(String(24))
    via: Mapped[str] = mapped_column(String(16))  # shared | submitted
    checked_on: Mapped[date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
