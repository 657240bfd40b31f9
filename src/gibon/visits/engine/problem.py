"""The home-visit planning problem: professionals, visit requests and the tasks a solver places.

Times are integer minutes after midnight of the planning day (benchmarks may use a finer integer
unit; nothing here assumes minutes). A visit needs one profession, or two: ``simultaneous``
(both start at the same moment, different people) or ``sequential`` (the second starts
``gap[0]``..``gap[1]`` after the first one started).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gibon.visits.engine.travel import TravelModel

PROFESSIONS = ("doctor", "nurse", "physio", "pharmacist", "social_worker")
PROFESSION_KO = {
    "doctor": "의사",
    "nurse": "간호사",
    "physio": "물리치료사",
    "pharmacist": "약사",
    "social_worker": "사회복지사",
}
MODES = ("walk", "transit", "car")
TOGETHER = ("simultaneous", "sequential")
PRIORITIES = (1, 2, 3)  # 1 = most urgent


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class Break:
    """``minutes`` of rest that must lie entirely inside [start, end]."""

    start: int
    end: int
    minutes: int


@dataclass(frozen=True)
class Professional:
    id: str
    profession: str
    skills: frozenset[str]
    shift: tuple[int, int]
    base: Point
    mode: str = "walk"
    max_visits: int = 12
    rest: Break | None = None
    max_overtime: int = 0


@dataclass(frozen=True)
class Need:
    profession: str
    minutes: int
    skills: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Fixed:
    """A task already under way at re-planning time: who does it, and when it started."""

    professional: str
    start: int


@dataclass(frozen=True)
class Visit:
    id: str
    location: Point
    needs: tuple[Need, ...]
    window: tuple[int, int]  # the (first) service must START inside the window
    resident: str = ""
    together: str | None = None
    gap: tuple[int, int] = (0, 0)
    priority: int = 2
    preferred: str | None = None
    late_cost: int = 0  # > 0: the window end is soft and each unit late costs this much
    fixed: tuple[Fixed | None, ...] = ()

    def fixed_for(self, need: int) -> Fixed | None:
        return self.fixed[need] if need < len(self.fixed) else None


@dataclass(frozen=True)
class Task:
    """One professional's part of a visit: what a solver places on a route."""

    visit: int
    need: int


@dataclass(frozen=True)
class Problem:
    date: str
    professionals: tuple[Professional, ...]
    visits: tuple[Visit, ...]
    travel: TravelModel
    continuity_cost: int = 30  # cost of a visit made by someone other than the preferred person
    overtime_cost: int = 3  # per minute past the shift end
    now: int = 0  # re-planning: nothing that has not started may start before this
    max_late_cost: int = 0  # soft windows: cost per unit of the largest lateness of any task
    tasks: tuple[Task, ...] = field(init=False)

    def __post_init__(self) -> None:
        tasks = tuple(
            Task(v, n) for v, visit in enumerate(self.visits) for n in range(len(visit.needs))
        )
        object.__setattr__(self, "tasks", tasks)

    def need(self, task: Task) -> Need:
        return self.visits[task.visit].needs[task.need]

    def visit_index(self) -> dict[str, int]:
        return {v.id: i for i, v in enumerate(self.visits)}

    def professional_index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.professionals)}


def can_do(professional: Professional, need: Need) -> bool:
    """The profession matches and the professional holds every skill the need asks for."""
    return professional.profession == need.profession and need.skills <= professional.skills


def eligible(problem: Problem, task: Task) -> list[int]:
    need = problem.need(task)
    return [i for i, p in enumerate(problem.professionals) if can_do(p, need)]


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_hhmm(text: object) -> int:
    """'09:30' -> 570; raises ValueError on anything else."""
    if not isinstance(text, str) or len(text.split(":")) != 2:
        raise ValueError(text)
    hours, minutes = (int(part) for part in text.split(":"))
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or hours * 60 + minutes > 24 * 60:
        raise ValueError(text)
    return hours * 60 + minutes


@dataclass(frozen=True)
class Vrptw:
    """A plain capacitated VRP with time windows (Solomon); index 0 is the depot."""

    name: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    demand: tuple[int, ...]
    ready: tuple[int, ...]
    due: tuple[int, ...]
    service: tuple[int, ...]
    capacity: int
    fleet: int
