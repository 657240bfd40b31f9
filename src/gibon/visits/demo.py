"""A realistic Gwanak day for demos and benchmarks: professionals at the 보건소 and clinics,
visit requests at homes inside the 21 dongs (from the synthetic population when available)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gibon.visits import geo
from gibon.visits.engine.problem import Point
from gibon.visits.models import Staff

# (profession, count, mode, skills pool, max visits)
STAFF = (
    ("doctor", 5, "car", ("dementia", "palliative"), 8),
    ("nurse", 16, "walk", ("wound", "catheter", "injection"), 10),
    ("physio", 4, "transit", ("stroke",), 8),
    ("pharmacist", 3, "transit", ("polypharmacy",), 10),
    ("social_worker", 4, "walk", (), 10),
)
# (kind, weight, needs [(profession, minutes)], together, gap)
VISIT_KINDS = (
    ("nurse", 0.52, [("nurse", 30)], None, None),
    ("physio", 0.12, [("physio", 45)], None, None),
    ("pharmacist", 0.09, [("pharmacist", 30)], None, None),
    ("social", 0.09, [("social_worker", 40)], None, None),
    ("doctor+nurse", 0.12, [("doctor", 30), ("nurse", 30)], "simultaneous", None),
    ("doctor>physio", 0.06, [("doctor", 25), ("physio", 45)], "sequential", (45, 240)),
)
ID_PREFIX = {"pharmacist": "pha", "social_worker": "sw"}  # ids = the accounts' organisation ids
WINDOWS = (("09:30", "12:00"), ("13:00", "17:00"), ("09:00", "17:00"), ("10:00", "16:00"))


def health_center() -> Point:
    lon, lat = 126.9511135, 37.478434  # 관악구보건소, gwanak_facilities.geojson (approximate)
    return Point(lat, lon)


def residents(
    rng: np.random.Generator, n: int, seed: int
) -> tuple[list[tuple[Point, str, str | None]], str]:
    """(home, person id, kind of visit) for ``n`` residents who need home care.

    Taken from the synthetic population (people with a long-term-care grade, or 75+ with two or
    more chronic conditions); the kind of visit follows their conditions. Falls back to random
    homes across the dongs (weighted by 65+ residents) if the population engine is unavailable.
    """
    try:
        from gibon import population

        households, persons = population.generate(seed, persons=max(20_000, n * 60))
        frame = _needing_care(persons).join(
            households.select("household_id", "lat", "lon"), on="household_id"
        )
        rows = frame.sample(min(n, frame.height), seed=seed).rows(named=True)
    except Exception:  # population engine missing or changed: sample homes instead
        rows = []
    if len(rows) < n:
        points = geo.sample_points(rng, n)
        return [(p, f"R{seed}-{i:05d}", None) for i, p in enumerate(points)], "sampled"
    return [
        (Point(r["lat"], r["lon"]), r["person_id"], _kind_for(r, rng)) for r in rows
    ], "population"


def _needing_care(persons: Any) -> Any:
    import polars as pl

    born_before = pl.date(1951, 6, 1)  # 75 or older on the demo date
    many = pl.col("conditions").list.len() >= 2
    return persons.filter(
        pl.col("ltc_grade").is_not_null() | ((pl.col("birth_date") < born_before) & many)
    )


def _kind_for(row: dict[str, Any], rng: np.random.Generator) -> str:
    conditions = set(row["conditions"] or ())
    if row["ltc_grade"] in ("1", "2") or ("F03" in conditions and rng.random() < 0.5):
        return "doctor+nurse"
    if "I63" in conditions:
        return "doctor>physio" if rng.random() < 0.4 else "physio"
    if len(conditions) >= 4 and rng.random() < 0.5:
        return "pharmacist"
    if rng.random() < 0.12:
        return "social"
    return "nurse"


def professionals(rng: np.random.Generator) -> list[dict[str, Any]]:
    center = health_center()
    out = []
    for profession, count, mode, skills, max_visits in STAFF:
        for k in range(count):
            base = center if k % 2 == 0 else geo.sample_points(rng, 1)[0]
            if profession == "nurse" and k % 2:
                mode = "transit"
            own = [s for s in skills if rng.random() < 0.6] or list(skills[:1])
            out.append(
                {
                    "id": f"{ID_PREFIX.get(profession, profession)}-{k + 1:02d}",
                    "profession": profession,
                    "skills": own,
                    "shift": ["09:00", "18:00"],
                    "break": {"window": ["12:00", "14:00"], "minutes": 60},
                    "base": {"lat": base.lat, "lon": base.lon},
                    "mode": mode,
                    "max_visits": max_visits,
                }
            )
    return out


def day(seed: int = 1, visits: int = 220, date: str = "2026-06-01") -> dict[str, Any]:
    """The REQUESTS.json for one day: ``visits`` requests and 32 professionals."""
    rng = np.random.default_rng(seed)
    staff = professionals(rng)
    people, source = residents(rng, visits, seed)
    weights = np.array([k[1] for k in VISIT_KINDS])
    kinds = {k[0]: k for k in VISIT_KINDS}
    out = []
    for i, (point, resident, hint) in enumerate(people):
        kind = (
            kinds[hint]
            if hint
            else VISIT_KINDS[rng.choice(len(VISIT_KINDS), p=weights / weights.sum())]
        )
        out.append(_visit(rng, i, kind, point, resident, staff))
    return {"date": date, "source": source, "professionals": staff, "visits": out}


def _visit(
    rng: np.random.Generator,
    i: int,
    kind: Any,
    point: Point,
    resident: str,
    staff: list[dict[str, Any]],
) -> dict[str, Any]:
    _, _, needs, together, gap = kind
    window = WINDOWS[rng.choice(len(WINDOWS))]
    first = needs[0][0]
    same = [p["id"] for p in staff if p["profession"] == first]
    need_skill = first == "nurse" and rng.random() < 0.2
    start, end = window
    if together == "sequential":  # both starts fall in the window: give the pair a whole day
        start, end = "09:00", "17:00"
    return {
        "id": f"V{i + 1:04d}",
        "resident": resident,
        "location": {"lat": point.lat, "lon": point.lon},
        "needs": [
            {
                "profession": p,
                "skills": ["wound"] if need_skill and p == "nurse" else [],
                "minutes": m,
            }
            for p, m in needs
        ],
        "together": together,
        "gap_minutes": list(gap) if gap else None,
        "window": [start, end],
        "priority": int(rng.choice([1, 2, 3], p=[0.1, 0.6, 0.3])),
        "preferred": str(rng.choice(same)) if rng.random() < 0.6 else None,
    }


# The stored roster and days of the demo -------------------------------------------------------

FAMILY = "김이박최정강조윤장임한오서신권황안송류전"
GIVEN = (
    "민준",
    "서연",
    "도윤",
    "지우",
    "하준",
    "서윤",
    "시우",
    "지민",
    "주원",
    "하은",
    "예준",
    "수아",
    "지호",
    "지유",
    "준서",
    "채원",
    "현우",
    "다은",
    "건우",
    "소율",
)
ACCOUNT_NAMES = {"doctor-01": "최민준", "pha-01": "정지우"}  # the demo accounts' own names


def roster(seed: int = 1) -> list[Staff]:
    """The demo's 32 visiting professionals as roster rows (synthetic names and phones)."""
    rng = np.random.default_rng(seed)
    out = []
    for k, p in enumerate(professionals(rng)):
        name = ACCOUNT_NAMES.get(p["id"]) or FAMILY[k % len(FAMILY)] + GIVEN[(k * 7) % len(GIVEN)]
        out.append(
            Staff(
                id=p["id"],
                name=name,
                profession=p["profession"],
                skills=list(p["skills"]),
                shift_start=p["shift"][0],
                shift_end=p["shift"][1],
                break_window=list(p["break"]["window"]),
                break_minutes=int(p["break"]["minutes"]),
                base_lat=p["base"]["lat"],
                base_lon=p["base"]["lon"],
                mode=p["mode"],
                max_visits=p["max_visits"],
                phone=f"02-880-{4100 + k:04d}",
            )
        )
    return out


__all__ = ["day", "professionals", "residents", "roster"]
