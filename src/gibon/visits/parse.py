"""Read the REQUESTS.json format into a Problem: roster errors stop, bad visits are reported."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gibon.errors import InvalidInput
from gibon.visits import validate
from gibon.visits.engine.problem import (
    MODES,
    PRIORITIES,
    PROFESSIONS,
    TOGETHER,
    Break,
    Need,
    Point,
    Problem,
    Professional,
    Visit,
    parse_hhmm,
)
from gibon.visits.engine.result import Unscheduled
from gibon.visits.engine.travel import DetourTravel, TravelModel

PRO_EXAMPLE = (
    '{"id": "n1", "profession": "nurse", "skills": ["wound"], "shift": ["09:00", "18:00"], '
    '"break": {"window": ["12:00", "14:00"], "minutes": 60}, "base": {"lat": 37.4784, "lon": 126.9511}, '
    '"mode": "walk", "max_visits": 8}'
)
VISIT_EXAMPLE = (
    '{"id": "v1", "resident": "r1", "location": {"lat": 37.47, "lon": 126.94}, '
    '"needs": [{"profession": "nurse", "skills": [], "minutes": 30}], "window": ["10:00", "12:00"], '
    '"priority": 2, "preferred": null}'
)


class VisitError(ValueError):
    """One visit is malformed; it is reported and left out, the rest is planned."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class Parsed:
    problem: Problem
    rejected: tuple[Unscheduled, ...]
    warnings: tuple[str, ...]
    requested: tuple[str, ...]


def parse(data: Any, travel: TravelModel | None = None, check_district: bool = True) -> Parsed:
    if not isinstance(data, dict) or not isinstance(data.get("visits"), list):
        raise InvalidInput(
            "the request needs 'date', 'professionals' and 'visits'",
            where="$",
            example='{"date": "2026-06-01", "professionals": [...], "visits": [...]}',
        )
    raw_profs = data.get("professionals")
    if not isinstance(raw_profs, list) or not raw_profs:
        raise InvalidInput(
            "at least one professional is needed", where="professionals", example=PRO_EXAMPLE
        )
    professionals = tuple(parse_professional(p, i) for i, p in enumerate(raw_profs))
    _unique([p.id for p in professionals], "professionals")
    visits, rejected, requested = _parse_visits(data["visits"])
    problem = Problem(
        str(data.get("date", "")), professionals, tuple(visits), travel or DetourTravel()
    )
    problem, more, warnings = validate.validate(problem, check_district=check_district)
    return Parsed(problem, tuple(rejected) + more, warnings, tuple(requested))


def _parse_visits(raw: list[Any]) -> tuple[list[Visit], list[Unscheduled], list[str]]:
    visits, rejected, requested, seen = [], [], [], set()
    for i, item in enumerate(raw):
        vid = str(item.get("id", f"visits[{i}]")) if isinstance(item, dict) else f"visits[{i}]"
        requested.append(vid)
        try:
            if vid in seen:
                raise VisitError("duplicate_id", f"방문 id '{vid}'가 중복됨")
            seen.add(vid)
            visits.append(parse_visit(item))
        except VisitError as exc:
            rejected.append(Unscheduled(vid, exc.reason, exc.code))
    return visits, rejected, requested


def _unique(ids: list[str], where: str) -> None:
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InvalidInput(f"duplicate ids: {', '.join(dupes)}", where=where, example=PRO_EXAMPLE)


def parse_professional(raw: Any, i: int) -> Professional:
    where = f"professionals[{i}]"
    try:
        where = f"professionals[{i}] ({raw['id']})"
        profession = raw["profession"]
        if profession not in PROFESSIONS:
            raise InvalidInput(
                f"unknown profession '{profession}'; one of {', '.join(PROFESSIONS)}",
                where=f"{where}.profession",
                example=PRO_EXAMPLE,
            )
        mode = raw.get("mode", "walk")
        if mode not in MODES:
            raise InvalidInput(
                f"unknown mode '{mode}'; one of {', '.join(MODES)}",
                where=f"{where}.mode",
                example=PRO_EXAMPLE,
            )
        shift = _window(raw["shift"])
        return Professional(
            id=str(raw["id"]),
            profession=profession,
            skills=frozenset(raw.get("skills") or ()),
            shift=shift,
            base=_point(raw["base"]),
            mode=mode,
            max_visits=int(raw.get("max_visits", 12)),
            rest=_break(raw.get("break"), shift),
            max_overtime=int(raw.get("max_overtime", 0)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(
            f"malformed professional ({type(exc).__name__}: {exc})",
            where=where,
            example=PRO_EXAMPLE,
        ) from exc


def parse_visit(raw: Any) -> Visit:
    if not isinstance(raw, dict):
        raise VisitError("bad_field", "방문 항목이 객체(JSON object)가 아님")
    if "location" in raw and raw["location"] is None:
        problem = str(raw.get("address_problem") or "주소가 없음")
        raise VisitError("no_address", f"주소를 지도 위에 놓을 수 없어 계획하지 못함: {problem}")
    try:
        needs = tuple(_need(n) for n in raw["needs"])
        window = _window(raw["window"])
        visit = Visit(
            id=str(raw["id"]),
            resident=str(raw.get("resident", "")),
            location=_point(raw["location"]),
            needs=needs,
            window=window,
            together=raw.get("together"),
            gap=tuple(int(g) for g in raw.get("gap_minutes") or (0, 0)),  # type: ignore[arg-type]
            priority=int(raw.get("priority", 2)),
            preferred=raw.get("preferred") or None,
        )
    except VisitError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise VisitError(
            "bad_field", f"형식이 잘못된 항목 ({type(exc).__name__}: {exc}); 예: {VISIT_EXAMPLE}"
        ) from exc
    if visit.together == "sequential" and not raw.get("gap_minutes"):
        raise VisitError(
            "bad_field", "순차 방문에는 gap_minutes [최소, 최대] (첫 방문 시작부터 분)가 필요함"
        )
    _shape(visit)
    return visit


def _shape(visit: Visit) -> None:
    if not 1 <= len(visit.needs) <= 2:
        raise VisitError("bad_field", "needs에는 전문인력 1명 또는 2명이 필요함")
    if len(visit.needs) == 2 and visit.together not in TOGETHER:
        raise VisitError(
            "bad_field", "전문인력 2명이면 together가 'simultaneous' 또는 'sequential'이어야 함"
        )
    if visit.priority not in PRIORITIES:
        raise VisitError("bad_field", f"priority {visit.priority}: 1, 2, 3 중 하나여야 함")
    if visit.window[1] < visit.window[0]:
        raise VisitError("impossible_window", f"시간창 끝이 시작보다 빠름 ({visit.window})")
    if len(visit.gap) != 2 or visit.gap[0] > visit.gap[1]:
        raise VisitError(
            "impossible_window", f"gap_minutes {list(visit.gap)}: [최소, 최대] 순서여야 함"
        )


def _need(raw: Any) -> Need:
    profession = raw["profession"]
    if profession not in PROFESSIONS:
        raise VisitError(
            "unknown_profession", f"알 수 없는 직종 '{profession}' (가능: {', '.join(PROFESSIONS)})"
        )
    minutes = int(raw["minutes"])
    if minutes <= 0:
        raise VisitError("bad_field", f"방문 시간 {minutes}분: 양수여야 함")
    return Need(profession, minutes, frozenset(raw.get("skills") or ()))


def _point(raw: Any) -> Point:
    return Point(float(raw["lat"]), float(raw["lon"]))


def _window(raw: Any) -> tuple[int, int]:
    if not isinstance(raw, list | tuple) or len(raw) != 2:
        raise ValueError(f"expected ['HH:MM', 'HH:MM'], got {raw!r}")
    return parse_hhmm(raw[0]), parse_hhmm(raw[1])


def _break(raw: Any, shift: tuple[int, int]) -> Break | None:
    if raw is None:
        return None
    start, end = _window(raw["window"])
    minutes = int(raw["minutes"])
    if minutes <= 0 or end - start < minutes or start < shift[0] or end > shift[1]:
        raise ValueError(f"break {raw!r} does not fit in its window inside the shift")
    return Break(start, end, minutes)
