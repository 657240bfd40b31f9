"""The day board as plain data for the pages: one timeline row per professional, route points."""

from __future__ import annotations

from dataclasses import dataclass

from gibon.visits.model import PROFESSION_KO, Problem, hhmm
from gibon.visits.result import Schedule

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


def _pct(minute: int) -> float:
    return round(100 * (minute - DAY[0]) / (DAY[1] - DAY[0]), 2)


def rows(problem: Problem, schedule: Schedule) -> list[Row]:
    profs = {p.id: p for p in problem.professionals}
    out = []
    for route in schedule.routes:
        prof = profs[route.professional]
        blocks = []
        for stop in route.stops:
            blocks.append(
                Block(
                    "travel",
                    "",
                    _pct(stop.arrive - stop.travel_minutes),
                    _pct(stop.arrive) - _pct(stop.arrive - stop.travel_minutes),
                    f"이동 {stop.travel_minutes}분",
                )
            )
            blocks.append(
                Block(
                    "visit",
                    stop.visit,
                    _pct(stop.start),
                    _pct(stop.end) - _pct(stop.start),
                    f"{stop.visit} {hhmm(stop.start)}-{hhmm(stop.end)}",
                )
            )
        if route.break_start is not None and prof.rest is not None:
            b = route.break_start
            blocks.append(
                Block(
                    "break",
                    "휴식",
                    _pct(b),
                    _pct(b + prof.rest.minutes) - _pct(b),
                    f"휴식 {hhmm(b)}-{hhmm(b + prof.rest.minutes)}",
                )
            )
        label = PROFESSION_KO.get(prof.profession, prof.profession)
        out.append(Row(route.professional, label, tuple(blocks), len(route.stops)))
    return out


def hours() -> list[tuple[str, float]]:
    return [(f"{h:02d}", _pct(h * 60)) for h in range(DAY[0] // 60, DAY[1] // 60 + 1)]


def route_points(problem: Problem, schedule: Schedule) -> dict[str, list[tuple[float, float]]]:
    """Professional -> [(lat, lon)] from base through each home and back."""
    profs = {p.id: p for p in problem.professionals}
    where = {v.id: v.location for v in problem.visits}
    out = {}
    for route in schedule.routes:
        if not route.stops:
            continue
        base = profs[route.professional].base
        points = [base, *(where[s.visit] for s in route.stops), base]
        out[route.professional] = [(p.lat, p.lon) for p in points]
    return out
