"""The baseline against official statistics: today's law on a Korea-profile sample, figure by figure.

Each simulated figure is scaled to Korea's registered population, carries a bootstrap standard
error (households resampled with Poisson(1) weights), and stands beside the official figure with
its year, source, gap and, where issue 18 sets one, a tolerance. The baseline runs through the
simulator's own per-household path (``chunk.scenario_table``), so what is validated is what
``gibon simulate`` computes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import numpy as np
import polars as pl
import yaml

from gibon.benefits.engine import inputs
from gibon.kit import places
from gibon.population import _generate
from gibon.simulator import chunk, metrics, takeup
from gibon.simulator import reform as reform_mod

REPLICATES = 40


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    unit: str  # share | index | ratio | persons | households | won_year
    simulated: float
    se: float  # bootstrap standard error of the simulated figure
    official: float | None
    year: str
    cite: str
    tolerance: float | None  # absolute for shares and indices, relative for counts and money
    status: str  # sourced | estimate

    @property
    def gap(self) -> float | None:
        return None if self.official is None else self.simulated - self.official

    @property
    def relative_gap(self) -> float | None:
        return None if not self.official else self.simulated / self.official - 1

    @property
    def verdict(self) -> str:
        if self.status != "sourced" or self.tolerance is None or self.gap is None:
            return "비교만"
        off = abs(self.relative_gap or 0.0) if _relative(self.unit) else abs(self.gap)
        return "허용 범위 안" if off <= self.tolerance else "허용 범위 밖"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "gap": self.gap, "verdict": self.verdict}


def _relative(unit: str) -> bool:
    return unit in ("persons", "households", "won_year")


@lru_cache(maxsize=1)
def official() -> dict[str, Any]:
    path = resources.files("gibon.data.validation").joinpath("official_kr.yaml")
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def korea_sample(persons: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A Korea-profile sample of ``persons`` persons (one chunk, or several concatenated)."""
    parts = list(_generate.generate_chunks(seed, persons, profile="korea"))
    return (
        pl.concat([p.households for p in parts]),
        pl.concat([p.persons for p in parts]),
    )


@dataclass(frozen=True)
class Baseline:
    """Per household: size, equivalised disposable income, persons aged 66+ and under 18, and
    each program's recipients (households and persons) and monthly cost, under today's law."""

    size: np.ndarray
    equivalised: np.ndarray
    table: pl.DataFrame
    ages: np.ndarray  # per person, at the law's month
    person_household: np.ndarray  # per person, its household's row
    persons: int

    @cached_property
    def aged_66(self) -> np.ndarray:
        return self._members(self.ages >= 66)

    @cached_property
    def children(self) -> np.ndarray:
        return self._members(self.ages < 18)

    def _members(self, who: np.ndarray) -> np.ndarray:
        """Per household, how many of its members ``who`` marks."""
        return np.bincount(self.person_household, weights=who, minlength=len(self.size))


def baseline(
    households: pl.DataFrame, persons: pl.DataFrame, month: str = "2026-06", seed: int = 1
) -> Baseline:
    start = inputs.month_start(month)
    setup = chunk.make_setup(reform_mod.BASELINE, start, takeup.load(), seed)
    hh, persons = chunk.at_month(setup, households, persons)
    system, tree = reform_mod.scenario(reform_mod.BASELINE)
    tax = chunk.household_taxes(tree, start, hh, persons)
    table = chunk.scenario_table(system, tax, setup, hh, households, persons)
    return Baseline(
        size=hh.size,
        equivalised=chunk.equivalised(table["disp"].to_numpy(), hh.size),
        table=table,
        ages=_ages(persons, start),
        person_household=hh.person_household,
        persons=int(hh.size.sum()),
    )


def _ages(persons: pl.DataFrame, month: dt.date) -> np.ndarray:
    from gibon.simulator import taxes

    return persons.select(taxes.age_at(month)).to_series().to_numpy()


# --- distribution figures, each a function of (baseline, household weights) -------------------


def _hist(b: Baseline, w: np.ndarray, who: np.ndarray) -> pl.DataFrame:
    frame = pl.DataFrame({"value": b.equivalised, "persons": who * w})
    return frame.group_by("value").agg(pl.col("persons").sum()).sort("value")


def _poverty(b: Baseline, w: np.ndarray) -> float:
    return metrics.distribution(_hist_int(b, w, b.size)).poverty_rate


def _hist_int(b: Baseline, w: np.ndarray, who: np.ndarray) -> pl.DataFrame:
    # metrics expects integer person counts: scale the (Poisson, integer) weights exactly
    return _hist(b, w.astype(np.int64), who.astype(np.int64))


def _poverty_among(b: Baseline, w: np.ndarray, who: np.ndarray) -> float:
    line = metrics.distribution(_hist_int(b, w, b.size)).poverty_line
    weight = who * w
    total = weight.sum()
    return float(weight[b.equivalised < line].sum() / total) if total else 0.0


def _gini(b: Baseline, w: np.ndarray) -> float:
    return metrics.distribution(_hist_int(b, w, b.size)).gini


def _quintile_ratio(b: Baseline, w: np.ndarray) -> float:
    """Mean equivalised income of the top 20 % of persons over that of the bottom 20 %."""
    order = np.argsort(b.equivalised, kind="stable")
    x = b.equivalised[order].astype(np.float64)
    pw = (b.size * w)[order].astype(np.float64)
    cum = np.cumsum(pw)
    total = cum[-1]
    low = _mean_between(x, pw, cum, 0.0, 0.2 * total)
    high = _mean_between(x, pw, cum, 0.8 * total, total)
    return high / low if low > 0 else float("inf")


def _mean_between(x: np.ndarray, w: np.ndarray, cum: np.ndarray, a: float, b: float) -> float:
    """Weighted mean of the persons between cumulative weight a and b (fractional at the ends)."""
    start = cum - w
    take = np.clip(np.minimum(cum, b) - np.maximum(start, a), 0, None)
    return float(np.dot(take, x) / take.sum()) if take.sum() else 0.0


def decile_shares(b: Baseline) -> list[float]:
    """Each tenth of persons' share of all equivalised income (poorest first)."""
    order = np.argsort(b.equivalised, kind="stable")
    x = np.maximum(b.equivalised[order], 0).astype(np.float64)
    pw = b.size[order].astype(np.float64)
    cum = np.cumsum(pw)
    total, income = cum[-1], float(np.dot(x, pw))
    start = cum - pw
    out = []
    for k in range(10):
        a, z = total * k / 10, total * (k + 1) / 10
        take = np.clip(np.minimum(cum, z) - np.maximum(start, a), 0, None)
        out.append(float(np.dot(take, x) / income) if income else 0.0)
    return out


DISTRIBUTION = {
    "poverty_rate": _poverty,
    "poverty_rate_66": lambda b, w: _poverty_among(b, w, b.aged_66),
    "poverty_rate_children": lambda b, w: _poverty_among(b, w, b.children),
    "gini": _gini,
    "quintile_ratio": _quintile_ratio,
}


# --- the sample's age structure ------------------------------------------------------------------


def _persons_aged(ages: list[int], b: Baseline) -> Callable[[np.ndarray], float]:
    """Persons whose age at the law's month is within ``ages`` (inclusive), under household
    weights ``w`` (unscaled)."""
    low, high = ages
    inside = (b.ages >= low) & (b.ages <= high)
    return lambda w: float(np.dot(inside, w[b.person_household]))


# --- programs ------------------------------------------------------------------------------------


def _program_figure(b: Baseline, w: np.ndarray, spec: dict[str, Any], scale: float) -> float:
    t = b.table
    got = np.zeros(t.height, dtype=bool)
    persons = np.zeros(t.height, dtype=np.int64)
    cost = np.zeros(t.height, dtype=np.int64)
    for pid in spec["programs"]:
        received = t[f"{pid}:recipients"].to_numpy().astype(bool)
        got |= received
        persons = np.maximum(persons, t[f"{pid}:recipient_persons"].to_numpy())
        cost += t[f"{pid}:cost"].to_numpy()
    unit = spec["unit"]
    if unit == "households":
        value = float(np.dot(got, w))
    elif unit == "won_year":
        value = float(np.dot(cost, w)) * 12
    else:
        value = float(np.dot(persons, w))
    return value * scale


# --- the report ---------------------------------------------------------------------------------


def rows(b: Baseline, replicates: int = REPLICATES, seed: int = 1) -> list[Row]:
    """Every official figure beside the simulated one, with a bootstrap standard error."""
    rng = np.random.default_rng(seed)
    ones = np.ones(len(b.size), dtype=np.int64)
    draws = [rng.poisson(1.0, len(b.size)) for _ in range(replicates)]
    national = sum(s.population_2024 for s in places.sidos())
    spec = official()
    out = []
    dist = spec["distribution"]
    for r in dist["rows"]:
        fn = DISTRIBUTION[r["key"]]
        out.append(_row(r, fn(b, ones), [fn(b, w) for w in draws], dist["year"], "sourced"))

    def scale(w: np.ndarray) -> float:
        """Sample counts to Korea's: the registered population over the weighted persons."""
        return national / max(float(np.dot(b.size, w)), 1.0)

    population = spec["population"]
    for r in population["rows"]:
        count = _persons_aged(r["ages"], b)

        def aged(w: np.ndarray, count: Callable[[np.ndarray], float] = count) -> float:
            return count(w) * scale(w)

        out.append(_row(r, aged(ones), [aged(w) for w in draws], population["year"], "sourced"))
    for r in spec["programs"]:

        def fig(w: np.ndarray, r: dict[str, Any] = r) -> float:
            return _program_figure(b, w, r, scale(w))

        status = str(r.get("status", "sourced"))
        out.append(_row(r, fig(ones), [fig(w) for w in draws], str(r["year"]), status))
    return out


def _row(spec: dict[str, Any], value: float, reps: list[float], year: str, status: str) -> Row:
    return Row(
        key=spec["key"],
        label=spec["label"],
        unit=spec["unit"],
        simulated=value,
        se=float(np.std(reps, ddof=1)) if len(reps) > 1 else 0.0,
        official=float(spec["value"]) if spec.get("value") is not None else None,
        year=year,
        cite=str(spec.get("cite", "")),
        tolerance=spec.get("tolerance"),
        status=status,
    )
