"""Places: Korea's 17 시도 and 229 시군구 and the region classes that benefit rules read, from one table.

Households carry a ``sido`` code (행정표준코드, two digits) and may carry a ``sigungu`` (five digits).
The rules' region inputs come from the 시군구 where it is known (창원 in 재산 지역 3, 군 as 농어촌),
else from the 시도. A household with neither lives in the district gibon serves (``HOME_SIDO``,
``HOME_SIGUNGU``), so the Gwanak population and the calculator need no column.
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
    housing_grade: int  # 주거급여 급지 1-4
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


REGION = ("seoul", "capital_area", "metro_city", "rural", "nbls_region", "housing_grade")


@lru_cache(maxsize=1)
def place_classes() -> dict[str, tuple[bool, bool, bool, bool, int, int]]:
    """Every place code (시도 and 시군구) to its values of ``REGION``, in that order."""
    out = {
        s.code: (
            s.code == "11",
            s.capital_area,
            s.metro_city,
            False,
            s.nbls_region,
            s.housing_grade,
        )
        for s in sidos()
    }
    sido = by_code()
    for g in sigungus():
        out[g.code] = (
            g.sido == "11",
            sido[g.sido].capital_area,
            g.basic_pension_area == "대도시",
            g.basic_pension_area == "농어촌",
            g.nbls_region,
            g.housing_grade,
        )
    return out


def region_inputs(codes: Any, n: int, sigungu: Any = None) -> dict[str, np.ndarray]:
    """Household inputs of the rules from columns of 시도 and 시군구 codes (None or missing = home).

    A household's 시군구 decides where it is known; else its 시도; else it is at home (관악구).
    """
    classes = place_classes()
    places_ = _place_codes(codes, sigungu, n)
    unknown = sorted({c for c in places_ if c not in classes})
    if unknown:
        where = "households.sigungu" if len(unknown[0]) == 5 else "households.sido"
        raise InvalidInput(
            f"알 수 없는 지역 코드 {unknown[0]!r}",
            where=where,
            example="시도 11 (서울특별시), 41 (경기도); 시군구 11620 (관악구), 48120 (창원시)",
        )
    rows, columns = region_table()
    at = np.fromiter((rows[c] for c in places_), dtype=np.intp, count=len(places_))
    return {key: column[at] for key, column in columns.items()}


@lru_cache(maxsize=1)
def region_table() -> tuple[dict[str, int], dict[str, np.ndarray]]:
    """Each place code's row, and each of ``REGION`` as one array over those rows: a household's
    region inputs are its place's row read out of every array."""
    classes = place_classes()
    dtypes = (bool, bool, bool, bool, np.int64, np.int64)
    columns = {
        key: np.array([values[i] for values in classes.values()], dtype=dtype)
        for i, (key, dtype) in enumerate(zip(REGION, dtypes, strict=True))
    }
    return {code: i for i, code in enumerate(classes)}, columns


def _place_codes(codes: Any, sigungu: Any, n: int) -> list[str]:
    sido = [None] * n if codes is None else list(codes)
    gu = [None] * n if sigungu is None else list(sigungu)
    return [
        str(g) if g is not None else (str(c) if c is not None else HOME_SIGUNGU)
        for c, g in zip(sido, gu, strict=True)
    ]
