"""Baseline for benchmarks/population_generate.py: the obvious per-person Python loop.

It draws the same attributes as gibon.population from the same parameter tables, one person at a
time with ``random``, without exact-count calibration. It is only used to measure speed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from shapely.geometry import Point

from gibon.population import _geo, _names, rrn
from gibon.population._params import params, resolve


def _step(value: int, edges: list[int], table: list[float]) -> float:
    out = 0.0
    for edge, v in zip(edges, table, strict=True):
        if value >= edge:
            out = v
    return out


def _person(
    r: random.Random, age: int, male: bool, rel: str, serials: dict[Any, int]
) -> dict[str, Any]:
    p = params()
    h = p["health"]
    born = date(2024 - age, 1, 1) + timedelta(days=r.randrange(365))
    key = (born, male)
    serials[key] = serials.get(key, -1) + 1
    g = (1 if born.year < 2000 else 3) + (0 if male else 1)
    s = serials[key]
    first12 = f"{born:%y%m%d}{g}{96 + s // 1000}{s % 1000:03d}"
    number = f"{first12[:6]}-{first12[6:]}{rrn.check_digit(first12)}"
    rates = p["employment"]["rate_pct"]
    works = r.random() * 100 < _step(age, rates["ages"], rates["male" if male else "female"])
    status = r.choice(["regular", "temporary", "daily", "self_employed"]) if works else "inactive"
    earned = int(r.lognormvariate(15.0, 0.5)) if status in ("regular", "temporary", "daily") else 0
    conditions = []
    for code, row in h["conditions"].items():
        if (
            r.random() * 100
            < _step(age, h["bands"], row["male" if male else "female"]) * row["factor"]
        ):
            conditions.append(code)
    disabled = r.random() * 100 < _step(
        age, h["disability_rate_pct"]["ages"], h["disability_rate_pct"]["rate"]
    )
    ltc = r.random() * 100 < _step(age, h["ltc_rate_pct"]["ages"], h["ltc_rate_pct"]["rate"])
    surname = r.choice(list(_names.SURNAMES))
    return {
        "birth_date": born,
        "sex": "M" if male else "F",
        "relation": rel,
        "rrn": number,
        "name": surname + r.choice(_names._FIRST_M) + r.choice(_names._SECOND_M),
        "employment": status,
        "earned_income": earned,
        "business_income": 0,
        "pension_income": int(r.lognormvariate(13.3, 0.6)) if age >= 65 and r.random() < 0.5 else 0,
        "property_income": 0,
        "disability": "mild" if disabled else "none",
        "conditions": conditions,
        "ltc_grade": r.choice("12345") if ltc else None,
        "student": 7 <= age <= 18,
        "pregnant": False,
    }


def generate_naive(seed: int, persons: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    r = random.Random(seed)
    prof = resolve("gwanak", persons)
    polys = _geo.polygons()
    sizes = [1, 2, 3, 4, 5]
    size_w = [52, 22, 14, 9, 3]
    households: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    serials: dict[Any, int] = {}
    while len(people) < persons:
        size = min(r.choices(sizes, size_w)[0], persons - len(people))
        d = r.choices(range(len(prof.dongs)), prof.dong_weights.tolist())[0]
        x0, y0, x1, y1 = polys[d].bounds
        while True:
            pt = Point(r.uniform(x0, x1), r.uniform(y0, y1))
            if polys[d].contains(pt):
                break
        tenure = r.choices(
            ["owner", "jeonse", "monthly_rent", "public_rental", "free"], [32, 23, 38, 5, 2]
        )[0]
        households.append(
            {
                "dong": prof.dongs[d],
                "size": size,
                "tenure": tenure,
                "lat": pt.y,
                "lon": pt.x,
                "deposit": int(r.lognormvariate(18, 0.5)),
                "monthly_rent": int(r.lognormvariate(13, 0.3)),
            }
        )
        for i in range(size):
            age = r.randint(19, 90) if i < 2 else r.randint(0, 40)
            people.append(_person(r, age, r.random() < 0.5, "head" if i == 0 else "child", serials))
    return households, people
