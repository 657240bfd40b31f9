"""The resident's medicine calendar: which medicine to take at which time of day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from gibon.pharm.context import Context
from gibon.pharm.sig import Sig

_HANGUL = re.compile(r"[가-힣]")
ACTIVE_GRACE_DAYS = 14  # a supply that ran out within two weeks is still on the calendar
SLOTS = ("morning", "noon", "evening", "bedtime")
SLOT_KO = {"morning": "아침", "noon": "점심", "evening": "저녁", "bedtime": "자기 전"}
FOOD_KO = {
    "before": "밥 먹기 전",
    "after": "밥 먹은 후",
    "between": "식사와 식사 사이",
    "with": "밥과 함께",
    "empty": "빈속에",
}
WEEKDAY_KO = "월화수목금토일"
_DEFAULT_SLOTS = {
    1: ("morning",),
    2: ("morning", "evening"),
    3: ("morning", "noon", "evening"),
    4: ("morning", "noon", "evening", "bedtime"),
}


@dataclass(frozen=True)
class Row:
    product: str
    name_ko: str
    amount: str
    slots: tuple[str, ...]
    when: str  # 매일 / 월요일만 / 필요할 때만
    food: str


def _slots(s: Sig) -> tuple[str, ...]:
    if s.slots:
        return s.slots
    if s.doses_per_day is not None and int(s.doses_per_day) in _DEFAULT_SLOTS:
        return _DEFAULT_SLOTS[int(s.doses_per_day)]
    return ()


def _when(s: Sig) -> str:
    if s.prn:
        return "필요할 때만"
    if s.weekdays:
        return "·".join(WEEKDAY_KO[d] for d in s.weekdays) + "요일에만"
    if s.weekly:
        return f"일주일에 {s.dosing_days_per_week:g}번"
    return "매일"


def _amount(s: Sig) -> str:
    if s.units_per_dose is None:
        return "처방대로"
    n = s.units_per_dose
    return "반 알" if n == 0.5 else f"{n:g}알" if s.form == "tablet" else f"{n:g}회분"


def _korean_name(ctx: Context, ingredient: str, product: str) -> str:
    """The Korean generic name; without one, the name on the bag (never a bare English name)."""
    ko = ctx.kb.ko(ingredient)
    if _HANGUL.search(ko):
        return ko
    return product if _HANGUL.search(product) else f"약 봉투의 약({product})"


def rows(ctx: Context) -> list[Row]:
    """One row per current product (the latest dispensing of each), in calendar order."""
    latest: dict[str, Any] = {}
    since = ctx.review_date - timedelta(days=ACTIVE_GRACE_DAYS)
    for ing in ctx.all_by_ingredient:  # eye drops and creams belong on the calendar too
        s = max(ctx.all_by_ingredient[ing], key=lambda x: x.end)
        if s.end >= since:
            latest[s.product] = s
    out = []
    for product, s in latest.items():
        names = [
            _korean_name(ctx, i, product)
            for i, ss in ctx.all_by_ingredient.items()
            if any(p.row == s.row for p in ss)
        ]
        out.append(
            Row(
                product,
                "·".join(dict.fromkeys(names)),
                _amount(s.sig),
                _slots(s.sig),
                _when(s.sig),
                FOOD_KO.get(s.sig.food or "", ""),
            )
        )
    return sorted(out, key=lambda r: (SLOTS.index(r.slots[0]) if r.slots else 9, r.name_ko))


def empty_reason(ctx: Context, rows_: list[Row]) -> str:
    """Why the calendar is empty (the resident guide says so instead of printing an empty table)."""
    if rows_:
        return ""
    if not ctx.all_by_ingredient:
        return "이름을 확인한 약이 없어 시간표를 만들지 못했어요. 약 봉투를 약사에게 보여 주세요."
    last = max(s.end for ss in ctx.all_by_ingredient.values() for s in ss)
    return (
        f"지금 드시는 약이 없어요. 받은 약은 {last.month}월 {last.day}일까지 드실 분량이었어요. "
        "그 뒤에 받은 약이 있으면 약사에게 보여 주세요."
    )
