"""The pre-screen and the integrated assessment as validated data, with their scoring (pure).

The sorting and level-suggestion thresholds are gibon's operational defaults, not figures from the
Act: the 시행규칙 leaves the instrument to the Minister's notice (see docs/care.md). They only
*suggest*; the officer decides and writes the reasons.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PreScreenItems(Strict):
    """Short ADL pre-screen (사전 확인): does the person need help with ...?"""

    bathing: bool = Field(False, description="목욕에 도움 필요")
    dressing: bool = Field(False, description="옷 입기에 도움 필요")
    toileting: bool = Field(False, description="화장실 사용에 도움 필요")
    transfer: bool = Field(False, description="일어나 옮겨 앉기에 도움 필요")
    eating: bool = Field(False, description="식사에 도움 필요")
    going_out: bool = Field(False, description="혼자 외출이 어려움")
    recent_discharge: bool = Field(False, description="최근 3개월 내 퇴원")
    lives_alone: bool = Field(False, description="혼자 거주")
    memory_concern: bool = Field(False, description="기억력 저하 의심")


class ScreenOutcome(StrEnum):
    not_eligible = "not_eligible"  # stored before care_0003 only: a pre-screen never closes a case
    district_survey = "district_survey"
    full = "full"


SCREEN_LABELS = {
    ScreenOutcome.not_eligible: "비대상",
    ScreenOutcome.district_survey: "구 자체 조사",
    ScreenOutcome.full: "통합판정조사",
}

_ADL_ITEMS = ("bathing", "dressing", "toileting", "transfer", "eating", "going_out")


def screen(items: PreScreenItems) -> tuple[int, ScreenOutcome]:
    """(score, survey form): ADL difficulties count 2, risk flags 1.

    Only the form of the survey is chosen here. The law knows no step that ends a case before
    the 종합판정 (법 제12조①), so even a score of 0 goes on to a survey and a 판정.
    """
    adl = sum(getattr(items, k) for k in _ADL_ITEMS)
    flags = items.recent_discharge + items.lives_alone + items.memory_concern
    score = 2 * adl + flags
    if adl >= 2 or (adl >= 1 and flags >= 2):
        return score, ScreenOutcome.full
    return score, ScreenOutcome.district_survey


def _level(description: str) -> int:
    """One K-ADL/K-IADL item: 1 independent, 2 partly helped, 3 fully helped."""
    return Field(1, ge=1, le=3, description=description)


class KADL(Strict):
    dressing: int = _level("옷 입기")
    washing: int = _level("세수하기")
    bathing: int = _level("목욕하기")
    eating: int = _level("식사하기")
    transfer: int = _level("이동")
    toileting: int = _level("화장실 사용")
    continence: int = _level("대소변 조절")


class KIADL(Strict):
    grooming: int = _level("몸단장")
    housework: int = _level("집안일")
    meal_preparation: int = _level("식사 준비")
    laundry: int = _level("빨래")
    going_out: int = _level("근거리 외출")
    transport: int = _level("교통수단 이용")
    shopping: int = _level("물건 사기")
    money: int = _level("금전 관리")
    telephone: int = _level("전화 사용")
    medication: int = _level("약 챙겨 먹기")


class Cognition(Strict):
    mmse_k: int | None = Field(None, ge=0, le=30, description="MMSE-K 점수 (0–30)")
    dementia_diagnosis: bool = False


class Nutrition(Strict):
    mna_sf: int = Field(14, ge=0, le=14, description="MNA-SF 점수 (0–14)")
    weight_loss: bool = False


class Falls(Strict):
    falls_past_year: int = Field(0, ge=0, le=100)
    fear_of_falling: bool = False


class Medical(Strict):
    conditions: list[str] = Field(default_factory=list, max_length=30)
    medications: int = Field(0, ge=0, le=60, description="복용 약 가짓수")
    admissions_past_year: int = Field(0, ge=0, le=100)
    er_visits_past_year: int = Field(0, ge=0, le=100)


class Housing(Strict):
    stairs: bool = False
    semi_basement: bool = False
    heating_ok: bool = True
    hazards: list[str] = Field(default_factory=list, max_length=20)


class Caregiver(StrEnum):
    none = "none"
    family = "family"
    paid = "paid"
    other = "other"


class Social(Strict):
    lives_alone: bool = False
    contacts_per_week: int = Field(3, ge=0, le=100)
    caregiver: Caregiver = Caregiver.none
    caregiver_strain: bool = False


class Income(Strict):
    monthly_income_won: int = Field(0, ge=0, le=1_000_000_000)
    basic_livelihood: bool = False
    benefits: list[str] = Field(default_factory=list, max_length=20)


class Needs(Strict):
    """법 제10조③4: the person's own needs and wishes (욕구), in their words."""

    wishes: str = Field(
        min_length=2, max_length=2000, description="본인이 바라는 지원 (본인의 말로)"
    )
    priorities: list[str] = Field(default_factory=list, max_length=10)


class AssessmentData(Strict):
    """통합판정조사 영역별 결과."""

    needs: Needs

    adl: KADL = Field(default_factory=KADL)
    iadl: KIADL = Field(default_factory=KIADL)
    cognition: Cognition = Field(default_factory=Cognition)
    nutrition: Nutrition = Field(default_factory=Nutrition)
    falls: Falls = Field(default_factory=Falls)
    medical: Medical = Field(default_factory=Medical)
    housing: Housing = Field(default_factory=Housing)
    social: Social = Field(default_factory=Social)
    income: Income = Field(default_factory=Income)


class NeedLevel(StrEnum):
    none = "none"
    low = "low"
    moderate = "moderate"
    high = "high"


LEVEL_LABELS = {
    NeedLevel.none: "지원 불필요",
    NeedLevel.low: "경도",
    NeedLevel.moderate: "중등도",
    NeedLevel.high: "고도",
}


def scores(data: AssessmentData) -> dict[str, int | str | list[str]]:
    adl = sum(data.adl.model_dump().values())
    iadl = sum(data.iadl.model_dump().values())
    flags = _risk_flags(data)
    care = _suggest(adl, iadl, data, flags)
    medical = _suggest_medical(data)
    return {
        "adl_total": adl,
        "iadl_total": iadl,
        "risks": flags,
        "suggested_medical": medical,
        "suggested_care": care,
        "suggested": higher(medical, care),
    }


_ORDER = [NeedLevel.none.value, NeedLevel.low.value, NeedLevel.moderate.value, NeedLevel.high.value]


def higher(a: str, b: str) -> str:
    return a if _ORDER.index(a) >= _ORDER.index(b) else b


def _suggest_medical(d: AssessmentData) -> str:
    """영 제5조①2 (의료서비스의 필요성): admissions, medicines, conditions, cognition."""
    acute = d.medical.admissions_past_year + d.medical.er_visits_past_year
    if acute >= 3 or (d.cognition.mmse_k is not None and d.cognition.mmse_k < 18):
        return NeedLevel.high.value
    if acute >= 2 or d.medical.medications >= 5 or len(d.medical.conditions) >= 3:
        return NeedLevel.moderate.value
    if d.medical.conditions or d.medical.medications or d.nutrition.mna_sf < 12:
        return NeedLevel.low.value
    return NeedLevel.none.value


def _risk_flags(d: AssessmentData) -> list[str]:
    checks = {
        "인지 저하": d.cognition.dementia_diagnosis or (d.cognition.mmse_k or 30) < 24,
        "영양 위험": d.nutrition.mna_sf < 12 or d.nutrition.weight_loss,
        "낙상 위험": d.falls.falls_past_year > 0 or d.falls.fear_of_falling,
        "다제 복용": d.medical.medications >= 5,
        "잦은 입원": d.medical.admissions_past_year + d.medical.er_visits_past_year >= 2,
        "주거 위험": d.housing.semi_basement or not d.housing.heating_ok or bool(d.housing.hazards),
        "사회적 고립": d.social.lives_alone and d.social.contacts_per_week < 1,
        "돌봄 부담": d.social.caregiver_strain or d.social.caregiver is Caregiver.none,
        "경제적 어려움": d.income.basic_livelihood,
    }
    return [name for name, hit in checks.items() if hit]


def _suggest(adl: int, iadl: int, d: AssessmentData, flags: list[str]) -> str:
    if adl >= 14 or (d.cognition.mmse_k is not None and d.cognition.mmse_k < 18):
        return NeedLevel.high.value
    if adl >= 10 or iadl >= 20 or len(flags) >= 4:
        return NeedLevel.moderate.value
    if adl > 7 or iadl > 10 or flags:
        return NeedLevel.low.value
    return NeedLevel.none.value
