"""Schemas of the case itself: intake, consent, closing, the queue and the whole case."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from gibon.care import rules
from gibon.care._schema_base import MAX_ID, Changed, In, Out, Versioned
from gibon.care.assessments.schemas import AssessmentRead, DecisionRead, ScreeningRead
from gibon.care.plans.schemas import ConferenceRead, PlanRead
from gibon.care.referrals.schemas import FollowUpRead, ReferralRead
from gibon.care.rules import EndReason, ExOfficioGround, TargetGroup


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


class CareStatsRead(BaseModel):
    """District aggregates (no person appears)."""

    by_status: dict[str, int]
    open_by_dong: dict[str, int]
    overdue_by_status: dict[str, int]
    overdue_by_dong: dict[str, int]
    median_days: dict[str, float]
    services_by_type: dict[str, int]
    total: int
