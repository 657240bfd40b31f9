"""The day board as plain data for the pages: one timeline row per professional, route points.

Built from the REQUESTS.json and the schedule JSON, so a stored plan shows exactly what was planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gibon.visits.engine.problem import PROFESSION_KO, parse_hhmm

DAY = (8 * 60, 19 * 60)  # the board shows 08:00-19:00


@dataclass(frozen=True)
class Block:
    kind: str  # visit | travel | break
    label: str
    left_pct: float
    width_pct: float
    title: str


@dataclass(frozen=True)
class Row:
    professional: str
    profession: str
    blocks: tuple[Block, ...]
    visits: int
    name: str  # the professional's name (their id when the requests name nobody)


def _pct(minute: int) -> float:
    return round(100 * (minute - DAY[0]) / (DAY[1] - DAY[0]), 2)


def _block(kind: str, label: str, start: int, end: int, title: str) -> Block:
    return Block(kind, label, _pct(start), round(_pct(end) - _pct(start), 2), title)


def visit_names(requests: dict[str, Any]) -> dict[str, str]:
    """Visit id -> the resident's name, where the requests name them (gathered days do)."""
    return {str(v["id"]): str(v["name"]) for v in requests["visits"] if v.get("name")}


def rows(requests: dict[str, Any], schedule: dict[str, Any]) -> list[Row]:
    people = {str(p["id"]): p for p in requests["professionals"]}
    who = visit_names(requests)
    out = []
    for route in schedule["routes"]:
        blocks = []
        for stop in route["stops"]:
            arrive, start, end = (parse_hhmm(stop[k]) for k in ("arrive", "start", "end"))
            leg = int(stop["travel_minutes"])
            name = who.get(stop["visit"], stop["visit"])
            blocks.append(_block("travel", "", arrive - leg, arrive, f"이동 {leg}분"))
            blocks.append(
                _block(
                    "visit",
                    name,
                    start,
                    end,
                    f"{name} {stop['start']}–{stop['end']} · 방문 {stop['visit']}",
                )
            )
        if route.get("break_start") and route.get("break_end"):
            b, e = parse_hhmm(route["break_start"]), parse_hhmm(route["break_end"])
            blocks.append(
                _block("break", "휴식", b, e, f"휴식 {route['break_start']}–{route['break_end']}")
            )
        me = people.get(route["professional"], {})
        kind = str(me.get("profession", ""))
        label = PROFESSION_KO.get(kind, kind)
        name = str(me.get("name") or route["professional"])
        out.append(Row(route["professional"], label, tuple(blocks), len(route["stops"]), name))
    return out


def hours() -> list[tuple[str, float]]:
    return [(f"{h:02d}", _pct(h * 60)) for h in range(DAY[0] // 60, DAY[1] // 60 + 1)]


def route_points(
    requests: dict[str, Any], schedule: dict[str, Any]
) -> dict[str, list[tuple[float, float]]]:
    """Professional -> [(lat, lon)] from base through each home and back."""
    base = {str(p["id"]): p["base"] for p in requests["professionals"]}
    where = {str(v["id"]): v["location"] for v in requests["visits"]}
    out = {}
    for route in schedule["routes"]:
        if not route["stops"] or route["professional"] not in base:
            continue
        home = base[route["professional"]]
        points = [home, *(where[s["visit"]] for s in route["stops"] if s["visit"] in where), home]
        out[route["professional"]] = [(float(p["lat"]), float(p["lon"])) for p in points]
    return out
