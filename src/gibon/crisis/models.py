"""Crisis tables: signals, one worklist item per household, contacts, events, devices, weights."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from gibon.db import Base, TimestampMixin, utcnow


class Item(TimestampMixin, Base):
    """One household on a dong's worklist; every signal of the household while open joins it."""

    __tablename__ = "crisis_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    dong: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default="checking")
    # The household id while the item is open, else NULL: the unique index makes "one open item
    # per household" a database rule, on SQLite and PostgreSQL alike.
    open_key: Mapped[str | None] = mapped_column(String(16), unique=True, default=None)
    score: Mapped[int] = mapped_column(Integer, default=0)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    weights_version: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_on: Mapped[date] = mapped_column(Date)
    recheck_on: Mapped[date | None] = mapped_column(Date, default=None)
    close_reason: Mapped[str | None] = mapped_column(String(24), default=None)
    close_note: Mapped[str] = mapped_column(Text, default="")
    care_case_id: Mapped[int | None] = mapped_column(ForeignKey("care_cases.id"), default=None)
    # 지원 연계 to a benefit application instead of a care case: the item follows its decision.
    application_id: Mapped[int | None] = mapped_column(Integer, default=None)
    first_contact_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_reached_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The UCLA 3-item loneliness screen at contact: answers (1–3 each) and their sum (3–9).
    loneliness: Mapped[list[int] | None] = mapped_column(JSON, default=None)
    loneliness_score: Mapped[int | None] = mapped_column(Integer, default=None)
    loneliness_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("ix_crisis_items_dong_status", "dong", "status"),)


class Signal(Base):
    """One 위기정보 signal about a household, from any source; never deleted."""

    __tablename__ = "crisis_signals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"), default=None)
    dong: Mapped[str] = mapped_column(String(20))
    indicator: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(16))
    observed_on: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Idempotency: the client's alert id, or a hash of (source, person, indicator, date) for a
    # list row, so a retried alert or a re-imported file adds nothing twice.
    dedup_key: Mapped[str] = mapped_column(String(80), unique=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("crisis_items.id"), default=None)
    detail: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_crisis_signals_item", "item_id"),
        Index("ix_crisis_signals_observed", "observed_on"),
    )


class Contact(Base):
    """One contact attempt: phone, visit or letter, when, and what came of it."""

    __tablename__ = "crisis_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("crisis_items.id"), index=True)
    method: Mapped[str] = mapped_column(String(12))
    outcome: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))


class Application(Base):
    """A benefit application opened from a worklist item (지원 연계), prefilled from the household
    and the engine's finding; its decision moves the item (granted: closed; refused: back to
    확인 중)."""

    __tablename__ = "crisis_applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("crisis_items.id"), index=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"))
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"))
    program: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    prefill: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    channel: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(64), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}


class Referral(Base):
    """A referral of the item's household to a local program (a 1인가구지원센터, 청년 프로그램),
    recorded like other referrals: what, to whom, by whom, when."""

    __tablename__ = "crisis_referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("crisis_items.id"), index=True)
    program: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(64))


class Event(Base):
    """Every change of an item's status: the event log is also its audit trail."""

    __tablename__ = "crisis_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("crisis_items.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16), default=None)
    to_status: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")


class Device(Base):
    """A monitoring device or call service registered to a household with its consent; a
    withdrawal stops it at once (its alerts are then refused and counted)."""

    __tablename__ = "crisis_devices"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    indicator: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    registered_by: Mapped[str] = mapped_column(String(64))
    consent_by: Mapped[str] = mapped_column(String(40), default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # The monitoring method (monitoring.yaml id); one consent per method and household.
    method: Mapped[str] = mapped_column(String(16), default="")
    # Sensors: hours without activity before an alert counts, from the household's own history.
    alert_hours: Mapped[int | None] = mapped_column(Integer, default=None)
    hours_basis: Mapped[str] = mapped_column(Text, default="")
    # Why a more intrusive method while a less intrusive one is not in use (the officer's note).
    offer_note: Mapped[str] = mapped_column(Text, default="")


class RejectedAlert(Base):
    """A device or call alert refused (unknown or stopped device): counted in the quality report."""

    __tablename__ = "crisis_rejected_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    device_id: Mapped[str] = mapped_column(String(40))
    alert_id: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(24))
    received_by: Mapped[str] = mapped_column(String(64))


class WeightVersion(Base):
    """A version of the triage weights; the newest is in force. Written only by the district team."""

    __tablename__ = "crisis_weight_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SyntheticTruth(Base):
    """The hidden ground truth of the synthetic stream: which households really were in crisis.

    Never shown per household; the quality report reads it only as counts (recall), labelled
    synthetic."""

    __tablename__ = "crisis_synthetic_truth"

    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), primary_key=True)
    onset_on: Mapped[date] = mapped_column(Date)
