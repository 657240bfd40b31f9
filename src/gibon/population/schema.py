"""The column contract of persons.parquet and households.parquet (other domains rely on it)."""

from __future__ import annotations

import polars as pl

PERSONS: dict[str, pl.DataType] = {
    "person_id": pl.String(),  # "P00000001"
    "household_id": pl.String(),  # "H0000001" (7 digits, more when over 9,999,999)
    "dong": pl.String(),
    "birth_date": pl.Date(),
    "sex": pl.String(),  # F | M
    "relation": pl.String(),  # head | spouse | child | parent | other
    "name": pl.String(),
    "rrn": pl.String(),  # YYMMDD-GNNNNNN, fictitious, marked synthetic (see gibon.population.rrn)
    "employment": pl.String(),  # regular | temporary | daily | self_employed | unemployed | inactive
    "earned_income": pl.Int64(),  # monthly won
    "business_income": pl.Int64(),
    "pension_income": pl.Int64(),  # public and private pensions, not 기초연금 (a benefit)
    "property_income": pl.Int64(),
    "disability": pl.String(),  # none | mild | severe
    "conditions": pl.List(pl.String()),  # ICD-10 codes
    "ltc_grade": pl.String(),  # null | "1".."5" | "cognitive"
    "student": pl.Boolean(),
    "pregnant": pl.Boolean(),
}

HOUSEHOLDS: dict[str, pl.DataType] = {
    "household_id": pl.String(),
    "dong": pl.String(),
    "size": pl.Int64(),
    "tenure": pl.String(),  # owner | jeonse | monthly_rent | public_rental | free
    "housing_type": pl.String(),  # apartment | multi_unit | detached | officetel | semi_basement | gosiwon
    "deposit": pl.Int64(),  # won (전세/월세 보증금)
    "monthly_rent": pl.Int64(),  # won per month
    "asset_housing": pl.Int64(),  # value of the home the household owns
    "asset_deposits": pl.Int64(),  # rental deposit held as a tenant (임차보증금)
    "asset_financial": pl.Int64(),  # savings, stocks, insurance (저축액)
    "asset_car": pl.Int64(),
    "debt": pl.Int64(),
    "living_alone": pl.Boolean(),
    "lat": pl.Float64(),
    "lon": pl.Float64(),
}

FILES = {"persons.parquet": PERSONS, "households.parquet": HOUSEHOLDS}

# Columns read when present: directories written before they existed stay readable.
OPTIONAL: dict[str, dict[str, pl.DataType]] = {
    "households.parquet": {
        "sido": pl.String(),  # 시도 code (gibon.kit.places); absent = Seoul
        "sigungu": pl.String(),  # 시군구 code (5 digits); absent = 관악구
    },
    "persons.parquet": {},
}
SYNTHETIC_KEY = "gibon.synthetic"
SEED_KEY = "gibon.seed"
