"""Easy Korean (쉬운 말) for the resident's window: verdicts, reasons and the audit in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gibon.benefits.view import ProgramView
from gibon.care import labels as care_labels

YES, NO, MORE = "yes", "no", "more"
HEADLINES = {YES: "받을 수 있어요", NO: "받을 수 없어요", MORE: "확인이 더 필요해요"}
SYSTEM_ACTOR = "gibon 시스템 (자동 처리)"
NO_PURPOSE = "목적이 적혀 있지 않아요"

# Who each program is for, in one plain sentence (shown when a household does not qualify).
FOR_WHOM: dict[str, str] = {
    "livelihood": "소득과 재산을 합친 금액이 기준보다 적은 가구",
    "medical_aid": "소득과 재산을 합친 금액이 기준보다 적은 가구",
    "housing_benefit": "소득과 재산을 합친 금액이 기준보다 적고 집세를 내거나 집을 고쳐야 하는 가구",
    "education_benefit": "초·중·고등학생이 있고 소득이 기준보다 적은 가구",
    "basic_pension": "65세 이상이고 소득과 재산이 기준보다 적은 분",
    "disability_pension": "18세 이상 중증 장애인이고 소득과 재산이 기준보다 적은 분",
    "child_allowance": "8세 아래 아이가 있는 가구",
    "parental_benefit": "두 살 아래 아이가 있는 가구",
    "first_meeting_voucher": "이번 달에 아이가 태어난 가구",
    "youth_rent_molit": "부모와 따로 사는 19~34세 청년으로 소득과 재산이 기준보다 적은 분",
    "youth_rent_seoul": "서울에서 월세로 혼자 사는 19~39세 청년으로 소득이 기준보다 적은 분",
    "youth_allowance_seoul": "서울에 사는 일하지 않는 19~34세 청년으로 소득이 기준보다 적은 분",
    "emergency_livelihood": "갑자기 생계가 어려워진 일(실직, 질병 등)이 생긴 가구",
    "ltc_home_care_limit": "노인장기요양 등급을 받은 분",
    "integrated_care_screening": "65세 이상으로 돌봄이 필요하거나 장애의 정도가 심한 분",
}
KIND_NOTE = {
    "in_kind": "돈이 아니라 병원비 등을 지원해요",
    "service_limit": "돈이 아니라 이만큼까지 서비스를 쓸 수 있어요",
    "flag": "돈이 아니라 통합돌봄 상담 대상이라는 뜻이에요",
    "voucher": "이용권(바우처)으로 받아요",
}


@dataclass(frozen=True)
class Entitlement:
    id: str
    name: str
    state: str  # yes / no / more
    headline: str
    amount_text: str  # "매달 258,167원", or a note for what is not cash
    reason: str  # why not, or what needs checking
    checks: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    amount: int = 0  # won a month when cash or a voucher, else 0


def entitlement(raw: dict[str, Any], v: ProgramView) -> Entitlement:
    state = MORE if v.pending else (YES if raw["eligible"] else NO)
    return Entitlement(
        id=v.id,
        name=v.name,
        state=state,
        headline=HEADLINES[state],
        amount_text=_amount(raw, v, state),
        reason=_reason(raw, v, state),
        checks=list(v.settle),
        references=list(v.references),
        amount=v.amount if raw["kind"] in ("cash", "voucher") else 0,
    )


def _amount(raw: dict[str, Any], v: ProgramView, state: str) -> str:
    if state == MORE:
        return v.amount_text.replace("판단 보류", "금액은 확인 뒤에 정해져요")
    if state == NO:
        return ""
    if raw["kind"] in ("cash", "voucher") and v.amount > 0:
        text = f"매달 {v.amount:,}원"
        return f"{text} · {KIND_NOTE['voucher']}" if raw["kind"] == "voucher" else text
    return KIND_NOTE.get(raw["kind"], "")


def _reason(raw: dict[str, Any], v: ProgramView, state: str) -> str:
    if state == MORE:
        return "아래 내용을 확인해야 받을 수 있는지 알 수 있어요"
    if state == YES:
        return ""
    over = _income_over_line(raw["explanation"])
    if over:
        return over
    whom = FOR_WHOM.get(v.id)
    return f"받을 수 있는 분: {whom}" if whom else "받을 수 있는 조건에 맞지 않아요"


def _income_over_line(steps: list[dict[str, Any]]) -> str:
    """'소득인정액 X원이 선정기준 Y원보다 많아요' when the explanation shows both and X > Y."""
    recognised = _last_int(steps, "소득인정액")
    line = _last_int(steps, "선정기준")
    if recognised is None or line is None or recognised <= line:
        return ""
    return f"소득과 재산을 합친 금액(소득인정액) {recognised:,}원이 기준 {line:,}원보다 많아요"


def _last_int(steps: list[dict[str, Any]], word: str) -> int | None:
    found = None
    for s in steps:
        value = s.get("value")
        if (
            str(s.get("label", "")).startswith(word)
            and isinstance(value, int)
            and not isinstance(value, bool)
        ):
            found = value
    return found


ACTIONS = {
    "read": "보았어요",
    "list": "목록에서 보았어요",
    "search": "찾아보았어요",
    "create": "새로 등록했어요",
    "update": "고쳤어요",
    "denied": "보려고 했지만 권한이 없어 막혔어요",
    "export": "파일로 내려받았어요",
}
RECORDS = {
    "person": "내 주민 정보를",
    "resident": "내 주민 정보를",
    "household": "우리 가구 정보를",
    "care_case": "내 통합돌봄 기록을",
    "care_consent": "내 동의 기록을",
}


def action_sentence(action: str, resource: str) -> str:
    return f"{RECORDS.get(resource, '내 기록을')} {ACTIONS.get(action, '다루었어요')}"


def purpose(raw: str | None) -> str:
    """The purpose an audit row gives, in words: care steps are recorded by their action name."""
    if not raw:
        return NO_PURPOSE
    step = care_labels.ACTION.get(raw)
    if step:
        return f"통합돌봄 업무: {step}"
    return raw if not raw.isascii() else "업무 처리 (자세한 목적은 설명을 요청해 주세요)"
