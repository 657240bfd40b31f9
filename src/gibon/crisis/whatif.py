"""What a threshold change would have done on the synthetic history: alerts and caught crises.

Pure (no database, nothing stored): replay the bi-monthly runs over the stored signals with the
weights in force, then count for each threshold the households that would have been listed and
the truly-in-crisis households (the synthetic ground truth) listed at a run on or after their
crisis began.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from gibon.crisis import score
from gibon.crisis.indicators import Weights


def run_dates(first: date, last: date) -> list[date]:
    """The first day of every second month after ``first``, up to ``last``, then ``last``."""
    out: list[date] = []
    y, m = first.year, first.month
    while True:
        y, m = (y + (m + 1) // 12, (m + 1) % 12 + 1) if m >= 11 else (y, m + 2)
        day = date(y, m, 1)
        if day > last:
            break
        out.append(day)
    if not out or out[-1] != last:
        out.append(last)
    return out


def history_scores(
    signals: pl.DataFrame, meta: pl.DataFrame, weights: Weights, runs: list[date]
) -> pl.DataFrame:
    """household_id, run_on, score at every run (households with a counting signal)."""
    parts = []
    for run in runs:
        age = ((pl.lit(run) - pl.col("head_birth")).dt.total_days() // 365).fill_null(0)
        households = meta.select(
            "household_id", "living_alone", age.cast(pl.Int64).alias("head_age")
        )
        seen = signals.filter(pl.col("observed_on") <= run)
        if seen.height == 0:
            continue
        scored = score.score_frame(seen, households, weights, run)
        parts.append(scored.with_columns(pl.lit(run).alias("run_on")))
    if not parts:
        return pl.DataFrame(
            schema={"household_id": pl.String, "score": pl.Int64, "run_on": pl.Date}
        )
    return pl.concat(parts)


@dataclass(frozen=True)
class Outcome:
    threshold: int
    households_listed: int
    listings: int
    caught: int
    in_crisis: int
    recall: float | None
    precision: float | None


def outcome(scores: pl.DataFrame, truth: pl.DataFrame, threshold: int) -> Outcome:
    """Households listed at ``threshold``; caught = in-crisis households listed at a run on or
    after their onset (``truth``: household_id, onset_on)."""
    listed = scores.filter(pl.col("score") >= threshold)
    households = listed["household_id"].n_unique()
    caught = (
        listed.join(truth, on="household_id", how="inner")
        .filter(pl.col("run_on") >= pl.col("onset_on"))["household_id"]
        .n_unique()
    )
    total = truth.height
    return Outcome(
        threshold=threshold,
        households_listed=households,
        listings=listed.height,
        caught=caught,
        in_crisis=total,
        recall=round(caught / total, 4) if total else None,
        precision=round(caught / households, 4) if households else None,
    )


def sweep(scores: pl.DataFrame, truth: pl.DataFrame, thresholds: list[int]) -> list[Outcome]:
    return [outcome(scores, truth, t) for t in sorted(set(thresholds))]
