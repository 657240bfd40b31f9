"""The plain-language YAML cases beside the rules (src/gibon/benefits/programs/cases/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import gibon.benefits as benefits
from gibon.benefits import explain, service
from gibon.benefits.schemas import parse_household

CASES = Path(benefits.__file__).parent / "programs" / "cases"


def load_cases() -> list[Any]:
    out = []
    for f in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(f.read_text(encoding="utf-8")):
            out.append(pytest.param(case, id=f"{f.stem}: {case['name']}"))
    return out


@pytest.mark.parametrize("case", load_cases())
def test_case(case: dict[str, Any]) -> None:
    month = str(case.get("month", "2026-06"))
    result = benefits.calculate(case["household"], month)
    by_id = {p["id"]: p for p in result["programs"]}
    for pid, expected in case["expect"].items():
        got = by_id[pid]
        for key, value in expected.items():
            assert got[key] == value, f"{pid}.{key}: {got[key]} != {value}\n{got['explanation']}"
    if "values" in case:
        sim = service.simulate(
            *service.household_columns([parse_household(case["household"])]), month
        )
        for name, expected in case["values"].items():
            got = explain.step(sim, name, 0)["value"]
            if isinstance(expected, dict):
                got = {k: got[k] for k in expected}
            assert got == expected, name


def test_every_program_has_at_least_five_cases() -> None:
    counts = {
        f.stem: len(yaml.safe_load(f.read_text(encoding="utf-8"))) for f in CASES.glob("*.yaml")
    }
    assert {pid: counts.get(pid, 0) for pid in benefits.PROGRAM_IDS if counts.get(pid, 0) < 5} == {}
