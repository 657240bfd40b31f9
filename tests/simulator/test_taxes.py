"""Taxes and contributions at 2026 rates: worked examples and properties."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from gibon.benefits.engine import parameters
from gibon.simulator import taxes

JUNE = dt.date(2026, 6, 1)


def _one(
    birth: dt.date = dt.date(1986, 3, 1),
    earned: int = 0,
    business: int = 0,
    pension: int = 0,
    prop: int = 0,
    month: dt.date = JUNE,
    tree: parameters.ParameterTree | None = None,
) -> dict[str, int]:
    df = pl.DataFrame(
        {
            "birth_date": [birth],
            "earned_income": [earned],
            "business_income": [business],
            "pension_income": [pension],
            "property_income": [prop],
        }
    )
    return taxes.person_taxes(df, month, tree).row(0, named=True)


def test_a_wage_earner_on_three_million_a_month_pays_the_worked_example() -> None:
    row = _one(earned=3_000_000)
    assert row["national_pension"] == 142_500  # 3,000,000 x 9.5 % / 2
    assert row["health_insurance"] == 107_850  # x 7.19 % / 2
    assert row["ltc_insurance"] == 14_172  # x 0.9448 % / 2
    assert row["employment_insurance"] == 27_000  # x 0.9 %
    # 36,000,000 - 10,650,000 earned-income deduction - 1,500,000 - 3,498,264 contributions
    # = 20,351,736 taxable; 1,792,760 tax - 716,000 credit (limit) - 130,000 standard credit
    assert row["income_tax"] == 78_896
    assert row["local_income_tax"] == 7_889


def test_national_pension_stops_at_sixty_and_is_capped_at_the_ceiling() -> None:
    assert _one(birth=dt.date(1966, 5, 1), earned=3_000_000)["national_pension"] == 0
    assert _one(earned=10_000_000)["national_pension"] == 302_575  # 6,370,000 x 4.75 %
    july = _one(earned=10_000_000, month=dt.date(2026, 7, 1))
    assert july["national_pension"] == 313_025  # ceiling 6,590,000 from July 2026


def test_the_self_employed_pay_both_halves_of_the_contributions() -> None:
    row = _one(business=2_000_000)
    assert row["national_pension"] == 190_000
    assert row["health_insurance"] == 143_800
    assert row["employment_insurance"] == 0


def test_property_income_is_taxed_separately_at_fourteen_percent() -> None:
    row = _one(birth=dt.date(1950, 1, 1), prop=100_000)
    assert row["income_tax"] == 14_000
    assert row["national_pension"] == 0


def test_a_tax_override_changes_the_levy_from_its_start_date() -> None:
    tree = taxes.tax_tree()
    parameters.override(tree, "health_insurance.rate", "2026-06-01", 0.08)
    assert _one(earned=1_000_000, tree=tree)["health_insurance"] == 40_000
    assert _one(earned=1_000_000)["health_insurance"] == 35_950


@settings(deadline=None, max_examples=40)
@given(
    st.integers(-1_000_000, 30_000_000),
    st.integers(-5_000_000, 5_000_000),
    st.integers(0, 3_000_000),
)
def test_taxes_are_never_negative_nor_more_than_income(
    earned: int, business: int, pension: int
) -> None:
    row = _one(earned=earned, business=business, pension=pension)
    assert all(row[c] >= 0 for c in taxes.COLUMNS)
    assert row["taxes"] <= max(earned, 0) + max(business, 0) + pension


@settings(deadline=None, max_examples=40)
@given(st.integers(0, 20_000_000), st.integers(1, 500_000))
def test_a_raise_never_leaves_a_wage_earner_with_less(earned: int, raise_: int) -> None:
    before = earned - _one(earned=earned)["taxes"]
    after = earned + raise_ - _one(earned=earned + raise_)["taxes"]
    # Each levy is rounded down to the won on its own, so a raise can meet up to one won of
    # rounding per levy; every marginal rate is far below 100 %, so nothing more can be lost.
    assert after >= before - len(taxes.COLUMNS)
