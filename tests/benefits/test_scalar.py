"""The plain-Python plan of one household (engine.scalar) gives exactly what the vectorised
engine gives: every program, amount, decision and explanation step, on every case file and on
households of the synthetic populations (Gwanak and the Korea profile, whose regions differ)."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import yaml

import gibon.benefits as benefits
from gibon import population
from gibon.benefits import explain, service
from gibon.benefits.engine import functions, inputs, scalar, scalar_calls
from gibon.benefits.engine import scalar_twins as twins
from gibon.benefits.engine.simulation import Simulation
from gibon.benefits.schemas import parse_household

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


def as_one(pop: inputs.Population) -> inputs.One:
    """A one-household population's arrays as the plain values the plan reads."""
    values = {
        name: arr.tolist() if inputs.INPUTS[name][0] == "person" else arr[0].item()
        for name, arr in pop.inputs.items()
    }
    return inputs.One(values, pop.person_id_list(), pop.person_couple.tolist(), pop.n["couple"])


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
        plain = explain.results_plain(plan, system, MONTH, as_one(pop), programs, True)
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
    assert twins._ci(2.7) == 2 and twins._ci(-2.5) == -3 and twins._ci(True) == 1
    with pytest.raises(OverflowError):
        twins._ci(2**70)
    assert twins._round(2.5) == int(np.floor(2.5 + 0.5))


def test_the_plan_writes_every_function_of_the_rule_language_and_nothing_else() -> None:
    assert set(scalar_calls.CALLS) == set(functions.REGISTRY)


def test_the_plans_source_may_call_only_the_listed_helpers() -> None:
    plan = scalar.plan(benefits.default_system(), MONTH)
    assert plan is not None
    called = set(re.findall(r"\b(_[a-z]\w*)\(", plan.source))
    assert called and called <= set(twins.HELPERS)


def random_household(rng: random.Random) -> dict[str, Any]:
    relations = ["head", *rng.choices(["spouse", "child", "parent", "other"], k=rng.randint(0, 5))]
    tenure = rng.choice(["owner", "jeonse", "monthly_rent", "public_rental", "free"])
    members = []
    for i, relation in enumerate(relations):
        born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randint(0, 35_000))
        member: dict[str, Any] = {
            "id": f"m{i}",
            "relation": relation,
            "birth_date": born.isoformat(),
            "sex": rng.choice("FM"),
            "disability": rng.choice(["none", "none", "mild", "severe"]),
            "pregnant": rng.random() < 0.05,
            "student": rng.random() < 0.2,
            "employed": rng.choice([None, True, False]),
            "earned_income": rng.choice([0, rng.randint(0, 5_000_000)]),
            "business_income": rng.choice([0, 0, rng.randint(0, 3_000_000)]),
            "pension_income": rng.choice([0, rng.randint(0, 1_500_000)]),
            "pension_a_benefit": rng.choice([None, rng.randint(0, 600_000)]),
            "property_income": rng.choice([0, rng.randint(0, 500_000)]),
            "other_income": rng.choice([0, rng.randint(0, 500_000)]),
            "assets": {
                "housing": rng.choice([0, rng.randint(0, 900_000_000)]),
                "deposits": rng.choice([0, rng.randint(0, 200_000_000)]),
                "financial": rng.choice([0, rng.randint(0, 80_000_000)]),
                "car": rng.choice([0, rng.randint(0, 60_000_000)]),
                "debt": rng.choice([0, rng.randint(0, 100_000_000)]),
            },
            "ltc_grade": rng.choice([None, None, 1, 3, "5", "cognitive"]),
            "conditions": rng.sample(["당뇨", "고혈압", "치매", "관절염"], rng.randint(0, 3)),
        }
        members.append(member)
    return {
        "dong": rng.choice(["", "청룡동", "신림동", "낙성대동", "없는동"]),
        "housing": {
            "tenure": tenure,
            "deposit": rng.choice([0, rng.randint(0, 300_000_000)]),
            "monthly_rent": rng.choice([0, rng.randint(0, 1_200_000)]),
        },
        "members": members,
        "living_alone": rng.choice([None, True, False]),
        "crisis": rng.random() < 0.2,
    }


def test_one_households_inputs_are_what_the_column_builder_gives() -> None:
    rng = random.Random(7)
    households = [random_household(rng) for _ in range(300)]
    for f in sorted(CASES.glob("*.yaml")):
        households += [case["household"] for case in yaml.safe_load(f.read_text("utf-8"))]
    for month in (MONTH, dt.date(2026, 2, 1), dt.date(2026, 12, 1)):
        for raw in households:
            h = parse_household(raw)
            pop = inputs.build(*service.household_columns([h]), month)
            expected = as_one(pop)
            got = inputs.one(h, month)
            assert got.values == expected.values and got.couple == expected.couple, raw
            assert got.ids == expected.ids and got.n_couple == expected.n_couple


def test_random_households_are_the_same_through_both_engines() -> None:
    rng = random.Random(8)
    for _ in range(300):
        household = random_household(rng)
        plain, vector = both_paths(household, rng.choice(["2026-03", "2026-06", "2026-11"]))
        assert plain == vector, household
