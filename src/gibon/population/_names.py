"""Fictitious Korean names: a common surname plus two common given-name syllables.

Surname weights approximate the shares in the 2015 census (김 21.6 %, 이 14.8 %, 박 8.5 %, ...);
given names are random pairs of syllables, so any match with a real person is a coincidence.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from numpy.typing import NDArray

from gibon.population._alloc import categorical

SURNAMES = {
    "김": 21.6,
    "이": 14.8,
    "박": 8.5,
    "최": 4.7,
    "정": 4.3,
    "강": 2.4,
    "조": 2.1,
    "윤": 2.1,
    "장": 2.0,
    "임": 1.7,
    "한": 1.5,
    "오": 1.5,
    "서": 1.5,
    "신": 1.4,
    "권": 1.4,
    "황": 1.4,
    "안": 1.4,
    "송": 1.4,
    "전": 1.3,
    "홍": 1.1,
    "유": 1.1,
    "고": 0.9,
    "문": 0.9,
    "양": 0.8,
    "손": 0.8,
    "배": 0.8,
    "백": 0.8,
    "허": 0.7,
    "남": 0.6,
    "심": 0.5,
    "노": 0.5,
    "하": 0.5,
}
_FIRST_F = list("서지민수하은유예다채소아현윤혜주정미영숙경순")
_SECOND_F = list("연은윤아진희영원빈서민린경숙자정미현나혜")
_FIRST_M = list("민서도하준지현우시건성영정상동재태승진병종")
_SECOND_M = list("준호우진현민훈수석철영환성기원혁규빈재윤")

_SUR_P = np.array(list(SURNAMES.values()), dtype=np.float64)


def surnames(rng: np.random.Generator, n: int) -> NDArray[np.int64]:
    return categorical(rng, _SUR_P, n)


def names(
    rng: np.random.Generator, surname: NDArray[np.int64], male: NDArray[np.bool_]
) -> pl.Series:
    """Surname + two syllables, drawn from the female or male syllable lists."""
    first = np.zeros(len(surname), dtype=np.int64)
    second = np.zeros(len(surname), dtype=np.int64)
    for is_male, a, b in ((False, _FIRST_F, _SECOND_F), (True, _FIRST_M, _SECOND_M)):
        idx = np.flatnonzero(male == is_male)
        shift_a = len(_FIRST_F) if is_male else 0
        shift_b = len(_SECOND_F) if is_male else 0
        first[idx] = rng.integers(0, len(a), len(idx)) + shift_a
        second[idx] = rng.integers(0, len(b), len(idx)) + shift_b
    return (
        _gather(_SURNAMES, surname) + _gather(_FIRSTS, first) + _gather(_SECONDS, second)
    ).alias("name")


def _gather(values: pl.Series, index: NDArray[np.int64]) -> pl.Series:
    return values.gather(pl.Series(index, dtype=pl.UInt32))


_SURNAMES = pl.Series(list(SURNAMES), dtype=pl.String)
_FIRSTS = pl.Series(_FIRST_F + _FIRST_M, dtype=pl.String)
_SECONDS = pl.Series(_SECOND_F + _SECOND_M, dtype=pl.String)
