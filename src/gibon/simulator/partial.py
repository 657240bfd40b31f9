"""A chunk's result as integer sums that add up exactly, in any order, across chunks and workers.

``cells``: one row per combination of dong, head's age band and household-type flags, with every
count and won amount summed (wide: ``{scenario}:{program}:{measure}`` plus totals).
``hist_base`` / ``hist_reform``: equivalised disposable income (whole won) -> persons, households
(and, for the baseline, the households' gain and disposable income), see ``metrics``.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

CELL_KEYS = ("dong", "age_band", "one_person", "alone_65", "young_adult", "with_children")
SCENARIOS = ("base", "reform")
MEASURES = ("eligible", "recipients", "recipient_persons", "cost", "entitled", "undetermined")
TOTALS = (
    "households",
    "persons",
    "gainers",
    "losers",
    "gain",
    "market",
    "taxes_base",
    "taxes_reform",
    "cash_base",
    "cash_reform",
    "disp_base",
    "disp_reform",
)


@dataclass(frozen=True)
class Partial:
    cells: pl.DataFrame
    hist_base: pl.DataFrame
    hist_reform: pl.DataFrame

    @staticmethod
    def merge(parts: list[Partial]) -> Partial:
        if len(parts) == 1:
            return parts[0]
        return Partial(
            _sum_by([p.cells for p in parts], list(CELL_KEYS)),
            _sum_by([p.hist_base for p in parts], ["value"]),
            _sum_by([p.hist_reform for p in parts], ["value"]),
        )


def _sum_by(frames: list[pl.DataFrame], keys: list[str]) -> pl.DataFrame:
    df = pl.concat(frames, how="vertical")
    values = [c for c in df.columns if c not in keys]
    return df.group_by(keys).agg(pl.col(c).sum() for c in values).sort(keys)


def merge(parts: list[Partial]) -> Partial:
    return Partial.merge(parts)


def column(scenario: str, program: str, measure: str) -> str:
    return f"{scenario}:{program}:{measure}"
