"""Parameters: computed selection lines equal the published tables; the docs list every gap."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

import gibon.benefits as benefits
from gibon.benefits.engine import inputs
from gibon.benefits.engine.simulation import Simulation

DOC = Path(__file__).resolve().parents[2] / "docs" / "benefits.md"
JUNE = dt.date(2026, 6, 1)
LINES = {
    "nbls_livelihood_line": "livelihood_threshold",
    "nbls_medical_line": "medical_threshold",
    "nbls_housing_line": "housing_threshold",
    "nbls_education_line": "education_threshold",
}


def households_of_sizes(sizes: list[int]) -> inputs.Population:
    hh = np.repeat(np.arange(len(sizes)), sizes)
    n = len(hh)
    cols = {"household_id": np.arange(len(sizes)), "tenure": np.array(["free"] * len(sizes))}
    people = {
        "person_id": np.arange(n),
        "household_id": hh,
        "birth_date": np.full(n, np.datetime64("1980-01-01")),
        "sex": np.array(["F"] * n),
        "relation": np.where(np.r_[1, np.diff(hh)] == 1, "head", "child"),
        "disability": np.array(["none"] * n),
    }
    return inputs.build(cols, people, JUNE)


@pytest.mark.parametrize("variable", sorted(LINES))
def test_computed_selection_lines_equal_the_published_2026_tables(variable: str) -> None:
    system = benefits.default_system()
    sim = Simulation(system, households_of_sizes([1, 2, 3, 4, 5, 6, 7]), JUNE)
    computed = sim.calculate(variable)[0].tolist()
    table = system.parameters
    published = [table.leaf(f"nbls.{LINES[variable]}.{k}").at(JUNE).value for k in range(1, 8)]
    assert computed == published


def test_every_unconfirmed_value_the_rules_read_is_listed_in_the_docs() -> None:
    doc = DOC.read_text(encoding="utf-8")
    unusable = [n for n, v in benefits.default_system().resolved(JUNE).items() if not v.usable]
    missing = [n for n in unusable if n not in doc and n.rsplit(".", 1)[0] not in doc]
    assert unusable and missing == []


def test_every_program_is_documented_with_its_references() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert [pid for pid in benefits.PROGRAM_IDS if f"| {pid} |" not in doc] == []


def test_an_undetermined_program_says_what_this_household_waits_for() -> None:
    elder = {
        "housing": {"tenure": "free"},
        "members": [
            {
                "id": "a",
                "relation": "head",
                "birth_date": "1950-01-01",
                "sex": "F",
                "pension_income": 800000,
            }
        ],
    }
    bp = next(p for p in benefits.calculate(elder)["programs"] if p["id"] == "basic_pension")
    waiting = bp["explanation"][-1]
    assert not bp["determined"] and waiting["label"].startswith("판단 보류")
    assert waiting["value"] == [
        "자료 없음: 국민연금 A급여액 (모르면 0원과 연금액 사이) (bp_a_benefit)"
    ]


def test_every_explained_rule_step_names_its_source() -> None:
    system = benefits.default_system()
    missing = [
        (p.id, n)
        for p in system.programs
        for n in p.explain
        if system.variables[n].formula and not system.variables[n].reference
    ]
    assert missing == []
