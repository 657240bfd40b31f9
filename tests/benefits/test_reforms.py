"""Reforms: dated overrides and new programs in the rule language, and the errors they can raise."""

from __future__ import annotations

import datetime as dt

import pytest

import gibon.benefits as benefits
from gibon.errors import InvalidInput
from tests.benefits.factories import household, member, population

YOUTH_INCOME = """
id: gwanak_youth_basic_income
name_ko: 관악 청년기본소득
entity: person
references: [관악구 기본사회 조례안 (예시)]
eligible: age >= 19 and age <= 34
amount: 100000
explain: [age]
"""

CARE_VOUCHER = {
    "id": "elderly_care_voucher",
    "name_ko": "홀몸 어르신 돌봄 바우처",
    "entity": "person",
    "eligible": "age >= 65 and living_alone",
    "amount": "p.basic_pension.standard_amount // 2",
}


def one_person(**kw: object) -> dict[str, object]:
    return household(member(birth_date="1970-01-01", **kw), tenure="free")


def livelihood(result: dict[str, object]) -> dict[str, object]:
    return next(p for p in result["programs"] if p["id"] == "livelihood")  # type: ignore[attr-defined]


def test_a_dated_override_changes_the_line_only_from_its_date() -> None:
    system = benefits.load_system(
        overrides={"nbls.selection_rate.livelihood": {"2026-07-01": 0.35}}
    )
    june = benefits.calculate(one_person(), "2026-06", system=system)
    july = benefits.calculate(one_person(), "2026-07", system=system)
    assert livelihood(june)["amount"] == 820556
    assert livelihood(july)["amount"] == 897483  # round(2,564,238 × 0.35)


def test_overrides_can_be_given_as_a_list() -> None:
    system = benefits.load_system(
        overrides=[{"name": "basic_pension.standard_amount", "from": "2026-01-01", "value": 400000}]
    )
    elder = household(member(birth_date="1950-01-01"), tenure="free")
    bp = next(
        p
        for p in benefits.calculate(elder, system=system)["programs"]
        if p["id"] == "basic_pension"
    )
    assert bp["amount"] == 400000


def test_an_override_can_confirm_a_value_and_decide_what_was_undetermined() -> None:
    big = household(
        member(birth_date="1970-01-01"),
        member("b", "child", "2010-01-01"),
        member("c", "child", "2012-01-01"),
        tenure="monthly_rent",
        monthly_rent=600000,
    )
    before = benefits.calculate(big)
    system = benefits.load_system(
        overrides={"housing_benefit.standard_rent_grade1_seoul.3": {"2026-01-01": 492000}}
    )
    after = benefits.calculate(big, system=system)
    hb = [next(p for p in r["programs"] if p["id"] == "housing_benefit") for r in (before, after)]
    assert (hb[0]["determined"], hb[1]["determined"], hb[1]["amount"]) == (False, True, 492000)


def test_an_unknown_parameter_name_lists_the_closest_valid_names() -> None:
    with pytest.raises(InvalidInput) as err:
        benefits.load_system(overrides={"nbls.selection_rate.livelyhood": {"2026-07-01": 0.35}})
    assert "nbls.selection_rate.livelihood" in err.value.details["closest"]


def test_an_override_before_the_parameter_exists_is_refused() -> None:
    with pytest.raises(InvalidInput, match="exists only from 2026-01-01"):
        benefits.load_system(overrides={"nbls.selection_rate.livelihood": {"2020-01-01": 0.35}})


def test_a_rate_written_as_a_percentage_is_refused_with_the_right_form() -> None:
    with pytest.raises(InvalidInput, match=r"35% is written 0\.35"):
        benefits.load_system(overrides={"nbls.selection_rate.livelihood": {"2026-07-01": 35}})


def test_a_won_amount_with_a_fraction_is_refused() -> None:
    with pytest.raises(InvalidInput, match="whole, non-negative"):
        benefits.load_system(overrides={"basic_pension.standard_amount": {"2026-07-01": 349700.5}})


def test_a_new_program_from_yaml_text_appears_in_the_population_table() -> None:
    system = benefits.load_system(extra_programs=[YOUTH_INCOME, CARE_VOUCHER])
    households, persons = population(300, seed=3)
    df = benefits.calculate_population(households, persons, "2026-06", system=system)
    bd = persons["birth_date"]
    young = persons.filter((bd >= dt.date(1991, 7, 1)) & (bd <= dt.date(2007, 6, 30)))
    assert young.height > 0
    assert df["gwanak_youth_basic_income_amount"].sum() == 100000 * young.height
    assert "elderly_care_voucher_eligible" in df.columns


def test_a_new_program_gives_its_amount_and_explanation_for_one_household() -> None:
    system = benefits.load_system(extra_programs=[CARE_VOUCHER])
    elder = household(member(birth_date="1950-01-01"), tenure="owner")
    got = next(
        p
        for p in benefits.calculate(elder, system=system)["programs"]
        if p["id"] == "elderly_care_voucher"
    )
    assert (got["eligible"], got["amount"]) == (True, 174850)


def test_a_rule_that_does_not_parse_is_refused_with_its_place() -> None:
    bad = dict(CARE_VOUCHER, amount="100000 +* 2")
    with pytest.raises(InvalidInput, match="does not parse") as err:
        benefits.load_system(extra_programs=[bad])
    assert err.value.where == "elderly_care_voucher.elderly_care_voucher__person_amount.formula"


def test_an_unknown_variable_in_a_rule_lists_the_closest_names() -> None:
    with pytest.raises(InvalidInput, match="unknown variable 'living_alon'") as err:
        benefits.load_system(
            extra_programs=[dict(CARE_VOUCHER, eligible="age >= 65 and living_alon")]
        )
    assert "living_alone" in err.value.details["closest"]


def test_an_unknown_parameter_in_a_rule_lists_the_closest_names() -> None:
    with pytest.raises(InvalidInput, match="unknown parameter") as err:
        benefits.load_system(
            extra_programs=[dict(CARE_VOUCHER, amount="p.basic_pension.standard_amont")]
        )
    assert "p.basic_pension.standard_amount" in err.value.details["closest"]


def test_functions_outside_the_rule_language_are_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown function '__import__'"):
        benefits.load_system(extra_programs=[dict(CARE_VOUCHER, amount="__import__('os')")])


def test_a_new_program_cannot_reuse_a_built_in_id() -> None:
    with pytest.raises(InvalidInput, match="already exists"):
        benefits.load_system(extra_programs=[dict(CARE_VOUCHER, id="livelihood")])


def test_a_month_with_no_parameters_in_force_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no value in force"):
        benefits.calculate(one_person(), "2025-06")


def test_chosen_households_of_a_population_are_explained_in_the_issue_contract() -> None:
    households, persons = population(200, seed=4)
    df = benefits.calculate_population(households, persons, "2026-06")
    ids = df.filter(df["livelihood_eligible"])["household_id"].head(3).to_list()
    got = benefits.explain_households(households, persons, "2026-06", household_ids=ids)
    assert [r["household_id"] for r in got] == ids
    amounts = df.filter(df["household_id"].is_in(ids))["livelihood_amount"].to_list()
    assert [r["programs"][0]["amount"] for r in got] == amounts
    assert all(r["programs"][0]["explanation"] for r in got)


def test_arrow_tables_give_the_same_result_as_polars_frames() -> None:
    households, persons = population(100, seed=6)
    a = benefits.calculate_population(households.to_arrow(), persons.to_arrow(), "2026-06")
    b = benefits.calculate_population(households, persons, "2026-06")
    assert a.drop("dong").equals(b.drop("dong"))


def test_rules_that_depend_on_each_other_in_a_circle_are_refused() -> None:
    circle = {
        "id": "circle",
        "name_ko": "순환",
        "eligible": "True",
        "amount": "a_var",
        "variables": {"a_var": "b_var + 1", "b_var": "a_var + 1"},
    }
    with pytest.raises(InvalidInput, match="circle"):
        benefits.load_system(extra_programs=[circle])


def test_a_program_with_an_unknown_key_is_refused_with_the_allowed_keys() -> None:
    with pytest.raises(InvalidInput, match="unknown keys"):
        benefits.load_system(extra_programs=[dict(CARE_VOUCHER, amout="1")])


def test_a_person_value_in_a_household_rule_must_be_aggregated() -> None:
    bad = {"id": "bad_entity", "name_ko": "잘못", "eligible": "age >= 65", "amount": "0"}
    with pytest.raises(InvalidInput, match=r"hh_sum\(age\)"):
        benefits.load_system(extra_programs=[bad])


def as_contract(hh: dict[str, object], people: list[dict[str, object]]) -> dict[str, object]:
    """A population household in the issue-3 JSON contract (its assets go to the head)."""
    members = []
    for p in people:
        head = p["relation"] == "head"
        members.append(
            {
                "id": p["person_id"],
                "relation": p["relation"],
                "birth_date": p["birth_date"].isoformat(),
                "sex": p["sex"],
                "disability": p["disability"],
                "student": p["student"],
                "pregnant": p["pregnant"],
                "employed": p["employment"] != "none",
                "earned_income": p["earned_income"],
                "business_income": p["business_income"],
                "pension_income": p["pension_income"],
                "property_income": p["property_income"],
                "conditions": p["conditions"],
                "ltc_grade": p["ltc_grade"],
                "assets": {
                    "housing": hh["asset_housing"] if head else 0,
                    "deposits": hh["asset_deposits"] if head else 0,
                    "financial": hh["asset_financial"] if head else 0,
                    "car": hh["asset_car"] if head else 0,
                    "debt": hh["debt"] if head else 0,
                },
            }
        )
    return {
        "dong": hh["dong"],
        "housing": {
            "tenure": hh["tenure"],
            "deposit": hh["deposit"],
            "monthly_rent": hh["monthly_rent"],
        },
        "members": members,
    }


def test_the_population_path_and_the_household_path_agree() -> None:
    households, persons = population(120, seed=11)
    df = benefits.calculate_population(households, persons, "2026-06")
    by_hh: dict[object, list[dict[str, object]]] = {}
    for p in persons.iter_rows(named=True):
        by_hh.setdefault(p["household_id"], []).append(p)
    contracts = [as_contract(h, by_hh[h["household_id"]]) for h in households.iter_rows(named=True)]
    results = benefits.calculate_many(contracts, "2026-06", explain=False)
    for row, result in zip(df.iter_rows(named=True), results, strict=True):
        for prog in result["programs"]:
            pid = prog["id"]
            got = (row[f"{pid}_eligible"], row[f"{pid}_amount"], not row[f"{pid}_undetermined"])
            assert got == (prog["eligible"], prog["amount"], prog["determined"]), (
                row["household_id"],
                pid,
            )
