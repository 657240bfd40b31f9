"""Persons per second and peak memory of the synthetic population generator.

Runs, each in a fresh subprocess so its peak RSS is its own:
  1. baseline: a naive per-person Python loop that draws the same attributes (age, sex,
     relation, name, RRN, employment, four incomes, disability, conditions, LTC grade, student,
     pregnancy; households with tenure, rent and a home point) with ``random`` and no exact
     calibration -- the obvious way to write it, measured on a small N;
  2. the district (478,000 persons) in memory with ``gibon.population.generate``;
  3. the district written by the CLI path (``write_dir``: generate, measure, parquet);
  4. N persons (default 5,000,000) with the Korea profile streamed in 500,000-person chunks.
Korea (51 M persons) is extrapolated from run 4 unless --korea is given, because a full run takes
longer than this shared machine allows; peak RSS does not grow with N (chunks are bounded).

    .venv/bin/python benchmarks/population_generate.py [--big 5000000] [--korea]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write_section

CHILD = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
kind, n = sys.argv[1], int(sys.argv[2])
from gibon import population
population.generate(seed=1, persons=2000)  # import and cache parameters outside the timing
t = time.perf_counter()
c = time.process_time()
if kind == "naive":
    sys.path.insert(0, sys.argv[3])
    from population_naive import generate_naive
    generate_naive(1, n)
elif kind == "memory":
    population.generate(seed=1, persons=n)
else:
    with tempfile.TemporaryDirectory() as tmp:
        population.write_dir(Path(tmp), 1, profile=kind, persons=n)
seconds = time.perf_counter() - t
cpu = time.process_time() - c
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu_s": cpu, "rss_mb": rss}))
"""


def run(kind: str, n: int) -> dict[str, float]:
    here = str(Path(__file__).resolve().parent)
    load = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(n), here],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    result["rate"] = n / result["seconds"]
    result["load"] = (load + os.getloadavg()[0]) / 2
    print(kind, n, result, flush=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--big", type=int, default=5_000_000)
    ap.add_argument("--naive", type=int, default=20_000)
    ap.add_argument(
        "--korea", action="store_true", help="also stream all 51 M persons (several minutes)"
    )
    args = ap.parse_args()
    naive = run("naive", args.naive)
    memory = run("memory", 478_000)
    district = run("gwanak", 478_000)
    big = run("korea", args.big)  # national distributions: the basis for the Korea figure
    korea = run("korea", 51_000_000) if args.korea else None
    rows = [
        ("baseline: naive per-person Python loop", args.naive, naive),
        ("district in memory (`generate`)", 478_000, memory),
        ("district to parquet (`gibon population generate`)", 478_000, district),
        (f"{args.big:,} persons, Korea profile, streamed to parquet (500k chunks)", args.big, big),
    ]
    if korea:
        rows.append(("Korea, 51,000,000 persons streamed", 51_000_000, korea))
    lines = [
        "| run | persons | seconds | CPU seconds | persons/s | peak RSS | vs baseline | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, n, r in rows:
        lines.append(
            f"| {label} | {n:,} | {r['seconds']:.2f} | {r['cpu_s']:.2f} | {r['rate']:,.0f} | "
            f"{r['rss_mb']:,.0f} MB | "
            f"{r['rate'] / naive['rate']:.1f}x | {r['load']:.1f} |"
        )
    korea_s = 51_000_000 / big["rate"]
    body = "\n".join(lines) + (
        f"\n\n- goal: the district in under 10 s — measured {memory['seconds']:.2f} s in memory "
        f"({memory['seconds'] / 10:.0%} of the budget) and {district['seconds']:.2f} s to parquet with the calibration report."
        f"\n- Korea (51 M persons): "
        + (
            f"measured {korea['seconds']:.0f} s, peak RSS {korea['rss_mb']:,.0f} MB."
            if korea
            else f"not run here (over the 3-minute limit for this shared machine); extrapolated from the {args.big:,} run: "
            f"about {korea_s / 60:.0f} min at this run's load, {big['cpu_s'] * 51_000_000 / args.big / 60:.1f} min of CPU time "
            f"(the wall time on an otherwise idle machine is at most that), "
            f"peak RSS about {big['rss_mb']:,.0f} MB (chunks are bounded, so RSS does not grow with N)."
        )
        + "\n- baseline: `benchmarks/population_naive.py`, the same attribute list drawn person by person with "
        "`random` (no exact calibration, no parquet), on a small N; the ratio compares persons per second."
        "\n- the machine (2 cores) is shared with other agents' jobs; `load avg` is the 1-minute load average "
        "around each run. A run at load 5 takes about 2-3 times as long as the same run on an idle machine, "
        "so read the ratios and the load, not the lone times."
    )
    cmd = (
        "python benchmarks/population_generate.py"
        + (f" --big {args.big}" if args.big != 5_000_000 else "")
        + (" --korea" if args.korea else "")
    )
    write_section("population", "Synthetic population: generation speed and memory", body, cmd)


if __name__ == "__main__":
    main()
