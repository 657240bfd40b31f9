"""Benchmark: scoring a bi-monthly run for the synthetic Gwanak (goal < 5 s).

The district (478,000 persons) and a year of synthetic signals (every source) are generated first;
then one bi-monthly run is scored with ``score.score_frame`` (polars, the whole district at once).
Baseline, same run, same signals: the explained per-household scorer (``score.explain``) called
household by household in Python — the obvious first implementation, and the one that writes the
Korean reasons. Both must give the same scores; the script checks it.

    .venv/bin/python benchmarks/crisis_score.py [--persons 478000] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write_section

from gibon import population
from gibon.crisis import indicators, score, synth

END = date(2026, 11, 30)


def households(persons: int, seed: int = 7) -> pl.DataFrame:
    hh, ps = population.generate(seed=seed, persons=persons)
    age = (pl.lit(END) - pl.col("birth_date")).dt.total_days() // 365
    head = ps.filter(pl.col("relation") == "head").select("household_id", age.alias("head_age"))
    money = pl.col("earned_income") + pl.col("business_income") + pl.col("pension_income")
    income = ps.group_by("household_id").agg(money.sum().alias("income"))
    return (
        hh.select("household_id", "dong", "living_alone")
        .join(head, on="household_id", how="left")
        .join(income, on="household_id", how="left")
        .with_columns(pl.col("head_age").fill_null(40), pl.col("income").fill_null(0))
    )


def baseline(
    signals: pl.DataFrame, hh: pl.DataFrame, weights: indicators.Weights
) -> dict[str, int]:
    meta = {r["household_id"]: r for r in hh.iter_rows(named=True)}
    grouped = signals.group_by("household_id").agg(pl.struct("indicator", "observed_on", "source"))
    out = {}
    for hid, rows in grouped.iter_rows():
        sigs = [score.Signal(r["indicator"], r["observed_on"], r["source"]) for r in rows]
        total, _ = score.explain(
            sigs, meta[hid]["living_alone"], meta[hid]["head_age"], weights, END
        )
        if total:
            out[hid] = total
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=478_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    weights = indicators.default_weights()
    t = time.perf_counter()
    hh = households(args.persons)
    stream = synth.generate(hh, 12, 1, END)
    prep = time.perf_counter() - t
    signals = stream.signals.select("household_id", "indicator", "source", "observed_on")
    t = time.perf_counter()
    frame = score.score_frame(signals, hh, weights, END)
    fast = time.perf_counter() - t
    listed = frame.filter(pl.col("score") >= weights.threshold).height
    t = time.perf_counter()
    slow_scores = baseline(signals, hh, weights)
    slow = time.perf_counter() - t
    same = {h: s for h, s in frame.iter_rows() if s} == slow_scores
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    body = f"""
| run | households | signals (12 months) | seconds | vs baseline |
|---|---:|---:|---:|---:|
| baseline: `score.explain` household by household (Python) | {hh.height:,} | {signals.height:,} | {slow:.2f} | 1.0x |
| `score.score_frame` (polars, whole district) | {hh.height:,} | {signals.height:,} | {fast:.2f} | {slow / fast:.1f}x |

- goal: a bi-monthly run for the district under 5 s — measured {fast:.2f} s for {args.persons:,} persons
  and a year of signals from every source; {listed:,} households reach the threshold
  ({weights.threshold} points, weights v{weights.version}).
- both scorers give the same score for every household: {same}.
- preparation (population + synthetic stream, not timed above): {prep:.1f} s; peak RSS {rss:.0f} MB;
  1-minute load average {load:.1f} on this shared 2-core machine.
- not measured here: the database path (`gibon crisis score` reads the signals, then writes one
  item per listed household with its reasons). The streamed national run and the 21-officer
  worklist load test have their own sections (`crisis_national.py`, `crisis_worklist_load.py`).
"""
    print(body)
    if not args.no_write:
        write_section("crisis", "위기가구 발굴: scoring a bi-monthly run for Gwanak", body,
                      "python benchmarks/crisis_score.py")  # fmt: skip
    if not same:
        raise SystemExit("the two scorers disagree")


if __name__ == "__main__":
    main()
