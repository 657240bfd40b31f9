"""Schemas of providers, referrals and their 점검 follow-ups."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from gibon.care._schema_base import MAX_ID, Changed, In, Stamped, Versioned
from gibon.care.plans.schemas import ServiceType


class ProviderCreate(In):
    organization_id: str = Field(min_length=1, max_length=64, examples=["prov-001"])
    name: str = Field(min_length=1, max_length=100)
    service_types: list[ServiceType] = Field(min_length=1, max_length=10)
    dongs: list[str] = Field(default_factory=list, max_length=21)
    capacity: int = Field(ge=1, le=100_000)
    phone: str = Field("", max_length=20)


class ReferralCreate(Versioned):
    case_id: int = Field(ge=1, le=MAX_ID)
    provider_id: int = Field(ge=1, le=MAX_ID)
    service_type: ServiceType
    note: str = Field("", max_length=2000)


class ReferralAction(StrEnum):
    accept = "accept"
    decline = "decline"
    start = "start"
    end = "end"


class ReferralUpdate(Versioned):
    action: ReferralAction
    reason: str = Field("", max_length=2000, description="why declined / the outcome when ended")
    on: date | None = None


class FollowUpKind(StrEnum):
    phone = "phone"
    visit = "visit"
    reassessment = "reassessment"


class FollowUpCreate(Versioned):
    case_id: int = Field(ge=1, le=MAX_ID)
    kind: FollowUpKind
    due_on: date
    assignee_org: str | None = Field(None, max_length=64, examples=["doctor-01"])


class FollowUpDone(Versioned):
    notes: str = Field(min_length=1, max_length=4000)
    done_on: date | None = None


class FollowUpMissed(Versioned):
    """A visit that was attempted and not made: the 점검 stays open, with the reason kept."""

    reason: str = Field(min_length=1, max_length=400, examples=["부재 (연락 안 됨)"])
    on: date | None = None


class ProviderRead(Stamped):
    id: int
    organization_id: str
    name: str
    service_types: list[str]
    dongs: list[str]
    capacity: int
    phone: str
    active: bool
    version: int
    load: int | None = Field(None, description="referrals accepted or started now")


class ReferralRead(Changed, Stamped):
    id: int
    case_id: int
    provider_id: int
    service_type: str
    status: str
    note: str
    decline_reason: str | None
    outcome: str | None
    offered_on: date
    started_on: date | None
    ended_on: date | None
    version: int
    provider_name: str | None = None
    provider_organization_id: str | None = None
    person_name: str | None = Field(None, description="hidden once consent is withdrawn")
    dong: str | None = None
    consent_active: bool | None = None


class FollowUpRead(Changed, Stamped):
    id: int
    case_id: int
    kind: str
    due_on: date
    assignee_org: str | None
    status: str
    done_on: date | None
    notes: str
    version: int
    person_name: str | None = None
    dong: str | None = None
