"""Korean labels for the benefit codes people see (pages, exports, the CLI), in one place."""

from __future__ import annotations

from typing import Any

from gibon.kit import problems

KIND: dict[str, str] = {
    "cash": "현금",
    "voucher": "바우처",
    "in_kind": "현물",
    "service_limit": "이용 한도",
    "flag": "대상 선별",
}
TENURE: dict[str, str] = {
    "owner": "자가",
    "jeonse": "전세",
    "monthly_rent": "월세",
    "public_rental": "공공임대",
    "free": "무상",
}
RELATION: dict[str, str] = {
    "head": "가구주",
    "spouse": "배우자",
    "child": "자녀",
    "parent": "부모",
    "other": "기타",
}
SEX: dict[str, str] = {"F": "여", "M": "남"}
DISABILITY: dict[str, str] = {"none": "없음", "mild": "경증", "severe": "중증"}
LTC_GRADE: dict[str, str] = {
    "": "없음",
    "1": "1등급",
    "2": "2등급",
    "3": "3등급",
    "4": "4등급",
    "5": "5등급",
    "cognitive": "인지지원",
}
MEMBER_FIELDS: dict[str, str] = {
    "relation": "관계",
    "birth_date": "생년월일",
    "sex": "성별",
    "disability": "장애",
    "earned_income": "근로소득",
    "business_income": "사업소득",
    "pension_income": "공적연금",
    "property_income": "재산소득",
    "other_income": "기타소득",
    "pension_a_benefit": "국민연금 A값 급여",
    "ltc_grade": "장기요양 등급",
    "student": "학생",
    "pregnant": "임신",
    "employed": "취업 여부",
    "assets.housing": "부동산",
    "assets.deposits": "임차보증금",
    "assets.financial": "금융재산",
    "assets.car": "자동차",
    "assets.debt": "부채",
}
FIELDS: dict[str, str] = {
    "month": "급여 월",
    "dong": "행정동",
    "housing": "주거",
    "housing.tenure": "주거 형태",
    "housing.deposit": "보증금",
    "housing.monthly_rent": "월세",
    "members": "가구원",
    "crisis": "위기사유",
    **{f"members.*.{k}": f"구성원 {{n}}의 {v}" for k, v in MEMBER_FIELDS.items()},
}
FIELD_FALLBACK = "입력"
problems.register(FIELDS)


def value_text(value: Any) -> str:
    """An explanation value in words: 예/아니오, amounts with commas, lists joined, no reprs."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v) for v in value) or "—"
    return str(value)


def by_member(value: Any) -> list[tuple[str, str]]:
    """A per-person value ``{person id: v}`` as ("구성원 1", text) rows, in household order."""
    if not isinstance(value, dict):
        return [("", value_text(value))]
    return [(f"구성원 {i}", value_text(v)) for i, v in enumerate(value.values(), start=1)]


def range_text(value: Any) -> str:
    """``[low, high]`` (or ``{person: [low, high]}``) as "low ~ high"."""
    if isinstance(value, dict):
        return " · ".join(
            f"구성원 {i} {range_text(v)}" for i, v in enumerate(value.values(), start=1)
        )
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return f"{value_text(value[0])} ~ {value_text(value[1])}"
    return value_text(value)
