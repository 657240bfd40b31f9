"""The frozen result of a run: tables and metrics derived from the merged partial sums only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from gibon.simulator import groups, metrics
from gibon.simulator.partial import CELL_KEYS, MEASURES, SCENARIOS, TOTALS, Partial, column


@dataclass(frozen=True)
class Result:
    meta: dict[str, Any]
    programs: pl.DataFrame  # one row per program: baseline, reform, change
    groups: pl.DataFrame  # dimension, group: households, persons, gainers, losers, gain, ...
    breakdown: pl.DataFrame  # dimension, group, program: recipients and cost, baseline and reform
    deciles: pl.DataFrame
    distribution: dict[str, metrics.Distribution]
    notices: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pl.DataFrame]:
        dist = pl.DataFrame([{"scenario": k, **v.as_dict()} for k, v in self.distribution.items()])
        return {
            "programs": self.programs,
            "groups": self.groups,
            "breakdown": self.breakdown,
            "deciles": self.deciles,
            "distribution": dist,
        }

    def totals(self) -> dict[str, int]:
        row = self.groups.filter(pl.col("dimension") == "district").row(0, named=True)
        return {k: int(v) for k, v in row.items() if isinstance(v, int)}


def dimension_frames(cells: pl.DataFrame) -> pl.DataFrame:
    """Stack the cells grouped by each dimension: district, dong, age band, household type."""
    sums = [c for c in cells.columns if c not in CELL_KEYS]
    agg = [pl.col(c).sum() for c in sums]
    parts = [
        cells.group_by(pl.lit("district").alias("dimension"), pl.lit("전체").alias("group")).agg(
            agg
        ),
        cells.group_by(pl.lit("dong").alias("dimension"), pl.col("dong").alias("group")).agg(agg),
        cells.group_by(
            pl.lit("age_band").alias("dimension"), pl.col("age_band").alias("group")
        ).agg(agg),
    ]
    for flag in groups.HOUSEHOLD_TYPES:
        parts.append(
            cells.filter(pl.col(flag))
            .group_by(pl.lit("household_type").alias("dimension"), pl.lit(flag).alias("group"))
            .agg(agg)
        )
    order = {d: i for i, d in enumerate(groups.DIMENSIONS)}
    return (
        pl.concat(parts)
        .with_columns(pl.col("dimension").replace_strict(order, return_dtype=pl.Int64).alias("_o"))
        .sort("_o", "group")
        .drop("_o")
    )


def program_table(
    district: dict[str, Any], programs: list[tuple[str, str, str, float]]
) -> pl.DataFrame:
    rows = []
    for pid, name, kind, rate in programs:
        row: dict[str, Any] = {"program": pid, "name_ko": name, "kind": kind, "take_up": rate}
        for s in SCENARIOS:
            for m in MEASURES:
                row[f"{s}_{m}"] = int(district[column(s, pid, m)])
            row[f"{s}_missed"] = row[f"{s}_eligible"] - row[f"{s}_recipients"]
            row[f"{s}_missed_amount"] = row[f"{s}_entitled"] - row[f"{s}_cost"]
            row[f"{s}_cost_year"] = row[f"{s}_cost"] * 12
        row["change_cost"] = row["reform_cost"] - row["base_cost"]
        row["change_recipients"] = row["reform_recipients"] - row["base_recipients"]
        rows.append(row)
    return pl.DataFrame(rows)


def breakdown_table(dims: pl.DataFrame, program_ids: list[str]) -> pl.DataFrame:
    """Long: dimension, group, program, then recipients / cost / missed per scenario."""
    parts = []
    for pid in program_ids:
        parts.append(
            dims.select(
                "dimension",
                "group",
                pl.lit(pid).alias("program"),
                *(
                    pl.col(column(s, pid, m)).alias(f"{s}_{m}")
                    for s in SCENARIOS
                    for m in ("eligible", "recipients", "cost", "entitled")
                ),
            )
        )
    long = pl.concat(parts)
    return long.with_columns(
        (pl.col("reform_cost") - pl.col("base_cost")).alias("change_cost"),
        (pl.col("base_eligible") - pl.col("base_recipients")).alias("base_missed"),
        (pl.col("reform_eligible") - pl.col("reform_recipients")).alias("reform_missed"),
        (pl.col("base_entitled") - pl.col("base_cost")).alias("base_missed_amount"),
        (pl.col("reform_entitled") - pl.col("reform_cost")).alias("reform_missed_amount"),
    )


def build(
    partial: Partial,
    meta: dict[str, Any],
    programs: list[tuple[str, str, str, float]],
    notices: list[str],
) -> Result:
    dims = dimension_frames(partial.cells)
    district = dims.filter(pl.col("dimension") == "district").row(0, named=True)
    group_table = dims.select("dimension", "group", *TOTALS).with_columns(
        (pl.col("disp_reform") - pl.col("disp_base")).alias("change_disposable")
    )
    base = metrics.distribution(partial.hist_base)
    dist = {
        "baseline": base,
        "reform": metrics.distribution(partial.hist_reform),
        "reform_at_baseline_line": metrics.distribution(partial.hist_reform, base.poverty_line),
    }
    dec = metrics.deciles(partial.hist_base).with_columns(
        (pl.col("gain") / pl.col("households")).alias("mean_gain_per_household"),
        (pl.col("gain") / pl.col("disposable").cast(pl.Float64) * 100).alias("gain_pct"),
    )
    meta = {**meta, "households": int(district["households"]), "persons": int(district["persons"])}
    return Result(
        meta,
        program_table(district, programs),
        group_table,
        breakdown_table(dims, [p[0] for p in programs]),
        dec,
        dist,
        notices,
    )
