"""Plain factories: one household dict (the JSON contract) and random population tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import polars as pl


def member(
    id: str = "a", relation: str = "head", birth_date: str = "1980-01-15", **kw: Any
) -> dict[str, Any]:
    return {
        "id": id,
        "relation": relation,
        "birth_date": birth_date,
        "sex": kw.pop("sex", "F"),
        **kw,
    }


def household(
    *members: dict[str, Any],
    tenure: str = "monthly_rent",
    deposit: int = 0,
    monthly_rent: int = 0,
    **kw: Any,
) -> dict[str, Any]:
    return {
        "dong": kw.pop("dong", "청룡동"),
        "housing": {"tenure": tenure, "deposit": deposit, "monthly_rent": monthly_rent},
        "members": list(members) or [member()],
        **kw,
    }


def population(n_households: int, seed: int = 0) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Households and persons shaped like gibon.population's parquet files."""
    rng = np.random.default_rng(seed)
    size = rng.choice([1, 2, 3, 4, 5], n_households, p=[0.55, 0.22, 0.12, 0.08, 0.03])
    tenure = rng.choice(
        ["owner", "jeonse", "monthly_rent", "public_rental", "free"],
        n_households,
        p=[0.25, 0.25, 0.4, 0.07, 0.03],
    )
    rent = np.where(
        np.isin(tenure, ["monthly_rent", "public_rental"]),
        rng.integers(0, 90, n_households) * 10000,
        0,
    )
    deposit = np.where(
        tenure == "jeonse",
        rng.integers(0, 40, n_households) * 10_000_000,
        np.where(tenure == "owner", 0, rng.integers(0, 30, n_households) * 1_000_000),
    )
    hh = pl.DataFrame(
        {
            "household_id": np.arange(n_households, dtype=np.int64),
            "dong": rng.choice(["청룡동", "신림동", "서원동", "낙성대동"], n_households),
            "size": size,
            "tenure": tenure,
            "housing_type": "apartment",
            "deposit": deposit,
            "monthly_rent": rent,
            "asset_housing": np.where(
                tenure == "owner", rng.integers(0, 80, n_households) * 10_000_000, 0
            ),
            "asset_deposits": rng.integers(0, 60, n_households) * 500_000,
            "asset_financial": np.where(
                rng.random(n_households) < 0.2, rng.integers(0, 50, n_households) * 1_000_000, 0
            ),
            "asset_car": np.where(
                rng.random(n_households) < 0.3, rng.integers(1, 40, n_households) * 1_000_000, 0
            ),
            "debt": np.where(
                rng.random(n_households) < 0.2, rng.integers(0, 100, n_households) * 1_000_000, 0
            ),
            "living_alone": size == 1,
        }
    )
    return hh, _persons(rng, size)


def _persons(rng: np.random.Generator, size: np.ndarray) -> pl.DataFrame:
    n = int(size.sum())
    hid = np.repeat(np.arange(len(size)), size)
    pos = np.arange(n) - np.repeat(np.cumsum(size) - size, size)
    relation = np.where(
        pos == 0,
        "head",
        np.where(
            pos == 1, rng.choice(["spouse", "child", "parent"], n, p=[0.6, 0.3, 0.1]), "child"
        ),
    )
    adult = relation != "child"
    age = np.where(adult, rng.integers(19, 95, n), rng.integers(0, 25, n))
    birth = [
        dt.date(2026 - int(a), int(m), int(d))
        for a, m, d in zip(age, rng.integers(1, 13, n), rng.integers(1, 29, n), strict=True)
    ]
    works = adult & (age < 65) & (rng.random(n) < 0.6)
    ltc = np.where(
        (age >= 65) & (rng.random(n) < 0.1),
        rng.choice(["1", "2", "3", "4", "5", "cognitive"], n),
        None,
    )
    return pl.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(n)],
            "household_id": hid.astype(np.int64),
            "birth_date": birth,
            "sex": rng.choice(["F", "M"], n),
            "relation": relation,
            "employment": np.where(works, "employed", "none"),
            "earned_income": np.where(works, rng.integers(0, 500, n) * 10_000, 0),
            "business_income": np.where(
                works & (rng.random(n) < 0.1), rng.integers(0, 300, n) * 10_000, 0
            ),
            "pension_income": np.where(age >= 65, rng.integers(0, 120, n) * 10_000, 0),
            "property_income": np.where(rng.random(n) < 0.05, rng.integers(0, 100, n) * 10_000, 0),
            "disability": rng.choice(["none", "mild", "severe"], n, p=[0.94, 0.04, 0.02]),
            "conditions": [["hypertension"] * int(k) for k in rng.integers(0, 3, n)],
            "ltc_grade": pl.Series(ltc.tolist(), dtype=pl.String),
            "student": (age >= 7) & (age <= 22) & (relation == "child"),
            "pregnant": np.zeros(n, dtype=bool),
        }
    )
