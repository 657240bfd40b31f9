#!/usr/bin/env python
"""Simulator, district: baseline + reform over the synthetic Gwanak, against the engine alone.

Baseline measured in the same run: ``gibon.benefits.calculate_population`` called twice (the
entitlements of baseline and reform, nothing else) — the floor any simulator on this engine pays.
The simulator adds taxes, take-up, disposable income, every breakdown and the exact metrics.

Run:  .venv/bin/python benchmarks/simulator_district.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _report import write_section  # noqa: E402

from gibon import benefits, population, simulator  # noqa: E402

REFORM = "gwanak_youth_basic_income"


def _time(fn: object, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    hh, ps = population.generate(seed=1)
    reform = simulator.load_reform(simulator.examples()[REFORM])
    system = simulator.reform.scenario(reform)[0]

    def engine_only() -> None:
        benefits.calculate_population(hh, ps, "2026-06")
        benefits.calculate_population(hh, ps, "2026-06", system=system)

    def full() -> None:
        simulator.simulate(reform, frames=(hh, ps), month="2026-06")

    full()  # warm: builds and caches both rule systems
    engine: list[float] = []
    sim: list[float] = []
    for _ in range(args.repeat):  # interleaved, so load from other jobs hits both alike
        engine += _time(engine_only, 1)
        sim += _time(full, 1)
    e, s = min(engine), min(sim)
    body = f"""
Synthetic Gwanak: {hh.height:,} households, {ps.height:,} persons; reform `{REFORM}`; month 2026-06.
Best of {args.repeat} interleaved runs each, after one warm-up run (rule systems compiled once).

| what | best s | all runs (s) |
|---|---:|---:|
| baseline: benefits engine alone, baseline + reform entitlements | {e:.2f} | {", ".join(f"{x:.2f}" for x in engine)} |
| gibon simulate: + taxes, take-up, disposable income, breakdowns, exact metrics | {s:.2f} | {", ".join(f"{x:.2f}" for x in sim)} |

- simulator / engine-alone ratio: **{s / e:.2f}×** (the simulator's own work: about {max(s - e, 0):.2f} s)
- goal: baseline + reform under 5 s — **{"met" if s < 5 else "not met"}** on this machine
  (2 cores shared with other jobs while measured, load average {os.getloadavg()[0]:.1f} at the end;
  read the ratio rather than the lone times)
"""
    write_section(
        "simulator-district",
        "Simulator: district baseline + reform",
        body,
        "python benchmarks/simulator_district.py",
    )
    print(body)


if __name__ == "__main__":
    main()
