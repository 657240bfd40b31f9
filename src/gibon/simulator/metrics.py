"""Distribution metrics from exact, mergeable histograms of equivalised income.

A histogram is a table ``value`` (equivalised disposable income, whole won) -> ``persons`` (and
other integer sums). Chunks and workers each build one; adding them (group by value, sum) gives the
same table in any order, and every metric below is computed from that merged table alone, so the
median, the poverty line and the Gini are exact and identical however the population was split.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import polars as pl

DECILES = 10


@dataclass(frozen=True)
class Distribution:
    persons: int
    mean: float
    median: float
    poverty_line: float
    poverty_rate: float  # share of persons with equivalised income below the line
    poverty_gap_index: float  # FGT(1): mean shortfall over all persons, as a share of the line
    income_gap_ratio: float  # mean shortfall of the poor, as a share of the line (통계청 빈곤갭)
    gini: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def merge_histograms(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """Add histograms: sum every column per value; sorted by value."""
    frames = [p for p in parts if p.height]
    if not frames:
        return parts[0].clear() if parts else pl.DataFrame({"value": [], "persons": []})
    cols = [c for c in frames[0].columns if c != "value"]
    return pl.concat(frames).group_by("value").agg(pl.col(c).sum() for c in cols).sort("value")


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """Median of the list in which each value is repeated ``weight`` times (mean of the two middles)."""
    cum = np.cumsum(weights)
    total = int(cum[-1])
    lo = values[np.searchsorted(cum, (total + 1) // 2, side="left")]
    hi = values[np.searchsorted(cum, total // 2 + 1, side="left")]
    return (float(lo) + float(hi)) / 2


def gini(values: np.ndarray, weights: np.ndarray) -> float:
    """Gini of a weighted, value-sorted distribution: sum_k w_k x_k (C_{k-1} + C_k - W) / (W X)."""
    w = weights.astype(np.float64)
    x = values.astype(np.float64)
    cum = np.cumsum(w)
    total_w = cum[-1]
    total_x = float(np.dot(w, x))
    if total_w == 0 or total_x == 0:
        return 0.0
    before = cum - w
    return float(np.dot(w * x, before + cum - total_w) / (total_w * total_x))


def distribution(hist: pl.DataFrame, line: float | None = None) -> Distribution:
    """Metrics of a histogram; ``line`` fixes the poverty line (else half the median)."""
    hist = hist.filter(pl.col("persons") > 0).sort("value")
    if hist.height == 0:
        return Distribution(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    x = hist["value"].to_numpy()
    w = hist["persons"].to_numpy()
    total = int(w.sum())
    median = weighted_median(x, w)
    line = median / 2 if line is None else line
    poor = x < line
    # Negative incomes are bottom-coded at zero for the gap and the Gini (as LIS does), so a
    # household's shortfall is at most the whole line.
    floored = np.maximum(x, 0)
    shortfall = np.where(poor, (line - floored) / line, 0.0) if line > 0 else np.zeros(len(x))
    poor_w = int(w[poor].sum())
    gap_sum = float(np.dot(w, shortfall))
    return Distribution(
        persons=total,
        mean=float(np.dot(w.astype(np.float64), x)) / total,
        median=median,
        poverty_line=line,
        poverty_rate=poor_w / total,
        poverty_gap_index=gap_sum / total,
        income_gap_ratio=gap_sum / poor_w if poor_w else 0.0,
        gini=gini(floored, w),
    )


def deciles(hist: pl.DataFrame) -> pl.DataFrame:
    """Group a baseline histogram into person-weighted deciles of equivalised income.

    Decile of a value = floor(persons ranked before it x 10 / all persons) + 1, so people with the
    same income always share a decile and the cut is exact integer arithmetic.
    """
    hist = hist.filter(pl.col("persons") > 0).sort("value")
    total = int(hist["persons"].sum()) or 1
    before = hist["persons"].cum_sum() - hist["persons"]
    sums = [c for c in hist.columns if c != "value"]
    return (
        hist.with_columns(
            ((before * DECILES) // total + 1)
            .clip(upper_bound=DECILES)
            .cast(pl.Int64)
            .alias("decile")
        )
        .group_by("decile")
        .agg(
            pl.col("value").min().alias("income_from"),
            pl.col("value").max().alias("income_to"),
            *(pl.col(c).sum() for c in sums),
        )
        .sort("decile")
    )
