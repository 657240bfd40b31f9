"""Schemas of the support plan and the 통합지원회의."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, model_validator

from gibon.care._schema_base import MAX_ID, Changed, In, Stamped, Versioned


class ServiceDomain(StrEnum):
    health = "health"
    ltc = "ltc"
    daily = "daily"
    housing = "housing"


class ServiceType(StrEnum):
    home_medical = "home_medical"
    visit_doctor = "visit_doctor"
    visit_nursing = "visit_nursing"
    visit_pharmacy = "visit_pharmacy"
    ltc_home = "ltc_home"
    meals = "meals"
    housework = "housework"
    accompany = "accompany"
    home_repair = "home_repair"
    relocation = "relocation"


SERVICE_LABELS = {
    ServiceType.home_medical: "재택의료",
    ServiceType.visit_doctor: "방문진료",
    ServiceType.visit_nursing: "방문간호",
    ServiceType.visit_pharmacy: "방문약료",
    ServiceType.ltc_home: "장기요양 재가급여",
    ServiceType.meals: "식사 지원",
    ServiceType.housework: "가사 지원",
    ServiceType.accompany: "동행 지원",
    ServiceType.home_repair: "주거 개선",
    ServiceType.relocation: "이주 지원",
}


SERVICE_DOMAIN = {
    **dict.fromkeys(
        [
            ServiceType.home_medical,
            ServiceType.visit_doctor,
            ServiceType.visit_nursing,
            ServiceType.visit_pharmacy,
        ],
        ServiceDomain.health,
    ),
    ServiceType.ltc_home: ServiceDomain.ltc,
    **dict.fromkeys(
        [ServiceType.meals, ServiceType.housework, ServiceType.accompany], ServiceDomain.daily
    ),
    **dict.fromkeys([ServiceType.home_repair, ServiceType.relocation], ServiceDomain.housing),
}


class PlanService(In):
    service_type: ServiceType
    provider_id: int | None = Field(None, ge=1, le=MAX_ID, description="제공 주체")
    frequency: str = Field("", max_length=60, examples=["주 2회, 회당 60분"], description="수량")
    method: str = Field("", max_length=100, examples=["가정 방문"], description="방법")
    content: str = Field("", max_length=400, examples=["혈압·복약 확인"], description="내용")
    start: date
    end: date

    @model_validator(mode="after")
    def end_after_start(self) -> PlanService:
        if self.end < self.start:
            raise ValueError("종료일은 시작일 이후여야 합니다")
        return self


class PlanCreate(Versioned):
    based_on: int = Field(
        0, ge=0, le=MAX_ID, description="the plan number you edited (0 for the first plan)"
    )
    goals: list[str] = Field(min_length=1, max_length=20)
    services: list[PlanService] = Field(min_length=1, max_length=40)
    change_note: str = Field("", max_length=2000)
    linkage: str = Field("", max_length=2000, description="제공기관 간 연계 방법 (법 제13조①2)")
    views: str = Field("", max_length=4000, description="본인·가족이 진술한 의견 (법 제13조②)")
    views_by: str = Field("", max_length=40, examples=["본인, 딸"])
    views_on: date | None = None


class PlanNotice(Versioned):
    """규칙 제9조①: the plan is made known to the applicant (직권: the person) on 별지 제2호서식."""

    notified_on: date
    notice_to: str = Field(min_length=1, max_length=40, examples=["본인"])


class Agency(StrEnum):
    district = "district"
    health_centre = "health_centre"
    dong = "dong"
    nhis = "nhis"
    provider = "provider"
    other = "other"


class Participant(In):
    agency: Agency
    name: str = Field(min_length=1, max_length=60)


class ConferenceCreate(Versioned):
    case_id: int = Field(ge=1, le=MAX_ID)
    held_on: date
    participants: list[Participant] = Field(min_length=1, max_length=30)
    agenda: str = Field(min_length=1, max_length=4000)
    minutes: str = Field("", max_length=20000)
    approve_plan: int | None = Field(
        None, ge=1, le=MAX_ID, description="plan number approved, if any"
    )


class ConferenceUpdate(Versioned):
    minutes: str = Field(max_length=20000)


class PlanRead(Changed):
    id: int
    case_id: int
    number: int
    goals: list[str]
    services: list[dict[str, Any]]
    change_note: str
    approved: bool
    linkage: str
    views: str
    views_by: str
    views_on: date | None
    notified_on: date | None
    notice_to: str
    by: str
    at: datetime


class ConferenceRead(Changed, Stamped):
    id: int
    case_id: int
    held_on: date
    participants: list[dict[str, str]]
    agenda: str
    minutes: str
    plan_version_id: int | None
    decision: str
    by: str
    version: int


class PlanCompareRead(BaseModel):
    a: int
    b: int
    goals_added: list[str]
    goals_removed: list[str]
    services_added: list[dict[str, Any]]
    services_removed: list[dict[str, Any]]
