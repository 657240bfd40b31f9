"""Columnar input (the gibon.population contract): checks before the engine sees a table."""

from __future__ import annotations

import io
from typing import Any

import polars as pl

from gibon.errors import InvalidInput

HOUSEHOLD_COLUMNS = {
    "household_id": None,
    "tenure": pl.String,
    "deposit": "int",
    "monthly_rent": "int",
}
PERSON_COLUMNS = {
    "person_id": None,
    "household_id": None,
    "birth_date": pl.Date,
    "sex": pl.String,
    "relation": pl.String,
    "disability": pl.String,
}
NON_NEGATIVE = (
    "deposit",
    "monthly_rent",
    "asset_housing",
    "asset_deposits",
    "asset_financial",
    "asset_car",
    "debt",
    "earned_income",
    "business_income",
    "pension_income",
    "property_income",
    "other_income",
)
ALLOWED = {
    "tenure": ("owner", "jeonse", "monthly_rent", "public_rental", "free"),
    "relation": ("head", "spouse", "child", "parent", "other"),
    "sex": ("F", "M"),
    "disability": ("none", "mild", "severe"),
}


def read_parquet(data: bytes, name: str) -> pl.DataFrame:
    try:
        return pl.read_parquet(io.BytesIO(data))
    except Exception as exc:  # polars raises several types for a bad file
        raise InvalidInput(
            f"not a readable parquet file ({type(exc).__name__})",
            where=name,
            example="households.parquet from gibon population generate",
        ) from None


def check(households: pl.DataFrame, persons: pl.DataFrame) -> None:
    _check(households, "households", HOUSEHOLD_COLUMNS)
    _check(persons, "persons", PERSON_COLUMNS)


def _check(df: pl.DataFrame, name: str, required: dict[str, Any]) -> None:
    for col, dtype in required.items():
        if col not in df.columns:
            raise InvalidInput(
                "required column is missing", where=f"{name}.{col}", example=", ".join(required)
            )
        if dtype == "int" and not df[col].dtype.is_integer():
            raise InvalidInput(f"must be integer won, not {df[col].dtype}", where=f"{name}.{col}")
        if dtype not in (None, "int") and df[col].dtype != dtype:
            raise InvalidInput(f"must be {dtype}, not {df[col].dtype}", where=f"{name}.{col}")
    for col in NON_NEGATIVE:
        if col in df.columns and df[col].dtype.is_numeric() and (df[col] < 0).any():
            row = int(df.with_row_index().filter(pl.col(col) < 0)["index"][0])
            raise InvalidInput(
                "amounts cannot be negative", where=f"{name}[{row}].{col}", example="0"
            )
    for col, allowed in ALLOWED.items():
        if col in df.columns:
            bad = df.filter(~pl.col(col).is_in(allowed))
            if bad.height:
                raise InvalidInput(
                    f"{bad[col][0]!r} is not allowed",
                    where=f"{name}.{col}",
                    example=" | ".join(allowed),
                )
