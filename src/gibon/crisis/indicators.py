"""The 위기정보 indicators (one data file) and the triage weights (versioned data), parsed and checked."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gibon.errors import InvalidInput

DATA = Path(__file__).resolve().parent.parent / "data" / "crisis"
SOURCES = ("national_list", "device", "call", "report", "registry")
STATUSES = ("law", "annex", "program", "registry", "report")


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    source: str
    agency: str
    legal: str
    status: str


@dataclass(frozen=True)
class Combination:
    id: str
    label: str
    points: int
    any_of: tuple[tuple[str, ...], ...] = ()
    among: tuple[str, ...] = ()
    min_distinct: int = 0
    living_alone: bool = False
    min_age: int = 0


@dataclass(frozen=True)
class Weights:
    version: int
    note: str
    threshold: int
    urgent: int
    due_days: int
    urgent_days: int
    half_life_days: int
    window_days: int
    points: dict[str, int]
    combinations: tuple[Combination, ...]
    min_attempts: int
    min_visits: int
    min_days: int

    def as_data(self) -> dict[str, Any]:
        """The YAML/JSON form (what is stored per version)."""
        return {
            "version": self.version,
            "note": self.note,
            "threshold": self.threshold,
            "urgent": self.urgent,
            "due_days": self.due_days,
            "urgent_days": self.urgent_days,
            "half_life_days": self.half_life_days,
            "window_days": self.window_days,
            "points": dict(self.points),
            "combinations": [_combo_data(c) for c in self.combinations],
            "unreachable": {
                "min_attempts": self.min_attempts,
                "min_visits": self.min_visits,
                "min_days": self.min_days,
            },
        }


def _combo_data(c: Combination) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.id, "label": c.label, "points": c.points}
    if c.any_of:
        out["any_of"] = [list(g) for g in c.any_of]
    if c.among:
        out["among"] = list(c.among)
        out["min_distinct"] = c.min_distinct
    if c.living_alone:
        out["living_alone"] = True
    if c.min_age:
        out["min_age"] = c.min_age
    return out


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Indicator]:
    """Every indicator, by id, from indicators.yaml."""
    raw = yaml.safe_load((DATA / "indicators.yaml").read_text(encoding="utf-8"))
    out = {}
    for key, item in raw["indicators"].items():
        ind = Indicator(id=str(key), **{k: str(v) for k, v in item.items()})
        if ind.source not in SOURCES or ind.status not in STATUSES:
            raise InvalidInput(
                "unknown source or status", where=f"indicators.yaml: {key}", example="law"
            )
        out[ind.id] = ind
    return out


def of_source(source: str) -> list[Indicator]:
    return [i for i in catalogue().values() if i.source == source]


def require(indicator: str, where: str) -> Indicator:
    """The indicator, or a Korean error naming the field with valid examples."""
    found = catalogue().get(indicator)
    if found is None:
        raise InvalidInput(
            f"알 수 없는 위기정보 지표입니다: '{indicator[:40]}'",
            where=where,
            example="power_cut (단전), health_premium_arrears (건강보험료 체납)",
        )
    return found


@lru_cache(maxsize=1)
def default_weights() -> Weights:
    data = yaml.safe_load((DATA / "weights.yaml").read_text(encoding="utf-8"))
    return parse_weights(data, "weights.yaml")


def parse_weights(raw: Any, where: str) -> Weights:
    """Check a weights document (from YAML or JSON); every error names the key."""
    if not isinstance(raw, dict):
        raise InvalidInput("가중치는 키-값 문서여야 합니다", where=where, example="threshold: 40")
    points = raw.get("points") or {}
    if not isinstance(points, dict):
        raise InvalidInput("points는 지표별 점수 목록입니다", where=f"{where}: points")
    for key, value in points.items():
        require(str(key), f"{where}: points.{key}")
        _int(value, f"{where}: points.{key}", 0, 200)
    gate = raw.get("unreachable") or {}
    return Weights(
        version=_int(raw.get("version", 1), f"{where}: version", 1, 1_000_000),
        note=str(raw.get("note") or "")[:200],
        threshold=_int(raw.get("threshold"), f"{where}: threshold", 1, 1000),
        urgent=_int(raw.get("urgent"), f"{where}: urgent", 1, 1000),
        due_days=_int(raw.get("due_days"), f"{where}: due_days", 1, 90),
        urgent_days=_int(raw.get("urgent_days"), f"{where}: urgent_days", 0, 30),
        half_life_days=_int(raw.get("half_life_days"), f"{where}: half_life_days", 1, 3650),
        window_days=_int(raw.get("window_days"), f"{where}: window_days", 1, 3650),
        points={str(k): int(v) for k, v in points.items()},
        combinations=tuple(
            _combo(c, f"{where}: combinations[{i}]")
            for i, c in enumerate(raw.get("combinations") or [])
        ),
        min_attempts=_int(gate.get("min_attempts", 3), f"{where}: unreachable.min_attempts", 1, 20),
        min_visits=_int(gate.get("min_visits", 1), f"{where}: unreachable.min_visits", 0, 20),
        min_days=_int(gate.get("min_days", 7), f"{where}: unreachable.min_days", 0, 90),
    )


def _combo(raw: Any, where: str) -> Combination:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("label"):
        raise InvalidInput(
            "조합에는 id, label, points가 있어야 합니다",
            where=where,
            example="{id: cut_arrears_alone, label: 단전+체납+1인 가구, points: 30}",
        )
    groups = tuple(tuple(str(x) for x in g) for g in raw.get("any_of") or [])
    among = tuple(str(x) for x in raw.get("among") or [])
    for name in [x for g in groups for x in g] + list(among):
        require(name, f"{where}: {name}")
    return Combination(
        id=str(raw["id"]),
        label=str(raw["label"]),
        points=_int(raw.get("points"), f"{where}: points", 0, 200),
        any_of=groups,
        among=among,
        min_distinct=int(raw.get("min_distinct") or 0),
        living_alone=bool(raw.get("living_alone")),
        min_age=int(raw.get("min_age") or 0),
    )


def _int(value: Any, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(
            f"{low}에서 {high} 사이의 정수여야 합니다", where=where, example=str(max(low, 1))
        )
    return value
