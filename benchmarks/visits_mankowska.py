"""Mankowska home health care: gibon's planner against OR-Tools with native synchronisation alone.

Both use the same model (skills, simultaneous and sequential doubles, soft windows); "OR-Tools
native" is one search from scratch, "gibon" is the planner (PyVRP routes without
synchronisation, joint timing and insertion of the doubles, then the large-neighbourhood search).
PyVRP alone cannot express synchronisation and is not run here. Reduced: one instance per size at
``--time-limit`` s, twice that from 200 patients up; the issue's full sweep (all 70 at 60 s) is
``visits_mankowska_full.py``.

    python benchmarks/visits_mankowska.py [--time-limit 15]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write_section

from gibon.visits import bench
from gibon.visits.engine import solve

SUBSET = [
    "InstanzCPLEX_HCSRP_10_1",
    "InstanzCPLEX_HCSRP_25_1",
    "InstanzCPLEX_HCSRP_50_1",
    "InstanzCPLEX_HCSRP_75_1",
    "InstanzVNS_HCSRP_100_1",
    "InstanzVNS_HCSRP_200_1",
    "InstanzVNS_HCSRP_300_1",
]


def _native(name: str, time_limit: float) -> dict[str, object]:
    return bench.run_mankowska(name, time_limit, solver=solve.solve_ortools)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=15.0)
    parser.add_argument("--instances", default=",".join(SUBSET))
    args = parser.parse_args()
    rows = []
    for name in args.instances.split(","):
        seconds = args.time_limit * (2 if int(name.split("_")[2]) >= 200 else 1)
        ours, native = bench.run_mankowska(name, seconds), _native(name, seconds)
        print(name, ours["objective"], native["objective"], ours["best_known"], flush=True)
        rows.append((ours, native))
    body = _table(rows, args.time_limit)
    print(body)
    write_section(
        "visits_mankowska",
        "Visits: Mankowska home health care (gibon vs OR-Tools native sync)",
        body,
    )


def _table(rows: list[tuple[dict[str, object], dict[str, object]]], time_limit: float) -> str:
    lines = [
        f"{len(rows)} instances (one per size), {time_limit:g} s per instance and solver "
        f"({2 * time_limit:g} s from 200 patients up). Objective: "
        "(distance + total tardiness + max tardiness) / 3; best known = the best published solution "
        "re-evaluated here (A1 gives 218.2, as published).",
        "",
        "| instance | best known | gibon | gap % | checker | OR-Tools native sync | gap % | checker |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for ours, nat in rows:
        lines.append(
            f"| {ours['name']} | {ours['best_known']} | {ours['objective']} | {ours['gap_pct']} | "
            f"{'ok' if ours['feasible'] else 'FAIL'} | {nat['objective']} | {nat['gap_pct']} | "
            f"{'ok' if nat['feasible'] else 'FAIL'} |"
        )
    mean = [sum(float(r[k]["gap_pct"]) for r in rows) / len(rows) for k in (0, 1)]  # type: ignore[arg-type]
    lines += ["", f"Mean gap: gibon **{mean[0]:.1f} %**, OR-Tools native sync **{mean[1]:.1f} %**."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
