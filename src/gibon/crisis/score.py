"""Transparent triage: points per indicator, decayed by age, plus named combinations.

Two forms of one rule: ``score_frame`` scores a whole district at once (polars) and ``explain``
gives one household's score line by line in Korean, each line naming the signal's source. A test
holds them equal. Repeated signals of one indicator count once (the most recent), so a chattering
device cannot push a household up the list on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from gibon.crisis import indicators
from gibon.crisis.indicators import Combination, Weights


@dataclass(frozen=True)
class Signal:
    indicator: str
    observed_on: date
    source: str


@dataclass(frozen=True)
class Reason:
    text: str
    points: int
    indicator: str | None = None


def decay(weights: Weights, age_days: int) -> float:
    return float(0.5 ** (age_days / weights.half_life_days))


def counts(weights: Weights, age_days: int) -> bool:
    return 0 <= age_days <= weights.window_days


def explain(
    signals: list[Signal], living_alone: bool, head_age: int, weights: Weights, as_of: date
) -> tuple[int, list[Reason]]:
    """One household's score and its reasons, most points first."""
    latest: dict[str, Signal] = {}
    for s in signals:
        age = (as_of - s.observed_on).days
        if counts(weights, age) and (
            s.indicator not in latest or s.observed_on > latest[s.indicator].observed_on
        ):
            latest[s.indicator] = s
    reasons = [_line(s, weights, as_of) for s in latest.values()]
    for combo in weights.combinations:
        if _combo_holds(combo, set(latest), living_alone, head_age):
            reasons.append(Reason(f"조합: {combo.label} +{combo.points}점", combo.points))
    total = sum(r.points for r in reasons)
    return total, sorted(reasons, key=lambda r: -r.points)


def _line(s: Signal, weights: Weights, as_of: date) -> Reason:
    ind = indicators.catalogue()[s.indicator]
    base = weights.points.get(s.indicator, 0)
    age = (as_of - s.observed_on).days
    pts = int(base * decay(weights, age) + 0.5)
    text = (
        f"{ind.label} {base}점 × 최근성 {decay(weights, age):.2f} = {pts}점 "
        f"— {ind.agency}, {s.observed_on.isoformat()} 기준 ({ind.legal})"
    )
    return Reason(text, pts, s.indicator)


def _combo_holds(combo: Combination, present: set[str], alone: bool, age: int) -> bool:
    if combo.living_alone and not alone:
        return False
    if combo.min_age and age < combo.min_age:
        return False
    if any(not present.intersection(group) for group in combo.any_of):
        return False
    return not combo.among or len(present.intersection(combo.among)) >= combo.min_distinct


def score_frame(
    signals: pl.DataFrame, households: pl.DataFrame, weights: Weights, as_of: date
) -> pl.DataFrame:
    """household_id, score for every household with a counting signal (``signals``: household_id,
    indicator, observed_on; ``households``: household_id, living_alone, head_age)."""
    age = (pl.lit(as_of) - pl.col("observed_on")).dt.total_days()
    recent = (
        signals.lazy()
        .with_columns(age.alias("age"))
        .filter((pl.col("age") >= 0) & (pl.col("age") <= weights.window_days))
        .group_by("household_id", "indicator")
        .agg(pl.col("age").min())
    )
    pts = pl.col("indicator").replace_strict(weights.points, default=0, return_dtype=pl.Float64)
    per = recent.with_columns(
        (pts * (0.5 ** (pl.col("age") / weights.half_life_days)) + 0.5).floor().alias("pts")
    )
    base = per.group_by("household_id").agg(
        pl.col("pts").sum().alias("base"), pl.col("indicator").alias("present")
    )
    frame = base.join(households.lazy(), on="household_id", how="left").collect()
    bonus = pl.lit(0)
    for combo in weights.combinations:
        bonus = bonus + pl.when(_combo_expr(combo)).then(combo.points).otherwise(0)
    return frame.select(
        "household_id", (pl.col("base") + bonus).cast(pl.Int64).alias("score")
    ).sort("household_id")


def _combo_expr(combo: Combination) -> pl.Expr:
    cond = pl.lit(True)
    if combo.living_alone:
        cond = cond & pl.col("living_alone").fill_null(False)
    if combo.min_age:
        cond = cond & (pl.col("head_age").fill_null(0) >= combo.min_age)
    for group in combo.any_of:
        cond = cond & pl.col("present").list.eval(pl.element().is_in(list(group))).list.any()
    if combo.among:
        hits = pl.col("present").list.eval(pl.element().is_in(list(combo.among))).list.sum()
        cond = cond & (hits >= combo.min_distinct)
    return cond


def due_days(weights: Weights, score: int) -> int:
    return weights.urgent_days if score >= weights.urgent else weights.due_days
