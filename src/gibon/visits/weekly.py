"""Weekly planning for recurring visits: spread each resident's visits over the week, plan each
day, and carry continuity forward (whoever came first is preferred for the later visits)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from gibon.errors import InvalidInput
from gibon.visits import plan

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Week:
    days: tuple[tuple[str, plan.Outcome], ...]

    def to_json(self) -> dict[str, Any]:
        days = []
        for date, outcome in self.days:
            body = outcome.schedule.to_json()
            body["date"] = date
            body["checker"] = {
                "feasible": outcome.verdict.ok,
                "violations": list(outcome.verdict.violations),
            }
            days.append(body)
        return {"days": days, "kpis": self.kpis()}

    def kpis(self) -> dict[str, Any]:
        ks = [o.schedule.kpis for _, o in self.days]
        served = sum(k["visits_served"] for k in ks)
        continuity = [
            (k["continuity_pct"], k["visits_served"]) for k in ks if k["continuity_pct"] is not None
        ]
        weight = sum(n for _, n in continuity)
        return {
            "visits_requested": sum(k["visits_requested"] for k in ks),
            "visits_served": served,
            "travel_minutes": sum(k["travel_minutes"] for k in ks),
            "continuity_pct": round(sum(c * n for c, n in continuity) / weight, 1)
            if weight
            else None,
            "all_feasible": all(o.verdict.ok for _, o in self.days),
        }


def occurrences(
    visits: list[dict[str, Any]], working: list[int]
) -> dict[int, list[dict[str, Any]]]:
    """Day index -> visit requests that day; ``days`` are fixed weekdays, ``per_week`` is spread."""
    out: dict[int, list[dict[str, Any]]] = {d: [] for d in working}
    for visit in sorted(visits, key=lambda v: -int(v.get("per_week") or 0)):
        for d in _days_for(visit, working, out):
            out[d].append(dict(visit, id=f"{visit['id']}@{DAYS[d]}", series=visit["id"]))
    return out


def _days_for(visit: dict[str, Any], working: list[int], load: dict[int, list[Any]]) -> list[int]:
    if visit.get("days"):
        days = [DAYS.index(d) if isinstance(d, str) else int(d) for d in visit["days"]]
        bad = [d for d in days if d not in working]
        if bad:
            raise InvalidInput(
                f"visit {visit.get('id')}: no team works on {[DAYS[d] for d in bad]}",
                where=f"visits.{visit.get('id')}.days",
                example='["mon", "thu"]',
            )
        return days
    n = int(visit.get("per_week") or 1)
    step = max(1, len(working) // n)
    options = [
        [working[(k + i * step) % len(working)] for i in range(n)] for k in range(len(working))
    ]
    return min(options, key=lambda ds: (sum(len(load[d]) for d in ds), ds))


def plan_week(requests: dict[str, Any], *, time_limit: float = 30.0, seed: int = 1) -> Week:
    start = dt.date.fromisoformat(str(requests.get("week_start") or requests.get("date")))
    working = sorted({int(d) for p in requests["professionals"] for d in p.get("days", range(5))})
    by_day = occurrences(requests["visits"], working)
    first_by: dict[str, str] = {}
    out = []
    for d in working:
        visits = [
            dict(v, preferred=v.get("preferred") or first_by.get(v["series"])) for v in by_day[d]
        ]
        staff = [p for p in requests["professionals"] if d in p.get("days", range(5))]
        day = {
            "date": (start + dt.timedelta(days=d)).isoformat(),
            "professionals": staff,
            "visits": visits,
        }
        outcome = plan.plan_request(day, time_limit=time_limit / len(working), seed=seed)
        for route in outcome.schedule.routes:
            for stop in route.stops:
                first_by.setdefault(stop.visit.rsplit("@", 1)[0], route.professional)
        out.append((str(day["date"]), outcome))
    return Week(tuple(out))
