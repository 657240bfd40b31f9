"""Places: Korea's 17 시도 and the region classes that benefit rules read, from one table.

Households carry a ``sido`` code (행정표준코드, two digits). A household without one lives in the
district gibon serves (``HOME_SIDO``), so the Gwanak population and the calculator need no column.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from gibon.errors import InvalidInput

HOME_SIDO = "11"  # 서울특별시: Gwanak's 시도
HOME_SIGUNGU = "11620"  # 관악구


@dataclass(frozen=True)
class Sido:
    code: str
    name: str
    short: str
    population_2024: int
    nbls_region: int  # 1 서울, 2 경기, 3 광역시·세종·창원, 4 그 외
    metro_city: bool  # 특별시·광역시 (기초연금 대도시)
    capital_area: bool  # 수도권


@dataclass(frozen=True)
class Sigungu:
    """A 시·군·자치구 and the region classes of the rules there (one row of sigungu.csv)."""

    code: str  # 행정표준코드 5자리
    sido: str
    name: str
    kind: str  # 자치구 | 시 | 군
    residents_2024: int
    nbls_region: int  # as Sido.nbls_region, with 창원시 in class 3
    housing_grade: int  # 주거급여 급지 1-4
    basic_pension_area: str  # 대도시 | 중소도시 | 농어촌


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    text = resources.files("gibon.data.places").joinpath("sido.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@lru_cache(maxsize=1)
def sidos() -> tuple[Sido, ...]:
    return tuple(Sido(**row) for row in table()["sido"])


def by_code() -> dict[str, Sido]:
    return {s.code: s for s in sidos()}


def population_shares() -> tuple[tuple[str, ...], np.ndarray]:
    """The codes and each one's share of the registered population."""
    rows = sidos()
    weights = np.array([s.population_2024 for s in rows], dtype=np.float64)
    return tuple(s.code for s in rows), weights / weights.sum()


@lru_cache(maxsize=1)
def sigungus() -> tuple[Sigungu, ...]:
    text = resources.files("gibon.data.places").joinpath("sigungu.csv").read_text(encoding="utf-8")
    lines = text.strip().splitlines()
    head = lines[0].split(",")
    out = []
    for line in lines[1:]:
        row = dict(zip(head, line.split(","), strict=True))
        out.append(
            Sigungu(
                code=row["code"],
                sido=row["sido"],
                name=row["name"],
                kind=row["kind"],
                residents_2024=int(row["residents_2024"]),
                nbls_region=int(row["nbls_region"]),
                housing_grade=int(row["housing_grade"]),
                basic_pension_area=row["basic_pension_area"],
            )
        )
    return tuple(out)


def sigungu_by_code() -> dict[str, Sigungu]:
    return {g.code: g for g in sigungus()}


def sigungu_shares(sido: str) -> tuple[tuple[str, ...], np.ndarray]:
    """The 시군구 of one 시도 and each one's share of its residents."""
    rows = [g for g in sigungus() if g.sido == sido]
    if not rows:
        raise InvalidInput(
            f"알 수 없는 시도 코드 {sido!r}", where="sido", example="11 (서울특별시), 41 (경기도)"
        )
    weights = np.array([g.residents_2024 for g in rows], dtype=np.float64)
    return tuple(g.code for g in rows), weights / weights.sum()


def region_inputs(codes: Any, n: int) -> dict[str, np.ndarray]:
    """Household inputs of the rules from a column of 시도 codes (None or missing = home)."""
    known = by_code()
    if codes is None:
        return _constant(known[HOME_SIDO], n)
    values = [HOME_SIDO if c is None else str(c) for c in codes]
    unknown = sorted({c for c in values if c not in known})
    if unknown:
        raise InvalidInput(
            f"알 수 없는 시도 코드 {unknown[0]!r}",
            where="households.sido",
            example="11 (서울특별시), 41 (경기도)",
        )
    uniq, inverse = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    rows = [known[c] for c in uniq]

    def column(attr: str, dtype: type) -> np.ndarray:
        return np.array([getattr(r, attr) for r in rows], dtype=dtype)[inverse]

    return {
        "seoul": np.asarray(uniq == "11")[inverse],
        "capital_area": column("capital_area", bool),
        "metro_city": column("metro_city", bool),
        "nbls_region": column("nbls_region", np.int64),
    }


def _constant(home: Sido, n: int) -> dict[str, np.ndarray]:
    return {
        "seoul": np.full(n, home.code == "11"),
        "capital_area": np.full(n, home.capital_area),
        "metro_city": np.full(n, home.metro_city),
        "nbls_region": np.full(n, home.nbls_region, dtype=np.int64),
    }
