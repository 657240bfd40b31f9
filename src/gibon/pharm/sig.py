"""Read Korean dosing directions (용법) into numbers: units per dose, doses per day, schedule.

"1정 1일 2회 아침·저녁 식후" -> 1 unit, 2 times a day, morning and evening, after meals.
"1회 6정 주 1회 월요일" (weekly methotrexate) -> 6 units, once a week: never read as daily.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_UNIT = r"(?:정|캡슐|캅셀|알|포|T|tab|mL|ml|방울|퍼프|흡입|회분|개|스푼|앰플|패치|매|단위|IU)"
_NUM = r"(\d+(?:\.\d+)?|1/2|1/4|½|¼|반)"
_FRACTIONS = {"1/2": 0.5, "½": 0.5, "반": 0.5, "1/4": 0.25, "¼": 0.25}

_SLOTS = (
    ("morning", ("아침", "기상")),
    ("noon", ("점심", "낮")),
    ("evening", ("저녁",)),
    ("bedtime", ("취침", "자기 전", "잠자기", "자기전")),
)
_WEEKDAYS = {"월": 0, "화": 1, "수": 2, "목": 3, "금": 4, "토": 5, "일": 6}


@dataclass(frozen=True)
class Sig:
    """What one direction line means; numbers are None when the text does not say."""

    text: str
    units_per_dose: float | None = None
    doses_per_day: float | None = None  # on a dosing day
    dosing_days_per_week: float = 7.0
    prn: bool = False
    slots: tuple[str, ...] = ()
    weekdays: tuple[int, ...] = ()
    food: str | None = None  # before, after, with, empty
    split: bool = False
    as_directed: bool = False
    taper: bool = False
    form: str = "tablet"

    @property
    def weekly(self) -> bool:
        return self.dosing_days_per_week < 7.0

    @property
    def units_per_day(self) -> float | None:
        if self.units_per_dose is None or self.doses_per_day is None:
            return None
        return self.units_per_dose * self.doses_per_day


def _number(token: str) -> float:
    return _FRACTIONS.get(token) or float(token)


def _units(text: str) -> float | None:
    m = re.search(r"1회\s*" + _NUM + r"\s*" + _UNIT + "?", text)
    m = m or re.search(_NUM + r"\s*" + _UNIT, text)
    return _number(m.group(1)) if m else None


def _slot_units(text: str) -> list[float]:
    """'아침 1정 저녁 2정' -> [1.0, 2.0]: different amounts at different times of day."""
    found = re.findall(r"(?:아침|점심|저녁|취침\s*전|자기\s*전)\s*" + _NUM + r"\s*" + _UNIT, text)
    return [_number(n) for n in found]


def _frequency(text: str) -> tuple[float | None, float]:
    """Doses per dosing day and dosing days per week; a named weekday or 주 N회 means weekly."""
    m = re.search(r"주\s*(\d+)\s*(?:회|번)", text) or re.search(
        r"1주(?:일)?\s*(?:에)?\s*(\d+)\s*(?:회|번)", text
    )
    if m:
        return 1.0, float(m.group(1))
    if re.search(r"매주|[월화수목금토일]요일|weekly|once a week", text, re.I):
        return 1.0, float(max(1, len(_weekdays(text))))
    if re.search(r"격일|이틀에 한|2일에 1회|every other day", text, re.I):
        return 1.0, 3.5
    m = re.search(r"(?:1일|하루|매일)\s*(\d+)\s*(?:회|번)", text)
    if m:
        return float(m.group(1)), 7.0
    m = re.search(
        r"(\d+)\s*시간\s*(?:마다|간격|毎)|\bq\s*(\d+)\s*h\b|every (\d+) hours", text, re.I
    )
    if m:
        hours = float(next(g for g in m.groups() if g))
        return (24.0 / hours if hours > 0 else None), 7.0
    for pattern, per_day in _ENGLISH:
        if re.search(pattern, text, re.I):
            return per_day, 7.0
    return None, 7.0


_ENGLISH = (
    (r"\b(?:qid|four times (?:a day|daily))\b", 4.0),
    (r"\b(?:tid|three times (?:a day|daily))\b", 3.0),
    (r"\b(?:bid|twice (?:a day|daily))\b", 2.0),
    (r"\b(?:qd|od|qhs|once (?:a day|daily)|daily|at bedtime)\b", 1.0),
)
_KO_NUMBERS = {"한": "1", "두": "2", "세": "3", "네": "4"}


def _weekdays(text: str) -> tuple[int, ...]:
    return tuple(sorted({_WEEKDAYS[d] for d in re.findall(r"([월화수목금토일])요일", text)}))


def _slots(text: str) -> tuple[str, ...]:
    return tuple(name for name, words in _SLOTS if any(w in text for w in words))


def _food(text: str) -> str | None:
    for word, meaning in (
        ("식전", "before"),
        ("식후", "after"),
        ("식간", "between"),
        ("식사와 함께", "with"),
        ("식직후", "after"),
        ("공복", "empty"),
    ):
        if word in text:
            return meaning
    return None


def _form(text: str) -> str:
    table = (
        ("흡입", "inhaler"),
        ("네뷸", "nebulizer"),
        ("점안", "eye_drops"),
        ("눈에", "eye_drops"),
        ("점비", "nasal_spray"),
        ("코에", "nasal_spray"),
        ("패취", "patch"),
        ("패치", "patch"),
        ("부착", "patch"),
        ("주사", "injection"),
        ("피하", "injection"),
        ("좌약", "suppository"),
        ("좌제", "suppository"),
        ("바르", "topical"),
        ("연고", "topical"),
        ("크림", "topical"),
        ("설하", "sublingual"),
        ("시럽", "liquid"),
        ("mL", "liquid"),
        ("ml", "liquid"),
        ("현탁", "liquid"),
        ("산제", "powder"),
        ("과립", "powder"),
        ("가루", "powder"),
    )
    return next((form for word, form in table if word in text), "tablet")


@lru_cache(maxsize=4096)
def parse(text: str | None) -> Sig:
    """Parse one Korean direction line; unknown parts stay None rather than guessed."""
    if not text:
        return Sig(text="")
    t = " ".join(text.replace("·", " ").replace(",", " ").split())
    t = re.sub(r"(한|두|세|네)\s*(번|알|정|회)", lambda m: _KO_NUMBERS[m.group(1)] + m.group(2), t)
    per_day, days_per_week = _frequency(t)
    slots = _slots(t)
    if per_day is None and slots:
        per_day = float(len(slots))
    prn = bool(
        re.search(r"필요\s*시|필요할\s*때|통증\s*시|아플\s*때|\bprn\b|as needed|불면\s*시", t, re.I)
    )
    if per_day is None and not prn and re.search(r"1일|매일|하루", t):
        per_day = 1.0
    units = _units(t)
    by_slot = _slot_units(t)
    if len(by_slot) >= 2:  # different amounts per time of day: keep the daily total right
        per_day, units = float(len(by_slot)), sum(by_slot) / len(by_slot)
    return Sig(
        text=text,
        units_per_dose=units,
        doses_per_day=per_day,
        dosing_days_per_week=days_per_week,
        prn=prn,
        slots=slots,
        weekdays=_weekdays(t),
        food=_food(t),
        split=bool(re.search(r"반\s*정|1/2\s*정|½|0\.5\s*정|1/4|분할|쪼개", t)),
        as_directed=bool(re.search(r"지시대로|지시에 따라|의사의 지시|as directed", t, re.I)),
        taper=bool(re.search(r"감량|증량|점차 줄|점차 늘", t)),
        form=_form(t),
    )
