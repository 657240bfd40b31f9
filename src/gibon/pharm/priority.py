"""Priority score for choosing whom to visit first: points with the reasons that earned them."""

from __future__ import annotations

import math
from typing import Any

from gibon.pharm.context import Context
from gibon.pharm.findings import CATEGORY_KO, Finding

SEVERITY_POINTS = {"high": 10.0, "moderate": 4.0, "low": 1.0}
CATEGORY_CAP = 25.0  # one category cannot dominate the score
SCALE = 40.0  # raw points at which the score reaches 63 of 100


def score(
    ctx: Context, findings: list[Finding], n_ingredients: int, n_prescribers: int
) -> dict[str, Any]:
    drivers: list[dict[str, Any]] = []
    per_cat: dict[str, float] = {}
    count: dict[str, int] = {}
    for f in findings:
        per_cat[f.category] = per_cat.get(f.category, 0.0) + SEVERITY_POINTS[f.severity]
        count[f.category] = count.get(f.category, 0) + 1
    for cat, pts in per_cat.items():
        n = count[cat]
        drivers.append(
            {
                "driver": cat,
                "label": f"{CATEGORY_KO.get(cat, cat)} {n}건",
                "points": min(pts, CATEGORY_CAP),
            }
        )
    p = ctx.patient
    for cond, pts, label in (
        (ctx.age is not None and ctx.age >= 75, 3.0, f"{ctx.age}세(75세 이상)"),
        (p.lives_alone, 2.0, "독거"),
        (p.medical_aid, 2.0, "의료급여 수급"),
        (p.falls_last_year > 0, 3.0, f"지난 1년 낙상 {p.falls_last_year}회"),
        (n_ingredients >= 10, 4.0, f"복용 성분 {n_ingredients}종"),
        (n_prescribers >= 3, 2.0, f"처방기관 {n_prescribers}곳"),
    ):
        if cond:
            drivers.append({"driver": "patient", "label": label, "points": pts})
    raw = sum(d["points"] for d in drivers)
    drivers.sort(key=lambda d: -d["points"])
    return {
        "score": round(100 * (1 - math.exp(-raw / SCALE)), 1),
        "raw_points": raw,
        "drivers": drivers,
    }
