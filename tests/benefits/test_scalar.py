"""The plain-Python plan of one household (engine.scalar) gives exactly what the vectorised
engine gives: every program, amount, decision and explanation step, on every case file and on
households of the synthetic populations (Gwanak and the Korea profile, whose regions differ)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import yaml

import gibon.benefits as benefits
from gibon import population
from gibon.benefits import explain, service
from gibon.benefits.engine import inputs, scalar
from gibon.benefits.engine.simulation import Simulation

CASES = Path(benefits.__file__).parent / "programs" / "cases"
MONTH = dt.date(2026, 6, 1)


def both_paths(household: dict[str, Any], month: str) -> tuple[Any, Any]:
    service.PLAIN = True
    try:
        plain = benefits.calculate(household, month)
    finally:
        service.PLAIN = False
    try:
        vector = benefits.calculate(household, month)
    finally:
        service.PLAIN = True
    return plain, vector


def test_the_default_rules_compile_to_a_plan() -> None:
    plan = scalar.plan(benefits.default_system(), MONTH)
    assert plan is not None
    assert plan.ranged  # unconfirmed parameters stay ranges in the plan too


def test_every_case_is_the_same_through_the_plan_and_the_vectorised_engine() -> None:
    compared = 0
    for f in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(f.read_text(encoding="utf-8")):
            plain, vector = both_paths(case["household"], str(case.get("month", "2026-06")))
            assert plain == vector, f"{f.stem}: {case['name']}"
            compared += 1
    assert compared >= 15 * 5


def one_by_one(households: pl.DataFrame, persons: pl.DataFrame, limit: int) -> int:
    """Each of the first ``limit`` households alone, through both engines."""
    system = benefits.default_system()
    plan = scalar.plan(system, MONTH)
    assert plan is not None
    programs = service.programs(system)
    done = 0
    for hid in households["household_id"].to_list()[:limit]:
        h = households.filter(pl.col("household_id") == hid)
        p = persons.filter(pl.col("household_id") == hid)
        pop = inputs.from_frames(h, p, MONTH)
        vector = explain.results(Simulation(system, pop, MONTH), programs, True)
        plain = explain.results_plain(plan, system, MONTH, pop, programs, True)
        assert plain == vector, hid
        done += 1
    return done


@pytest.mark.parametrize("profile", ["gwanak", "korea"])
def test_synthetic_households_are_the_same_through_both_engines(profile: str) -> None:
    pop = population.generate(seed=11, persons=4_000, profile=profile)
    households = pop.households.sample(n=250, seed=1)
    assert one_by_one(households, pop.persons, 250) == 250


def test_an_undetermined_household_waits_for_the_same_values_in_both() -> None:
    household = {
        "housing": {"tenure": "monthly_rent", "deposit": 5_000_000, "monthly_rent": 300_000},
        "members": [
            {
                "id": "a",
                "relation": "head",
                "birth_date": "1950-01-01",
                "sex": "F",
                "pension_income": 700_000,
                "assets": {"financial": 30_000_000},
            }
        ],
    }
    plain, vector = both_paths(household, "2026-06")
    assert plain == vector
    assert any(not p["determined"] for p in plain["programs"])


def test_a_rule_the_plan_cannot_reproduce_falls_back_to_the_vectorised_engine() -> None:
    extra = {
        "id": "odd_month",
        "name_ko": "홀수 달 수당",
        "eligible": "period_month % 2 == 1",
        "amount": "10000",
    }
    system = benefits.load_system(extra_programs=[extra])
    assert scalar.plan(system, MONTH) is None
    result = benefits.calculate(
        {
            "housing": {"tenure": "owner"},
            "members": [{"id": "a", "relation": "head", "birth_date": "1990-01-01", "sex": "M"}],
        },
        "2026-07",
        system=system,
    )
    by_id = {p["id"]: p for p in result["programs"]}
    assert by_id["odd_month"]["amount"] == 10_000


def test_plain_arithmetic_matches_numpy_where_python_differs() -> None:
    # numpy's int64 cast floors floats; an overflow is left to numpy (the caller falls back)
    assert scalar._ci(2.7) == 2 and scalar._ci(-2.5) == -3 and scalar._ci(True) == 1
    with pytest.raises(OverflowError):
        scalar._ci(2**70)
    assert scalar._round(2.5) == int(np.floor(2.5 + 0.5))
