"""The validation report: which visits cannot be planned and why, before any solver runs."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from gibon.visits import geo
from gibon.visits.engine.problem import PROFESSION_KO, Problem, Visit, can_do, hhmm
from gibon.visits.engine.result import Unscheduled


def validate(
    problem: Problem, check_district: bool = True
) -> tuple[Problem, tuple[Unscheduled, ...], tuple[str, ...]]:
    """The problem without the visits that cannot be made, the rejected visits, and warnings."""
    known = {p.id for p in problem.professionals}
    warnings, kept, rejected = [], [], []
    reach = _reach(problem)
    for i, visit in enumerate(problem.visits):
        if visit.preferred and visit.preferred not in known:
            warnings.append(
                f"{visit.id}: 선호 전문인력 '{visit.preferred}'가 명단에 없어 선호를 무시함"
            )
            visit = replace(visit, preferred=None)
        problem_found = (
            None if any(visit.fixed) else _problem_with(problem, i, visit, reach, check_district)
        )
        if problem_found is None:
            kept.append(visit)
        else:
            rejected.append(Unscheduled(visit.id, problem_found[1], problem_found[0]))
    return replace(problem, visits=tuple(kept)), tuple(rejected), tuple(warnings)


def _problem_with(
    problem: Problem, i: int, visit: Visit, reach: np.ndarray, check_district: bool
) -> tuple[str, str] | None:
    if check_district and geo.dong_of(visit.location) is None:
        return (
            "outside_district",
            f"위치 ({visit.location.lat}, {visit.location.lon})가 관악구 밖임",
        )
    spans = []
    for need in visit.needs:
        able = [p for p, prof in enumerate(problem.professionals) if can_do(prof, need)]
        label = PROFESSION_KO.get(need.profession, need.profession)
        if not able:
            extra = f" (기술: {', '.join(sorted(need.skills))})" if need.skills else ""
            return "no_professional", f"{label}{extra} 조건을 갖춘 전문인력이 명단에 없음"
        span = {p: _start_span(problem, p, i, need.minutes, visit, reach) for p in able}
        span = {p: s for p, s in span.items() if s[0] <= s[1]}
        if not span:
            return "out_of_reach", (
                f"시간창 {hhmm(visit.window[0])}-{hhmm(visit.window[1])} 안에 근무시간·이동시간상 "
                f"도착할 수 있는 {label}가 없음"
            )
        spans.append(span)
    if len(spans) == 2 and not _pair_possible(visit, spans[0], spans[1]):
        return (
            "impossible_window",
            "두 전문인력이 요구된 동시/순차 간격으로 방문할 수 있는 시간이 없음",
        )
    return None


def _start_span(
    problem: Problem, p: int, i: int, minutes: int, visit: Visit, reach: np.ndarray
) -> tuple[int, int]:
    prof = problem.professionals[p]
    go, back = int(reach[p, i, 0]), int(reach[p, i, 1])
    earliest = max(visit.window[0], prof.shift[0] + go)
    latest = prof.shift[1] + prof.max_overtime - minutes - back
    if not visit.late_cost:
        latest = min(latest, visit.window[1])
    return earliest, latest


def _pair_possible(
    visit: Visit, first: dict[int, tuple[int, int]], second: dict[int, tuple[int, int]]
) -> bool:
    low, high = (0, 0) if visit.together == "simultaneous" else visit.gap
    for p, (a0, b0) in first.items():
        for q, (a1, b1) in second.items():
            if visit.together == "simultaneous" and p == q:
                continue
            if max(a1 - b0, low) <= min(b1 - a0, high):
                return True
    return False


def _reach(problem: Problem) -> np.ndarray:
    """reach[professional, visit] = (minutes base->home, minutes home->base) in their own mode."""
    n_prof = len(problem.professionals)
    points = [p.base for p in problem.professionals] + [v.location for v in problem.visits]
    out = np.zeros((n_prof, len(problem.visits), 2), dtype=np.int64)
    if not problem.visits:
        return out
    for mode in {x.mode for x in problem.professionals}:
        matrix = problem.travel.matrix(points, mode)
        rows = [p for p, x in enumerate(problem.professionals) if x.mode == mode]
        out[rows, :, 0] = matrix[rows, n_prof:]
        out[rows, :, 1] = matrix[n_prof:, rows].T
    return out
