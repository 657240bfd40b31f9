"""Request and response shapes of the care API (kept apart from the ORM classes)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gibon.care import rules
from gibon.care.assessment import AssessmentData, NeedLevel, PreScreenItems
from gibon.care.rules import EndReason, ExOfficioGround, ExpertAgency, TargetGroup

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
    nhis = "nhis"  # before care_0003 only: the NHIS supports an application, it is no applicant
    ex_officio = "ex_officio"  # 직권 신청
    home_elderly_facility = "home_elderly_facility"  # 재가노인복지시설 (규칙 제7조①4나)
    disability_health_centre = "disability_health_centre"  # 지역장애인보건의료센터 (라목)


CHANNEL_LABELS = {
    Channel.self: "본인",
    Channel.family: "가족·친족",
    Channel.guardian: "후견인",
    Channel.hospital: "퇴원·퇴소를 통보하는 의료기관·시설",
    Channel.home_elderly_facility: "재가노인복지시설",
    Channel.ltc_facility: "장기요양기관 (재가·시설급여)",
    Channel.disability_health_centre: "지역장애인보건의료센터",
    Channel.disability_centre: "장애인복지관",
    Channel.ex_officio: "직권 신청",
    Channel.nhis: "국민건강보험공단 지사 (이전 기록)",
}
# 규칙 제7조①: who may apply (the NHIS only supports an application, 규칙 제7조③).
NEW_CHANNELS = {k.value: v for k, v in CHANNEL_LABELS.items() if k is not Channel.nhis}


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
    target_group: TargetGroup | None = Field(
        None, description="영 제2조제1항 대상자 구분 (65세 이상이면 생략 가능)"
    )
    ex_officio_ground: ExOfficioGround | None = Field(
        None, description="직권신청 사유 (영 제4조), 직권 신청이면 필수"
    )

    @model_validator(mode="after")
    def consent_and_ground(self) -> CaseCreate:
        if self.channel is Channel.nhis:
            raise ValueError(
                "국민건강보험공단은 신청인이 아니라 신청을 지원하는 경로입니다 (규칙 제7조제3항). "
                "신청한 사람(본인, 가족, 후견인 등)을 고르세요"
            )
        if self.channel is Channel.ex_officio and self.ex_officio_ground is None:
            raise ValueError(
                "직권 신청은 영 제4조의 직권신청 사유를 골라야 합니다 (예: 의료기관 퇴원 직후)"
            )
        if (
            self.channel is not Channel.ex_officio
            and ConsentPurpose.assessment not in self.consents
        ):
            raise ValueError("신청에는 조사·판정을 위한 정보 수집·이용 동의가 필요합니다")
        return self


class CaseIntake(Versioned):
    """Put right what intake did not record: the 대상자 구분 and the 직권신청 사유."""

    target_group: TargetGroup | None = None
    ex_officio_ground: ExOfficioGround | None = None


class ScreeningCreate(Versioned):
    items: PreScreenItems
    note: str = Field("", max_length=2000)


class AssessmentKind(StrEnum):
    district_survey = "district_survey"
    full = "full"


class AssessmentCreate(Versioned):
    data: AssessmentData
    agency: ExpertAgency = Field(
        description="조사 일부를 맡은 전문기관 (영 제5조제2항, 규칙 제14조)"
    )
    agency_part: str = Field(
        min_length=2, max_length=2000, examples=["장기요양 인정조사 결과(ADL) 제공"]
    )


class NoticeMethod(StrEnum):
    in_person = "in_person"
    post = "post"
    phone = "phone"
    message = "message"


NOTICE_LABELS = {
    NoticeMethod.in_person: "대면 안내",
    NoticeMethod.post: "우편",
    NoticeMethod.phone: "전화",
    NoticeMethod.message: "문자·전자 안내",
}
# 규칙 제10조①: the state is checked at most every 6 months, so a 재평가 is never set further.
MAX_REASSESS_MONTHS = 6


class DecisionCreate(Versioned):
    medical_need: NeedLevel = Field(description="의료적 지원 필요도 (법 제12조①, 영 제5조①)")
    care_need: NeedLevel = Field(description="일상생활 요양·돌봄 필요도 (법 제12조①, 영 제5조①)")
    reasons: str = Field(min_length=5, max_length=4000, examples=["K-ADL 12점, 독거, 낙상 2회"])
    reassess_in_months: int = Field(6, ge=1, le=MAX_REASSESS_MONTHS)
    notified_on: date | None = Field(None, description="판정 결과를 안내한 날 (법 제12조①)")
    notice_method: NoticeMethod | None = None
    confirm_close: bool = Field(
        False, description="두 필요도가 모두 '지원 불필요'면 사례가 종결됨을 확인"
    )


class DecisionNotice(Versioned):
    notified_on: date
    notice_method: NoticeMethod


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


# Closure reasons: only those of 규칙 제11조 for a new closure; older values are labels only.
CLOSE_CHOICES = {k.value: label for k, (label, _b) in rules.END_REASONS.items()}
CLOSE_LABELS = {**CLOSE_CHOICES, **rules.LEGACY_CLOSE_LABELS}


class Settle(In):
    """What closing does with one open referral or follow-up: end it, or carry it over."""

    kind: Literal["referral", "followup"]
    id: int = Field(ge=1, le=MAX_ID)
    how: Literal["end", "carry"]


class CaseClose(Versioned):
    reason: str = Field(max_length=24, examples=["admitted"])
    note: str = Field("", max_length=2000)
    explicit_refusal: bool = Field(
        False, description="거부 의사를 명시적으로 표시했음 (규칙 제11조제4호)"
    )
    settle: list[Settle] = Field(default_factory=list, max_length=200)

    @field_validator("reason")
    @classmethod
    def lawful_reason(cls, value: str) -> str:
        if value not in CLOSE_CHOICES:
            allowed = ", ".join(CLOSE_CHOICES.values())
            raise ValueError(
                f"규칙 제11조의 종료 사유가 아닙니다 ({CLOSE_LABELS.get(value, value)}). "
                f"가능한 사유: {allowed}"
            )
        return value

    @property
    def end_reason(self) -> EndReason:
        return EndReason(self.reason)


class CaseReopen(Versioned):
    reason: str = Field(min_length=5, max_length=2000, examples=["사망 신고가 잘못 접수되어 정정"])


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
    target_group: str | None = None
    ex_officio_ground: str | None = None
    review_flag: str | None = None
    version: int


class Page(BaseModel):
    total: int
    items: list[CaseRead]


class DischargeNoticeCreate(In):
    """법 제11조, 규칙 제8조②: who is leaving which institution, when, and with whose consent."""

    person_id: str = Field(min_length=1, max_length=16, examples=["P0000001"])
    institution_kind: rules.InstitutionKind
    institution_name: str = Field(min_length=1, max_length=100, examples=["서울대학교병원"])
    leaving_on: date
    consent_by: str = Field(
        min_length=1, max_length=40, examples=["본인"], description="the institution obtained it"
    )
    contact: str = Field("", max_length=40, examples=["02-870-0000 퇴원지원팀"])


class InfoRequestCreate(In):
    """법 제23조③, 규칙 제13조①: information asked of (to) or by (from) another body."""

    direction: Literal["to", "from"]
    counterpart: str = Field(min_length=1, max_length=100, examples=["국민건강보험공단 관악지사"])
    items: list[rules.InfoItem] = Field(min_length=1, max_length=6)
    purpose: str = Field(min_length=2, max_length=2000, examples=["지원계획 변경을 위한 상태 확인"])
    requested_on: date
    answered_on: date | None = None


class DocumentCheckCreate(In):
    """규칙 제7조⑤: a document checked via 행정정보 공동이용, or submitted when not agreed."""

    document: rules.Document
    via: Literal["shared", "submitted"]
    checked_on: date


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


# ---- Response shapes: what every care endpoint answers (checked by FastAPI and the fuzzer) ----


class Out(BaseModel):
    """A stored row as the API shows it (``version_id`` is shown as ``version``)."""

    model_config = ConfigDict(from_attributes=True)


class Stamped(Out):
    created_at: datetime
    modified_at: datetime | None = None


class Changed(Out):
    case_version: int | None = Field(
        None, description="the case's version after this change (send it with the next step)"
    )


class EventRead(Out):
    id: int
    case_id: int
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str
    step_days: float | None
    detail: str


class ConsentRead(Changed):
    id: int
    case_id: int
    purpose: str
    given_by: str
    given_at: datetime
    withdrawn_at: datetime | None
    recorded_by: str


class ScreeningRead(Changed):
    id: int
    case_id: int
    items: dict[str, Any]
    score: int
    outcome: str
    note: str
    by: str
    at: datetime


class AssessmentRead(Changed):
    id: int
    case_id: int
    kind: str
    data: dict[str, Any]
    scores: dict[str, Any]
    agency: str | None
    agency_part: str
    by: str
    at: datetime


class DecisionRead(Changed):
    id: int
    case_id: int
    level: str
    medical_need: str | None
    care_need: str | None
    legacy: bool
    notified_on: date | None
    notice_method: str
    suggested_level: str
    reasons: str
    reassess_on: date
    by: str
    at: datetime


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


class DischargeNoticeRead(Out):
    id: int
    person_id: str
    dong: str
    institution_kind: str
    institution_name: str
    leaving_on: date
    consent_by: str
    contact: str
    case_id: int | None
    by: str
    at: datetime


class InfoRequestRead(Out):
    id: int
    case_id: int
    direction: str
    counterpart: str
    items: list[str]
    purpose: str
    requested_on: date
    answered_on: date | None
    by: str
    at: datetime


class DocumentCheckRead(Out):
    id: int
    case_id: int
    document: str
    via: str
    checked_on: date
    by: str
    at: datetime


class CaseDetailRead(BaseModel):
    """The whole case: the case and every step of its path, oldest first."""

    case: CaseRead
    events: list[EventRead]
    consents: list[ConsentRead]
    screenings: list[ScreeningRead]
    assessments: list[AssessmentRead]
    decisions: list[DecisionRead]
    plans: list[PlanRead]
    conferences: list[ConferenceRead]
    referrals: list[ReferralRead]
    followups: list[FollowUpRead]


class OpenReferral(BaseModel):
    id: int
    provider: str
    status: str


class OpenFollowUp(BaseModel):
    id: int
    kind: str
    due_on: date


class ClosingItemsRead(BaseModel):
    """What closing must settle: the case's open referrals and scheduled 점검."""

    referrals: list[OpenReferral]
    followups: list[OpenFollowUp]


class PlanCompareRead(BaseModel):
    a: int
    b: int
    goals_added: list[str]
    goals_removed: list[str]
    services_added: list[dict[str, Any]]
    services_removed: list[dict[str, Any]]


class CareStatsRead(BaseModel):
    """District aggregates (no person appears)."""

    by_status: dict[str, int]
    open_by_dong: dict[str, int]
    overdue_by_status: dict[str, int]
    overdue_by_dong: dict[str, int]
    median_days: dict[str, float]
    services_by_type: dict[str, int]
    total: int
