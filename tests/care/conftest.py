"""Care test helpers: a tiny deterministic population (10 older residents per dong) for the CLI and
browser tests that build their own database; every other care test uses the shared fixtures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import Engine

from gibon import db
from gibon.kit import gwanak
from gibon.kit.crypto import Vault, load_or_create_key
from gibon.population import rrn as population_rrn
from gibon.residents import service as residents

NAMES = [
    "김영수",
    "이순자",
    "박정희",
    "최말순",
    "정옥자",
    "강영자",
    "조복순",
    "윤철수",
    "장영길",
    "임정숙",
]


def _load_stand_in(engine: Engine, secret_key_file: Path, per_dong: int = 10) -> None:
    vault = Vault(load_or_create_key(secret_key_file))
    households, persons = [], []
    for d, dong in enumerate(gwanak.dong_names()):
        for i in range(per_dong):
            n = d * per_dong + i
            hid, pid = f"H{n:07d}", f"P{n:07d}"
            households.append(_household(hid, dong))
            persons.append(_person(pid, hid, dong, n))
    with db.transaction(engine) as session:
        residents.load_population(session, pl.DataFrame(households), pl.DataFrame(persons), vault)


def _household(hid: str, dong: str) -> dict[str, object]:
    money = dict.fromkeys(
        [
            "deposit",
            "monthly_rent",
            "asset_housing",
            "asset_deposits",
            "asset_financial",
            "asset_car",
            "debt",
        ],
        0,
    )
    return {
        "household_id": hid,
        "dong": dong,
        "size": 1,
        "tenure": "monthly_rent",
        "housing_type": "multi_family",
        **money,
        "living_alone": True,
        "lat": 37.47,
        "lon": 126.94,
    }


def _synthetic_rrn(born: date, male: bool, serial: int) -> str:
    """A valid number carrying gibon's synthetic mark, from the population package."""
    one = lambda v: np.array([v], dtype=np.int64)  # noqa: E731
    series = population_rrn.make(
        one(born.year), one(born.month), one(born.day), np.array([male]), one(serial % 4000)
    )
    return str(series[0])


def _person(pid: str, hid: str, dong: str, n: int) -> dict[str, object]:
    born = date(1935 + n % 25, 1 + n % 12, 1 + n % 28)
    rrn = _synthetic_rrn(born, male=n % 2 == 1, serial=n)
    return {
        "person_id": pid,
        "household_id": hid,
        "dong": dong,
        "name": NAMES[n % len(NAMES)],
        "rrn": rrn,
        "birth_date": born,
        "sex": "F" if n % 2 == 0 else "M",
        "relation": "head",
        "employment": "retired",
        "earned_income": 0,
        "business_income": 0,
        "pension_income": 300000,
        "property_income": 0,
        "disability": "none",
        "conditions": ["hypertension"],
        "ltc_grade": None,
        "student": False,
    }
