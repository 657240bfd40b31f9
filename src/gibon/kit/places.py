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


@dataclass(frozen=True)
class Sido:
    code: str
    name: str
    short: str
    population_2024: int
    nbls_region: int  # 1 서울, 2 경기, 3 광역시·세종·창원, 4 그 외
    metro_city: bool  # 특별시·광역시 (기초연금 대도시)
    capital_area: bool  # 수도권


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
