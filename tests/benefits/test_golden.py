"""Speed work must not change a single answer: every case's full result (explanations included)
and the district totals for a fixed seed are pinned in tests/benefits/golden.json.

Regenerate only when a rule or a parameter changes on purpose:
    PYTHONPATH=src python -m tests.benefits.test_golden
and say in the commit which answers changed and why.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import polars as pl
import yaml

import gibon.benefits as benefits
from gibon import population
from gibon.benefits import service

GOLDEN = Path(__file__).with_name("golden.json")
CASES = Path(benefits.__file__).parent / "programs" / "cases"
SEED, PERSONS, MONTH = 5, 12_000, "2026-06"


def case_results() -> dict[str, str]:
    """Each case's whole JSON result (amounts, decisions, explanation steps) as a digest."""
    out = {}
    for f in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(f.read_text(encoding="utf-8")):
            result = benefits.calculate(case["household"], str(case.get("month", MONTH)))
            text = json.dumps(result, ensure_ascii=False, sort_keys=True, default=str)
            out[f"{f.stem}: {case['name']}"] = hashlib.sha256(text.encode()).hexdigest()
    return out


def district_frame() -> pl.DataFrame:
    pop = population.generate(seed=SEED, persons=PERSONS)
    return service.calculate_population(pop.households, pop.persons, MONTH)


def district_totals(frame: pl.DataFrame) -> dict[str, Any]:
    sums = frame.select(pl.exclude("household_id", "dong").cast(pl.Int64).sum())
    return {k: int(v) for k, v in sums.row(0, named=True).items()}


def frame_digest(frame: pl.DataFrame) -> str:
    """Every row of every column, in order, with its type: totals alone let errors cancel."""
    h = hashlib.sha256()
    for name in frame.columns:
        col = frame[name]
        h.update(f"{name}:{col.dtype}".encode())
        if col.dtype == pl.String:
            h.update("\x1f".join(col.to_list()).encode())
        else:
            h.update(col.to_numpy().tobytes())
    return h.hexdigest()


def current() -> dict[str, Any]:
    frame = district_frame()
    return {
        "cases": case_results(),
        "district": district_totals(frame),
        "district_frame_sha256": frame_digest(frame),
    }


def test_every_case_gives_exactly_the_pinned_result_and_explanation() -> None:
    pinned = json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"]
    assert case_results() == pinned


def test_the_district_totals_and_every_households_result_for_a_fixed_seed_are_unchanged() -> None:
    pinned = json.loads(GOLDEN.read_text(encoding="utf-8"))
    frame = district_frame()
    assert district_totals(frame) == pinned["district"]
    assert frame_digest(frame) == pinned["district_frame_sha256"]


def test_the_frame_digest_sees_one_changed_amount() -> None:
    frame = pl.DataFrame({"household_id": ["H1", "H2"], "total": [10, 20]})
    moved = pl.DataFrame({"household_id": ["H1", "H2"], "total": [20, 10]})
    assert frame_digest(frame) != frame_digest(moved)
    assert district_totals(frame) == district_totals(moved)


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(current(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
