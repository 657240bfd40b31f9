"""Dispensings -> supplies: one per ingredient, with the days it covers and the dose it gives.

Refills from the same prescriber that arrive early are chained (the new supply starts when the old
one runs out), and a new dose from the same prescriber replaces the old one; supplies from
different prescribers overlap, which is what the duplication and interaction checks look for.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from gibon.pharm import sig as sigmod
from gibon.pharm.knowledge import KnowledgeBase
from gibon.pharm.schemas import Dispensing

_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(mg|g|mcg|㎍|μg|µg|ug|밀리그램|그램)?", re.I)
# "15 mg/주", "15 mg weekly": a weekly dose stated in daily_dose even when the sig does not say it.
_WEEKLY_DOSE = re.compile(r"/\s*(?:주|wk|week)|주\s*1\s*회|매주|weekly|per week", re.I)
_ROUTE_OF_FORM = {
    "tablet": "oral",
    "liquid": "oral",
    "powder": "oral",
    "sublingual": "oral",
    "injection": "injection",
    "patch": "transdermal",
    "eye_drops": "eye_drops",
    "nasal_spray": "nasal_spray",
    "inhaler": "inhaled",
    "nebulizer": "inhaled",
    "topical": "topical",
    "suppository": "rectal",
}


@dataclass(frozen=True)
class Supply:
    row: int
    ingredient: str
    product: str
    dispensed: date
    start: date
    end: date  # inclusive
    mg_per_day: float | None  # on a dosing day
    sig: sigmod.Sig
    route: str
    prescriber: str
    pharmacy: str
    days_supply: int
    strength: str = ""
    variant: str | None = None  # salt-specific DUR name written in the input (diclofenac potassium)

    @property
    def weekly(self) -> bool:
        return self.sig.weekly

    @property
    def mg_per_week(self) -> float | None:
        return None if self.mg_per_day is None else self.mg_per_day * self.sig.dosing_days_per_week

    def evidence(self) -> dict[str, object]:
        return {
            "row": self.row + 1,
            "date": self.dispensed.isoformat(),
            "drug": self.product,
            "days_supply": self.days_supply,
            "sig": self.sig.text,
            "prescriber": self.prescriber,
            "pharmacy": self.pharmacy,
        }


def amounts_mg(text: str | None) -> list[float]:
    """'5 mg/10 mg' -> [5.0, 10.0]; '500mcg' -> [0.5]; units default to mg."""
    return list(_amounts_mg(text)) if text else []


@lru_cache(maxsize=4096)  # a year of dispensings repeats the same few strengths
def _amounts_mg(text: str) -> tuple[float, ...]:
    found = _AMOUNT.findall(text)
    unit_default = next((u for _, u in reversed(found) if u), "mg").lower()
    out = []
    for num, unit in found:
        value = float(num.replace(",", ""))
        u = (unit or unit_default).lower()
        out.append(
            value * 1000
            if u in ("g", "그램")
            else value / 1000
            if u in ("mcg", "㎍", "μg", "µg", "ug")
            else value
        )
    return tuple(out)


def _mg_per_day(d: Dispensing, k: int, n: int, s: sigmod.Sig) -> float | None:
    stated = _amounts_mg(d.daily_dose) if d.daily_dose else ()
    if len(stated) == n or (len(stated) >= 1 and n == 1):
        return stated[k]
    strength = _amounts_mg(d.strength) if d.strength else ()
    if len(strength) == n and s.units_per_dose is not None and s.doses_per_day is not None:
        return strength[k] * s.units_per_dose * s.doses_per_day
    return None


Reading = tuple[tuple[str, str, float | None, sigmod.Sig], ...]
READINGS_MAX = 50_000  # distinct dispensing forms remembered per knowledge base


def _readings(kb: KnowledgeBase) -> dict[tuple[object, ...], Reading]:
    return {}


def _reading(
    kb: KnowledgeBase,
    d: Dispensing,
    ingredients: list[str],
    cache: dict[tuple[object, ...], Reading],
) -> Reading:
    """Per ingredient: its route, mg a day and the directions read, remembered per knowledge base
    in ``cache`` (a year of dispensings repeats the same few product, strength and direction lines)."""
    key = (tuple(ingredients), d.sig, d.daily_dose, d.strength)
    hit = cache.get(key)
    if hit is None:
        s = sigmod.parse(d.sig)
        if not s.weekly and d.daily_dose and _WEEKLY_DOSE.search(d.daily_dose):
            s = replace(s, dosing_days_per_week=1.0, doses_per_day=s.doses_per_day or 1.0)
        hit = tuple(
            (ing, _route(kb, ing, s), _mg_per_day(d, k, len(ingredients), s), s)
            for k, ing in enumerate(ingredients)
        )
        if len(cache) >= READINGS_MAX:
            cache.clear()
        cache[key] = hit
    return hit


def _route(kb: KnowledgeBase, ing: str, s: sigmod.Sig) -> str:
    drug = kb.drug(ing)
    return drug.form if drug and drug.form != "oral" else _ROUTE_OF_FORM.get(s.form, "oral")


_FIELDS = tuple(f.name for f in fields(Supply))


def _new(values: dict[str, Any]) -> Supply:
    """``Supply(**values)`` for a complete set of fields, without the frozen ``__init__``'s one
    ``object.__setattr__`` per field (a patient's year makes dozens; the screen makes millions)."""
    s = object.__new__(Supply)
    object.__setattr__(s, "__dict__", values)
    return s


def _changed(s: Supply, **changes: Any) -> Supply:
    """``dataclasses.replace`` for a supply, by the same shortcut."""
    return _new({**s.__dict__, **changes})


def supplies_of(
    rows: list[tuple[int, Dispensing, list[str], list[str | None]]], kb: KnowledgeBase
) -> list[Supply]:
    """One raw supply per (dispensing, known ingredient); then chained per prescriber."""
    raw = []
    cache = kb.derived(_readings)
    for row, d, ingredients, variants in rows:
        day = d.date
        n = d.days_supply
        end = day + (_DAYS[n] if n in _DAYS else timedelta(days=n - 1))
        prescriber, pharmacy = d.prescriber or "(미상)", d.pharmacy or "(미상)"
        for k, (ing, route, mg_per_day, s) in enumerate(_reading(kb, d, ingredients, cache)):
            raw.append(
                _new(  # the fields in Supply's order (_FIELDS), without zip and a dict() call
                    {
                        "row": row,
                        "ingredient": ing,
                        "product": d.drug,
                        "dispensed": day,
                        "start": day,
                        "end": end,
                        "mg_per_day": mg_per_day,
                        "sig": s,
                        "route": route,
                        "prescriber": prescriber,
                        "pharmacy": pharmacy,
                        "days_supply": d.days_supply,
                        "strength": d.strength or "",
                        "variant": variants[k],
                    }
                )
            )
    return chain(raw)


# days_supply -> the timedelta from first to last day, made once (validation allows 1-365)
_DAYS = {n: timedelta(days=n - 1) for n in range(1, 366)}


@lru_cache(maxsize=4096)
def _product_key(product: str) -> str:
    return " ".join(product.lower().split())


def chain(raw: list[Supply]) -> list[Supply]:
    """Early refills of one product from one prescriber follow on; another product runs alongside."""
    groups: dict[tuple[str, str, str], list[Supply]] = defaultdict(list)
    for s in raw:
        groups[(s.ingredient, s.prescriber, _product_key(s.product))].append(s)
    out: list[Supply] = []
    for items in groups.values():
        items.sort(key=lambda s: (s.start, s.row))
        prev: Supply | None = None
        for s in items:
            if prev is not None and s.start <= prev.end:
                if s.mg_per_day == prev.mg_per_day and s.sig.weekly == prev.sig.weekly:
                    length = (s.end - s.start).days
                    s = _changed(
                        s,
                        start=prev.end + timedelta(days=1),
                        end=prev.end + timedelta(days=1 + length),
                    )
                else:
                    out[-1] = prev = _changed(prev, end=s.start - timedelta(days=1))
            out.append(s)
            prev = s
    out.sort(key=lambda s: (s.start, s.row))
    return [s for s in out if s.end >= s.start]


def overlap(a: Supply, b: Supply) -> tuple[date, date] | None:
    start, end = max(a.start, b.start), min(a.end, b.end)
    return (start, end) if start <= end else None


ONE_DAY = timedelta(days=1)


def merge_periods(periods: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Overlapping or adjacent periods joined, in date order."""
    if not periods:
        return []
    ordered = sorted(periods)
    out: list[tuple[date, date]] = []
    start, end = ordered[0]
    for s, e in ordered:
        if s <= end + ONE_DAY:
            if e > end:
                end = e
        else:
            out.append((start, end))
            start, end = s, e
    out.append((start, end))
    return out


def days_in(periods: list[tuple[date, date]]) -> int:
    return sum((e - s).days + 1 for s, e in merge_periods(periods))
