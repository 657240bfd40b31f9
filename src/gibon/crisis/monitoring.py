"""Monitoring methods, least intrusive first, and a household's own no-activity threshold.

Pure (no database). The methods and their order live in ``data/crisis/monitoring.yaml`` with the
reasoning (개인정보 보호법 제3조①⑥). A sensor's alert threshold is chosen from the household's
own history: a high percentile of its daily longest no-activity gaps. gibon holds no real sensor
data, so the history is the synthetic district's: drawn per household from a seed fixed by the
household id, and labelled synthetic wherever it is shown.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import yaml

from gibon.crisis import indicators


@dataclass(frozen=True)
class Method:
    id: str
    rank: int
    label: str
    collects: str
    continuous: bool
    indicator: str | None
    hours: bool


@dataclass(frozen=True)
class Suggestion:
    hours: int
    percentile: int
    observed: float
    days: int
    basis: str


@lru_cache(maxsize=1)
def _data() -> dict[str, object]:
    raw: dict[str, object] = yaml.safe_load(
        (indicators.DATA / "monitoring.yaml").read_text(encoding="utf-8")
    )
    return raw


@lru_cache(maxsize=1)
def methods() -> tuple[Method, ...]:
    """Every method, least intrusive first."""
    rows = _data()["methods"]
    assert isinstance(rows, list)
    return tuple(
        Method(
            id=str(r["id"]),
            rank=i + 1,
            label=str(r["label"]),
            collects=str(r["collects"]),
            continuous=bool(r["continuous"]),
            indicator=str(r["indicator"]) if r.get("indicator") else None,
            hours=bool(r["hours"]),
        )
        for i, r in enumerate(rows)
    )


def by_id() -> dict[str, Method]:
    return {m.id: m for m in methods()}


def method_of_indicator(indicator: str) -> Method | None:
    return next((m for m in methods() if m.indicator == indicator), None)


def _suggest_conf() -> dict[str, int]:
    conf = _data()["suggest"]
    assert isinstance(conf, dict)
    return {str(k): int(v) for k, v in conf.items()}


def activity_gaps(household_id: str, head_age: int, days: int | None = None) -> np.ndarray:
    """The household's daily longest no-activity gap in hours over ``days`` days (synthetic).

    Night rest lengthens with age; some days the person is out (work, a night away). Seeded by
    the household id, so the same household always shows the same history."""
    days = days or _suggest_conf()["history_days"]
    seed = int.from_bytes(hashlib.sha256(household_id.encode()).digest()[:8], "big")
    rng = np.random.default_rng(seed)
    rest = 7.0 + 0.05 * max(head_age - 30, 0) + rng.normal(0, 0.8)
    night = rng.normal(rest, 1.0, size=days).clip(3, 20)
    away_share = 0.15 if head_age < 65 else 0.05
    away = rng.random(days) < away_share
    trip = rng.lognormal(math.log(14 if head_age < 65 else 10), 0.35, size=days)
    gaps: np.ndarray = np.where(away, np.maximum(night, trip), night)
    return gaps.round(1)


def suggest_hours(gaps: np.ndarray) -> Suggestion:
    """The threshold from a history: its high percentile rounded up, within the allowed range."""
    conf = _suggest_conf()
    observed = float(np.percentile(gaps, conf["percentile"])) if len(gaps) else 0.0
    hours = min(max(math.ceil(observed), conf["min_hours"]), conf["max_hours"])
    basis = (
        f"최근 {len(gaps)}일 하루 최장 무활동 시간의 {conf['percentile']}번째 백분위 "
        f"{observed:.1f}시간 → {hours}시간 (합성 이력)"
    )
    return Suggestion(hours, conf["percentile"], round(observed, 1), len(gaps), basis)


def hours_range() -> tuple[int, int]:
    conf = _suggest_conf()
    return conf["min_hours"], conf["max_hours"] * 2


def alerts_at(gaps: np.ndarray, hours: int) -> int:
    """How many days of the history would have raised an alert at ``hours``."""
    return int((gaps >= hours).sum())
