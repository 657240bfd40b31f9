"""Korean labels of the pharm workflow, once: statuses, fields with an example, validation messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

STATUS_KO = {
    "planned": "방문 예정",
    "visited": "방문 완료",
    "follow_up": "추적 중",
    "closed": "종결",
}
DECISION_KO = {
    "open": "미결정",
    "accepted": "수용",
    "dismissed": "기각(사유)",
    "prescriber_contacted": "처방의 연락",
    "changed": "처방 변경됨",
}
# Field label and a valid example, for every field a person types or uploads.
FIELDS: dict[str, tuple[str, str]] = {
    "date": ("조제일", "2026-12-07"),
    "drug": ("약 이름", "암로디핀 또는 amlodipine 또는 노바스크정5mg"),
    "drug_ko": ("한글 약 이름", "암로디핀"),
    "atc": ("ATC 코드", "C08CA01"),
    "strength": ("함량", "5mg"),
    "sig": ("용법", "1정 1일 1회"),
    "daily_dose": ("1일 용량", "5mg"),
    "days_supply": ("투약일수", "30"),
    "quantity": ("총량", "30"),
    "prescriber": ("처방기관", "관악내과의원"),
    "pharmacy": ("약국", "봉천약국"),
    "person_id": ("대상자 번호", "P00000003"),
    "planned_on": ("방문 예정일", "2026-12-07"),
    "visited_on": ("방문일", "2026-12-07"),
    "status": ("상태", "방문 완료"),
    "outcome_note": ("결과 메모", "복약 방법 설명함"),
    "due_on": ("추적 예정일", "2026-12-21"),
    "done_on": ("완료일", "2026-12-21"),
    "outcome": ("결과", "전화로 복용 확인"),
    "decision": ("결정", "수용"),
    "reason": ("사유", "환자가 이미 중단함"),
    "review_date": ("검토 기준일", "2026-12-07"),
    "age": ("나이", "82"),
    "birth_date": ("생년월일", "1944-03-02"),
    "sex": ("성별", "F"),
    "weight_kg": ("체중(kg)", "52"),
    "scr_mg_dl": ("혈청 크레아티닌(mg/dL)", "1.4"),
    "conditions": ("진단 코드", "I10;N18.3"),
    "falls_last_year": ("최근 1년 낙상 횟수", "1"),
    "version": ("판", "3"),
}


def field_ko(name: str) -> str:
    return FIELDS.get(name, (name, ""))[0]


def example(name: str) -> str:
    return FIELDS.get(name, ("", ""))[1]


def _bound(ctx: Mapping[str, Any], key: str) -> Any:
    return ctx.get(key, "")


_TYPE_KO: dict[str, Any] = {
    "missing": lambda c: "값이 없습니다",
    "date_parsing": lambda c: "날짜 형식이 아닙니다",
    "date_from_datetime_parsing": lambda c: "날짜 형식이 아닙니다",
    "date_type": lambda c: "날짜 형식이 아닙니다",
    "int_parsing": lambda c: "정수가 아닙니다",
    "int_type": lambda c: "정수가 아닙니다",
    "int_from_float": lambda c: "정수가 아닙니다",
    "float_parsing": lambda c: "숫자가 아닙니다",
    "float_type": lambda c: "숫자가 아닙니다",
    "bool_parsing": lambda c: "예/아니오(true/false)가 아닙니다",
    "greater_than_equal": lambda c: f"{_bound(c, 'ge')} 이상이어야 합니다",
    "greater_than": lambda c: f"{_bound(c, 'gt')}보다 커야 합니다",
    "less_than_equal": lambda c: f"{_bound(c, 'le')} 이하여야 합니다",
    "less_than": lambda c: f"{_bound(c, 'lt')}보다 작아야 합니다",
    "string_too_short": lambda c: "비어 있습니다",
    "string_too_long": lambda c: f"{_bound(c, 'max_length')}자 이하여야 합니다",
    "literal_error": lambda c: "허용되지 않는 값입니다",
    "extra_forbidden": lambda c: "알 수 없는 항목입니다",
    "string_type": lambda c: "글자가 아닙니다",
}


def message_ko(err: Mapping[str, Any]) -> str:
    """A Pydantic error as a Korean sentence (the field is named by the caller)."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    make = _TYPE_KO.get(kind)
    text = make(ctx) if make else "값이 올바르지 않습니다"
    value = err.get("input")
    if kind != "missing" and isinstance(value, str | int | float) and str(value).strip():
        text += f" (입력: {str(value)[:40]})"
    return text


def invalid(exc: Any, prefix: str = "") -> Any:
    """A Pydantic ``ValidationError`` as one Korean ``InvalidInput``: field, reason, example."""
    from gibon.errors import InvalidInput

    err = exc.errors()[0]
    name = str(err["loc"][-1]) if err["loc"] else ""
    return InvalidInput(
        f"{prefix}{field_ko(name)}: {message_ko(err)}", where=name or None, example=example(name)
    )
