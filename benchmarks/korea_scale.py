"""Korea-sized run: generate 51 million synthetic persons, then simulate a reform on them, streamed.

Each step runs as its own `gibon` process; wall time and peak RSS come from /usr/bin/time -v.
Anchor, in the same run: the same two commands at district scale (478,000 persons).

usage: .venv/bin/python benchmarks/korea_scale.py [--out /tmp/gibon-korea] [--skip-korea]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section

ROOT = Path(__file__).resolve().parent.parent
GIBON = str(ROOT / ".venv" / "bin" / "gibon")
REFORM = str(ROOT / "src/gibon/data/simulator/reforms/gwanak_youth_basic_income.yaml")


def timed(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one command."""
    done = subprocess.run(["/usr/bin/time", "-v", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert wall and rss
    h, m, s = wall.groups()
    return int(h or 0) * 3600 + int(m) * 60 + float(s), int(rss.group(1)) / 1024


def run_scale(out: Path, scale: str) -> dict[str, tuple[float, float]]:
    pop, sim = out / f"pop-{scale}", out / f"sim-{scale}"
    shutil.rmtree(pop, ignore_errors=True)
    shutil.rmtree(sim, ignore_errors=True)
    return {
        "generate": timed(
            [GIBON, "population", "generate", "--seed", "1", "--scale", scale, "--out", str(pop)]
        ),
        "simulate": timed([GIBON, "simulate", REFORM, "--population", str(pop), "--out", str(sim)]),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/gibon-korea")
    ap.add_argument("--skip-korea", action="store_true")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    persons = {"gwanak": 478_000, "korea": 51_000_000}
    results = {"gwanak": run_scale(out, "gwanak")}
    if not args.skip_korea:
        results["korea"] = run_scale(out, "korea")
    rows = []
    for scale, steps in results.items():
        for step, (wall, rss) in steps.items():
            rate = persons[scale] / wall
            base = persons["gwanak"] / results["gwanak"][step][0]
            rows.append(
                f"| {scale} | {step} | {persons[scale]:,} | {wall:,.1f} | {rate:,.0f} | "
                f"{rss:,.0f} | {rate / base:.2f}x |"
            )
    body = (
        "Each step is one `gibon` process (`/usr/bin/time -v`); the simulate step runs baseline and "
        "reform (`gwanak_youth_basic_income`) streamed in chunks. Anchor: the district, same run.\n\n"
        "| scale | step | persons | wall s | persons/s | peak RSS MiB | persons/s vs district |\n"
        "|---|---|---:|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n\n"
        "Goal: peak RSS under 4 GB (4,096 MiB) at Korea scale, for both steps."
    )
    write_section("korea", "Korea scale: 51 million persons generated and simulated", body)


if __name__ == "__main__":
    main()
