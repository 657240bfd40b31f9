"""Reforms without YAML: the two common reforms as a form, written out as the same reform YAML.

A planner either changes one benefit parameter from a date, or adds a flat monthly benefit for
an age band, a household type and (optionally) one dong, with an optional income limit. The form
produces the YAML a planner could have written by hand (downloadable), and that YAML goes
through the same parser and checks (``reform.parse_text``) as an uploaded file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from gibon import benefits
from gibon.benefits import labels as benefit_labels
from gibon.errors import InvalidInput
from gibon.kit import gwanak, korean
from gibon.simulator import reform

# Household types a flat benefit can target: label and the rule-language condition.
HOUSEHOLD_TYPES: dict[str, tuple[str, str]] = {
    "any": ("모든 가구", ""),
    "living_alone": ("1인 가구", "living_alone"),
    "elderly_only": ("노인만 사는 가구 (모두 65세 이상)", "hh_min(age) >= 65"),
    "with_children": ("18세 미만 자녀가 있는 가구", "hh_min(age) < 18"),
    "monthly_rent": ("월세 가구", "tenure_monthly_rent"),
    "jeonse": ("전세 가구", "tenure_jeonse"),
    "public_rental": ("공공임대 가구", "tenure_public_rental"),
    "large": ("5인 이상 가구", "size >= 5"),
}
KINDS = {k: v for k, v in benefit_labels.KIND.items() if k in ("cash", "voucher")}


@dataclass(frozen=True)
class Choice:
    """A parameter a planner may change, as the form lists it."""

    name: str
    label: str
    unit: str
    current: str


def parameter_choices(month: dt.date) -> list[Choice]:
    """Every benefit parameter with its description and the value in force in ``month``.

    Leaves of one table share their parent's description; each is told apart by what its own key
    means (``QUALIFIERS_KO``), so no parameter is shown by its internal name.
    """
    tree = benefits.default_system().parameters
    rows: list[tuple[str, str, str, str]] = []
    for name, leaf in sorted(tree.leaves.items()):
        values = [v for v in leaf.values if v.start <= month]
        current = values[-1].value if values else None
        if current is None or isinstance(current, bool):
            continue
        shown = f"{current:,}" if isinstance(current, int) else f"{current:g}"
        rows.append((name, _label(leaf.description) or name, _unit(leaf.unit), shown))
    seen = Counter(label for _, label, _, _ in rows)
    return [
        Choice(name, f"{label} · {_qualifier(name)}" if seen[label] > 1 else label, unit, shown)
        for name, label, unit, shown in rows
    ]


QUALIFIERS_KO = {
    "above_near_poor": "차상위 초과",
    "age_max_inclusive": "상한 연령(포함)",
    "age_min": "하한 연령",
    "car_cap_exclusive": "자동차 가액 상한(미만)",
    "cognitive_support": "인지지원등급",
    "copay_rate_facility": "시설급여 본인부담률",
    "deposit_cap": "보증금 상한",
    "earned_income_additional_deduction_rate": "근로소득 추가 공제율",
    "education": "교육급여",
    "elderly_age": "노인 연령",
    "elementary": "초등학생",
    "financial_asset_cap": "금융재산 상한",
    "financial_asset_deduction": "금융재산 공제",
    "first_child": "첫째",
    "general_asset_cap": "일반재산 상한",
    "gyeonggi": "경기",
    "high": "고등학생",
    "housing": "주거급여",
    "income_rate": "소득 기준 비율",
    "increment_per_person_8plus": "8인 이상 1인당 가산",
    "light": "경보수",
    "livelihood": "생계급여",
    "livelihood_medical_recipient": "생계·의료급여 수급자",
    "major": "대보수",
    "max_exclusive": "상한(미만)",
    "max_months": "최대 개월 수",
    "median_income_rate": "중위소득 비율",
    "median_income_rate_min_exclusive": "중위소득 비율 하한(초과)",
    "medical": "의료급여",
    "medium": "중보수",
    "metro": "대도시",
    "metro_sejong_changwon": "광역시·세종·창원",
    "middle": "중학생",
    "min": "하한",
    "monthly_amount": "월 금액",
    "near_poor": "차상위",
    "origin_household_asset_cap": "원가구 재산 상한",
    "other": "그 밖의 지역",
    "rent_cap": "월세 상한",
    "rural": "농어촌",
    "second_plus": "둘째 이상",
    "selection_threshold_couple": "부부 가구 선정기준액",
    "selection_threshold_single": "단독 가구 선정기준액",
    "seoul": "서울",
    "small_city": "중소도시",
    "youth_household_asset_cap": "청년 가구 재산 상한",
}


def _qualifier(name: str) -> str:
    """What a parameter's own key means, in Korean: ``…grade2`` is 2등급, ``….4`` is 4인 가구."""
    key = name.rsplit(".", 1)[-1]
    if key.isdigit():
        return f"{key}인 가구"
    if key.startswith("grade") and key[5:].isdigit():
        return f"{key[5:]}등급"
    return QUALIFIERS_KO.get(key, "세부 항목")


def _label(description: str) -> str:
    """The Korean head of a parameter's description (its English notes are for developers)."""
    head = re.split(r"\. |; |, so ", description or "")[0]
    head = re.sub(r"\s*\((?=[^()]*[A-Za-z]{3})[^()가-힣]*\)", "", head)
    return head.strip()[:90]


def _unit(unit: str) -> str:
    return {"currency-KRW": "원", "/1": "비율", "year": "년", "month": "개월", "count": "개"}.get(
        unit, ""
    )


def _text(form: Mapping[str, str], key: str, label: str, limit: int = 120) -> str:
    value = (form.get(key) or "").strip()
    if not value:
        raise InvalidInput(f"{korean.eul(label)} 적어 주세요", where=key)
    if len(value) > limit:
        raise InvalidInput(f"{label}: {limit}자까지 적을 수 있습니다", where=key)
    return value


def _number(form: Mapping[str, str], key: str, label: str, example: str) -> float:
    raw = (form.get(key) or "").replace(",", "").strip()
    try:
        return float(raw)
    except ValueError:
        raise InvalidInput(f"{label}: 숫자로 적어 주세요", where=key, example=example) from None


def _whole(form: Mapping[str, str], key: str, label: str, low: int, high: int) -> int | None:
    raw = (form.get(key) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidInput(
            f"{label}: {low}에서 {high} 사이의 정수로 적어 주세요", where=key, example=str(low)
        )
    return int(raw)


def _date(form: Mapping[str, str], key: str) -> str:
    raw = (form.get(key) or "").strip()
    try:
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        raise InvalidInput(
            "시행일: 날짜를 YYYY-MM-DD 형식으로 적어 주세요", where=key, example="2026-07-01"
        ) from None


def parameter_change(form: Mapping[str, str]) -> dict[str, Any]:
    """``name``, ``parameter``, ``start``, ``value`` -> a reform with one dated override."""
    name = (form.get("parameter") or "").strip()
    choices = {c.name: c for c in parameter_choices(dt.date(2100, 1, 1))}
    if name not in choices:
        raise InvalidInput("바꿀 매개변수를 목록에서 골라 주세요", where="parameter")
    start = _date(form, "start")
    value = _number(form, "value", "새 값", "0.35")
    number: int | float = int(value) if value.is_integer() and choices[name].unit == "원" else value
    title = (form.get("name") or "").strip() or f"{choices[name].label} 변경 ({start}부터)"
    return {
        "name": title[:120],
        "description": f"{choices[name].label}: {choices[name].current} → {number:g} ({start}부터)",
        "references": [f"양식으로 만든 개혁안 — 매개변수 {name}"],
        "overrides": {name: {start: number}},
    }


def flat_benefit(form: Mapping[str, str]) -> dict[str, Any]:
    """A flat monthly amount for an age band, a household type, a dong and an income limit."""
    title = _text(form, "name", "급여 이름")
    amount = _whole(form, "amount", "월 금액", 1, 10_000_000)
    if amount is None:
        raise InvalidInput("월 금액을 적어 주세요", where="amount", example="100000")
    low = _whole(form, "age_min", "나이 (부터)", 0, 120)
    high = _whole(form, "age_max", "나이 (까지)", 0, 120)
    if low is not None and high is not None and low > high:
        raise InvalidInput("나이: 시작이 끝보다 클 수 없습니다", where="age_min", example="19")
    kind = form.get("household") or "any"
    if kind not in HOUSEHOLD_TYPES:
        raise InvalidInput("가구 유형을 목록에서 골라 주세요", where="household")
    dong = (form.get("dong") or "").strip()
    if dong and dong not in gwanak.dong_names():
        raise InvalidInput("행정동을 목록에서 골라 주세요", where="dong", example="신림동")
    income = _whole(form, "income_limit", "소득 기준 (기준 중위소득 %)", 1, 300)
    benefit = form.get("kind") or "cash"
    if benefit not in KINDS:
        raise InvalidInput("종류를 목록에서 골라 주세요 (현금 또는 바우처)", where="kind")
    take_up = _whole(form, "take_up", "예상 신청률 (%)", 1, 100) or 80
    per_person = low is not None or high is not None
    conditions = [
        f"age >= {low}" if low is not None else "",
        f"age <= {high}" if high is not None else "",
        HOUSEHOLD_TYPES[kind][1],
        f"dong_code == {gwanak.dong_names().index(dong) + 1}" if dong else "",
        f"gross_income <= median_income_hh * {income} / 100" if income else "",
    ]
    eligible = " and ".join(c for c in conditions if c) or "size >= 1"
    ident = "form_" + re.sub(r"[^a-z0-9]+", "_", f"{kind}_{low}_{high}_{amount}").strip("_")
    who = _who(low, high, kind, dong, income)
    program = {
        "id": ident[:60],
        "name_ko": title,
        "entity": "person" if per_person else "household",
        "references": ["양식으로 만든 개혁안 (가상의 정책)"],
        "eligible": eligible,
        "amount": str(amount),
        "explain": [v for v in ("age", "living_alone", "size", "gross_income") if v in eligible]
        or ["size"],
        "take_up": round(take_up / 100, 2),
        "kind": benefit,
    }
    return {
        "name": title,
        "description": f"{who}에게 월 {amount:,}원 ({KINDS[benefit]})",
        "references": ["양식으로 만든 개혁안 (가상의 정책)"],
        "programs": [program],
    }


def _who(low: int | None, high: int | None, kind: str, dong: str, income: int | None) -> str:
    parts = [f"{dong} " if dong else "관악구 ", HOUSEHOLD_TYPES[kind][0]]
    if low is not None or high is not None:
        parts.append(f"의 만 {low if low is not None else 0}–{high if high is not None else ''}세")
    if income:
        parts.append(f" (소득 기준 중위소득 {income}% 이하)")
    return "".join(parts)


def build(form: Mapping[str, str]) -> tuple[str, reform.Reform]:
    """The reform's YAML text and the parsed reform (checked exactly as an uploaded file)."""
    raw = parameter_change(form) if form.get("change") == "parameter" else flat_benefit(form)
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100)
    return text, reform.parse_text(text, "양식")
