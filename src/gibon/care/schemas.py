"""Request and response shapes of the care API (kept apart from the ORM classes)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, model_validator

from gibon.care.assessment import AssessmentData, NeedLevel, PreScreenItems

MAX_ID = 2_147_483_647  # 32-bit INTEGER columns on both databases


Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Channel(StrEnum):
    self = "self"  # 본인
    family = "family"  # 가족·친족
    guardian = "guardian"  # 후견인
    hospital = "hospital"  # 퇴원 예정 병원 (본인 동의)
    ltc_facility = "ltc_facility"  # 재가 장기요양기관 (본인 동의)
    disability_centre = "disability_centre"  # 장애인복지관 (본인 동의)
    nhis = "nhis"  # 국민건강보험공단 지사 접수
    ex_officio = "ex_officio"  # 직권 신청


CHANNEL_LABELS = {
    Channel.self: "본인",
    Channel.family: "가족·친족",
    Channel.guardian: "후견인",
    Channel.hospital: "퇴원 예정 병원",
    Channel.ltc_facility: "재가 장기요양기관",
    Channel.disability_centre: "장애인복지관",
    Channel.nhis: "국민건강보험공단 지사",
    Channel.ex_officio: "직권 신청",
}


class ConsentPurpose(StrEnum):
    assessment = "assessment"  # 조사·판정을 위한 정보 수집·이용
    sharing = "sharing"  # 관계 기관 간 정보 공유
    referral = "referral"  # 서비스 제공기관에 정보 제공


CONSENT_LABELS = {
    ConsentPurpose.assessment: "조사·판정을 위한 정보 수집·이용",
    ConsentPurpose.sharing: "관계 기관 간 정보 공유",
    ConsentPurpose.referral: "서비스 제공기관에 정보 제공",
}


class Versioned(In):
    version: int = Field(
        ge=1, le=MAX_ID, description="the version you last read (optimistic locking)"
    )


class CaseCreate(In):
    person_id: str = Field(min_length=1, max_length=16, examples=["P0000001"])
    channel: Channel
    applicant_name: str = Field(min_length=1, max_length=40, examples=["김영희"])
    applicant_relation: str = Field(min_length=1, max_length=24, examples=["본인"])
    consents: list[ConsentPurpose] = Field(default_factory=list, max_length=3)
    officer_id: int | None = Field(None, ge=1, le=MAX_ID)

    @model_validator(mode="after")
    def consent_unless_ex_officio(self) -> CaseCreate:
        if (
            self.channel is not Channel.ex_officio
            and ConsentPurpose.assessment not in self.consents
        ):
            raise ValueError("직권 신청이 아니면 조사·판정 동의(assessment)가 필요합니다")
        return self


class ScreeningCreate(Versioned):
    items: PreScreenItems
    note: str = Field("", max_length=2000)


class AssessmentKind(StrEnum):
    district_survey = "district_survey"
    full = "full"


class AssessmentCreate(Versioned):
    data: AssessmentData


class DecisionCreate(Versioned):
    level: NeedLevel
    reasons: str = Field(min_length=5, max_length=4000, examples=["K-ADL 12점, 독거, 낙상 2회"])
    reassess_in_months: int = Field(6, ge=1, le=24)


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
    provider_id: int | None = Field(None, ge=1, le=MAX_ID)
    frequency: str = Field(min_length=1, max_length=60, examples=["주 2회"])
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


class CloseReason(StrEnum):
    goals_met = "goals_met"
    moved = "moved"
    facility = "facility"
    death = "death"
    refused = "refused"
    not_eligible = "not_eligible"


CLOSE_LABELS = {
    CloseReason.goals_met: "목표 달성",
    CloseReason.moved: "전출",
    CloseReason.facility: "시설 입소",
    CloseReason.death: "사망",
    CloseReason.refused: "서비스 거부",
    CloseReason.not_eligible: "비대상",
}


class CaseClose(Versioned):
    reason: CloseReason
    note: str = Field("", max_length=2000)


class ConsentChange(Versioned):
    purpose: ConsentPurpose
    given_by: str = Field("본인", min_length=1, max_length=40)


class CaseRead(BaseModel):
    id: int
    person_id: str
    name: str
    rrn_masked: str
    dong: str
    channel: str
    applicant_name: str
    applicant_relation: str
    status: str
    status_label: str
    officer_id: int | None
    opened_on: date
    status_since: datetime
    due_on: date | None
    overdue: bool
    need_level: str | None
    close_reason: str | None
    version: int


class Page(BaseModel):
    total: int
    items: list[Any]


class CaseSearch(BaseModel):
    """The work queue searched by name or resident number: sent in a body, never in a URL."""

    q: str = Field(min_length=1, max_length=40, examples=["김영숙", "580302-2345678"])
    dong: str | None = Field(None, max_length=20, examples=["신림동"])
    mine: bool = False
    officer_id: int | None = Field(None, ge=1, le=2_147_483_647)
    status: (
        Literal[
            "open",
            "applied",
            "screened",
            "assessed",
            "decided",
            "planned",
            "approved",
            "in_service",
            "closed",
        ]
        | None
    ) = None
    due: Literal["overdue", "due"] | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)
