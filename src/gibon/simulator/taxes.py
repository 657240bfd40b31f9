"""Taxes and social contributions per person, at the rates in force in the month (vectorised).

Annual rules (income tax) are applied to twelve times the monthly income and divided back; every
simplification is listed in docs/simulator.md. Parameters live in
``data/simulator/taxes_kr_2026.yaml`` in the same dated format as the benefit parameters, so a
reform can override them (names prefixed ``taxes.``).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import polars as pl

from gibon.benefits.engine import parameters

TAX_PARAMETERS = (
    Path(__file__).resolve().parent.parent / "data" / "simulator" / "taxes_kr_2026.yaml"
)
COLUMNS = (
    "national_pension",
    "health_insurance",
    "ltc_insurance",
    "employment_insurance",
    "income_tax",
    "local_income_tax",
)


@lru_cache(maxsize=1)
def _base_tree() -> parameters.ParameterTree:
    return parameters.load(TAX_PARAMETERS)


def tax_tree() -> parameters.ParameterTree:
    """A fresh copy of the tax parameters (reforms override the copy)."""
    return _base_tree().copy()


def values_at(tree: parameters.ParameterTree, month: dt.date) -> dict[str, float]:
    return {name: float(leaf.at(month).value or 0) for name, leaf in tree.leaves.items()}


def _pos(name: str) -> pl.Expr:
    """An income column with losses counted as zero (no levy is ever negative)."""
    return pl.col(name).clip(lower_bound=0)


def _won(x: pl.Expr) -> pl.Expr:
    """Whole won, rounded down (the epsilon absorbs binary float error: 3,000,000 x 0.009)."""
    return (x + 1e-6).floor().cast(pl.Int64)


def _piecewise(x: pl.Expr, p: dict[str, float], node: str, n: int) -> pl.Expr:
    """Sum of rate_k x the part of ``x`` between threshold k-1 and k (a marginal schedule)."""
    bounds = [0.0] + [p[f"{node}.thresholds.t{k}"] for k in range(1, n)]
    out = pl.lit(0.0)
    for k in range(n):
        lo = bounds[k]
        part = (x - lo).clip(lower_bound=0)
        if k + 1 < n:
            part = part.clip(upper_bound=bounds[k + 1] - lo)
        out = out + p[f"{node}.rates.r{k + 1}"] * part
    return out


def _contributions(p: dict[str, float]) -> list[pl.Expr]:
    earned, business, age = _pos("earned_income"), _pos("business_income"), pl.col("_age")
    np_ok = (age >= p["national_pension.min_age"]) & (age < p["national_pension.max_age"])
    # The lower bound (기준소득월액 하한) is not applied: see docs/simulator.md.
    hi = p["national_pension.ceiling"]
    rate = p["national_pension.rate"]
    share = p["national_pension.employee_share"]
    pension = (
        pl.when(np_ok)
        .then(
            pl.when(earned > 0).then(earned.clip(0, hi) * rate * share).otherwise(0)
            + pl.when(business > 0).then(business.clip(0, hi) * rate).otherwise(0)
        )
        .otherwise(0)
    )
    hi_rate, ltc_rate = p["health_insurance.rate"], p["long_term_care_insurance.rate"]
    health = earned * hi_rate * p["health_insurance.employee_share"] + business * hi_rate
    ltc = earned * ltc_rate * p["long_term_care_insurance.employee_share"] + business * ltc_rate
    ei_ok = age < p["employment_insurance.max_age"]
    ei = pl.when(ei_ok).then(earned * p["employment_insurance.employee_rate"]).otherwise(0)
    return [
        _won(pension).alias("national_pension"),
        _won(health).alias("health_insurance"),
        _won(ltc).alias("ltc_insurance"),
        _won(ei).alias("employment_insurance"),
    ]


def _eitc_limit(pay: pl.Expr, p: dict[str, float]) -> pl.Expr:
    q = "earned_income_tax_credit.limit"
    s = "earned_income_tax_credit.limit_slope"
    return (
        pl.when(pay <= p[f"{q}.pay1"])
        .then(p[f"{q}.max1"])
        .when(pay <= p[f"{q}.pay2"])
        .then(
            pl.max_horizontal(
                p[f"{q}.floor2"], p[f"{q}.max1"] - (pay - p[f"{q}.pay1"]) * p[f"{s}.s2"]
            )
        )
        .when(pay <= p[f"{q}.pay3"])
        .then(
            pl.max_horizontal(
                p[f"{q}.floor3"], p[f"{q}.floor2"] - (pay - p[f"{q}.pay2"]) * p[f"{s}.s3"]
            )
        )
        .otherwise(
            pl.max_horizontal(
                p[f"{q}.floor4"], p[f"{q}.floor3"] - (pay - p[f"{q}.pay3"]) * p[f"{s}.s4"]
            )
        )
    )


def _income_tax_stages(p: dict[str, float]) -> list[list[pl.Expr]]:
    """Annual income tax in stages of named columns (keeps each expression small and fast)."""
    pay, pensions = pl.col("_pay"), _pos("pension_income") * 12.0
    c = "earned_income_tax_credit"
    kink = p[f"{c}.kink"]
    earned_tax, income = pl.col("_earned_tax"), pl.col("_income")
    return [
        [
            (_pos("earned_income") * 12.0).alias("_pay"),
            (pl.sum_horizontal(*(pl.col(x) for x in COLUMNS[:4])) * 12.0).alias("_own"),
        ],
        [
            (
                pay
                - _piecewise(pay, p, "earned_income_deduction", 5).clip(
                    upper_bound=p["earned_income_deduction.cap"]
                )
            ).alias("_earned_amount"),
            (
                pensions
                - _piecewise(pensions, p, "pension_income_deduction", 4).clip(
                    upper_bound=p["pension_income_deduction.cap"]
                )
            ).alias("_pension_amount"),
        ],
        [
            (
                pl.col("_earned_amount")
                + _pos("business_income") * 12.0
                + pl.col("_pension_amount")
            ).alias("_income")
        ],
        [
            (income - p["income_tax.basic_deduction"] - pl.col("_own"))
            .clip(lower_bound=0)
            .alias("_base")
        ],
        [
            _piecewise(pl.col("_base"), p, "income_tax", 8).alias("_computed"),
            _eitc_limit(pay, p).alias("_eitc_limit"),
        ],
        [
            pl.when(income > 0)
            .then(pl.col("_computed") * pl.col("_earned_amount") / income)
            .otherwise(0.0)
            .alias("_earned_tax")
        ],
        [
            pl.min_horizontal(
                earned_tax.clip(upper_bound=kink) * p[f"{c}.rate_low"]
                + (earned_tax - kink).clip(lower_bound=0) * p[f"{c}.rate_high"],
                pl.col("_eitc_limit"),
            ).alias("_eitc"),
            pl.when(pay > 0)
            .then(p["income_tax.standard_credit_wage"])
            .when(income > 0)
            .then(p["income_tax.standard_credit_other"])
            .otherwise(0.0)
            .alias("_standard"),
        ],
        [
            (
                (pl.col("_computed") - pl.col("_eitc") - pl.col("_standard")).clip(lower_bound=0)
                + pl.col("property_income").clip(lower_bound=0)
                * 12.0
                * p["income_tax.property_income_rate"]
            ).alias("_annual_tax")
        ],
    ]


def person_taxes(
    persons: pl.DataFrame, month: dt.date, tree: parameters.ParameterTree | None = None
) -> pl.DataFrame:
    """``persons`` (with ``birth_date`` and the four monthly incomes) plus one column per levy."""
    p = values_at(tree or _base_tree(), month)
    df = persons.lazy().with_columns(_age_expr(month).alias("_age"))
    df = df.with_columns(_contributions(p))
    for stage in _income_tax_stages(p):
        df = df.with_columns(stage)
    df = df.with_columns(_won(pl.col("_annual_tax") / 12.0).alias("income_tax"))
    df = df.with_columns(
        _won(pl.col("income_tax") * p["local_income_tax.rate"]).alias("local_income_tax")
    )
    df = df.with_columns(pl.sum_horizontal(*COLUMNS).alias("taxes"))
    return df.select(pl.exclude("^_.*$")).collect()


def _age_expr(month: dt.date) -> pl.Expr:
    """Age in completed years on the last day of ``month`` (as gibon.benefits counts it)."""
    b = pl.col("birth_date")
    not_yet = pl.when(b.dt.month() > month.month).then(1).otherwise(0)
    return (month.year - b.dt.year() - not_yet).cast(pl.Int64)


def age_at(month: dt.date) -> pl.Expr:
    return _age_expr(month)
