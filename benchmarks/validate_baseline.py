#!/usr/bin/env python
"""Regenerate the table and chart of docs/validation.md: the baseline against official figures.

A Korea-profile sample (default 200,000 persons, seed 1) runs under today's law through the
simulator's own path; each figure is scaled to the registered population of Korea and set beside
the official one. Only the text between the validation markers is rewritten; the prose around it
explains the gaps and is kept by hand.

Run:  .venv/bin/python benchmarks/validate_baseline.py [--persons 200000] [--seed 1]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _report import git_rev, machine  # noqa: E402

DOC = HERE.parent / "docs" / "validation.md"
CHART = HERE.parent / "docs" / "validation.svg"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--month", default="2026-06")
    args = ap.parse_args()

    from gibon.simulator import validation, validation_report

    start = time.perf_counter()
    households, persons = validation.korea_sample(args.persons, args.seed)
    base = validation.baseline(households, persons, args.month, args.seed)
    rows = validation.rows(base, seed=args.seed)
    took = time.perf_counter() - start
    header = (
        f"표본 {base.persons:,}명 ({households.height:,}가구), 시드 {args.seed}, "
        f"{args.month} 제도; 부트스트랩 {validation.REPLICATES}회. "
        f"`python {' '.join(sys.argv)}` · {machine()} · commit {git_rev()} · {took:.0f} s"
    )
    table = validation_report.markdown(rows, validation.decile_shares(base), header)
    CHART.write_text(validation_report.chart_svg(rows), encoding="utf-8")
    text = DOC.read_text(encoding="utf-8")
    block = f"<!-- validation:table -->\n{table}<!-- /validation:table -->"
    pattern = re.compile(r"<!-- validation:table -->.*?<!-- /validation:table -->", re.S)
    DOC.write_text(pattern.sub(lambda _m: block, text), encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
