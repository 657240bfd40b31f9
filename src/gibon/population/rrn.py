"""Fictitious resident registration numbers (주민등록번호) that say they are synthetic.

Format ``YYMMDD-GSSSSSC``: birth date, G = sex and century (1/2 = male/female born 1900-1999,
3/4 = 2000-2099), five serial digits S and the check digit C (weights 2,3,4,5,6,7,8,9,2,3,4,5;
C = (11 - sum mod 11) mod 10), so the numbers pass the usual format validators.

The synthetic mark: the first two serial digits (positions 8-9) are 96, 97, 98 or 99. Before
October 2020 those two digits were a regional code that, to our knowledge, never went above 95,
so no number issued under that scheme carries the mark. Since October 2020 the serial digits
are random, so about 4 % of newly issued real numbers also have it: the mark is a label, not a
proof. gibon must never hold real people's numbers in the first place.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import polars as pl
from numpy.typing import NDArray

WEIGHTS = np.array([2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5], dtype=np.int64)
SYNTHETIC_PREFIXES = (96, 97, 98, 99)
PER_DAY_AND_SEX = 1000 * len(SYNTHETIC_PREFIXES)
_PATTERN = re.compile(r"^\d{6}-[1-4]\d{6}$")


def check_digit(first12: str) -> int:
    total = sum(int(d) * int(w) for d, w in zip(first12, WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def is_valid_rrn(rrn: str) -> bool:
    """Format, calendar date and check digit (synthetic or not)."""
    if not isinstance(rrn, str) or not _PATTERN.match(rrn):
        return False
    digits = rrn.replace("-", "")
    century = 1900 if digits[6] in "12" else 2000
    try:
        date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    return check_digit(digits[:12]) == int(digits[12])


def is_synthetic_rrn(rrn: str) -> bool:
    """A valid number carrying gibon's synthetic mark (serial digits 8-9 in 96..99)."""
    return is_valid_rrn(rrn) and int(rrn[8:10]) in SYNTHETIC_PREFIXES


def make(
    year: NDArray[np.int64],
    month: NDArray[np.int64],
    day: NDArray[np.int64],
    male: NDArray[np.bool_],
    serial: NDArray[np.int64],
) -> pl.Series:
    """Vectorised numbers; ``serial`` (0..3999) must be unique per birth date and sex."""
    if len(serial) and (serial.min() < 0 or serial.max() >= PER_DAY_AND_SEX):
        raise ValueError("more than 4,000 synthetic persons share a birth date and sex")
    g = np.where(year >= 2000, 3, 1) + np.where(male, 0, 1)
    front = (year % 100) * 10000 + month * 100 + day
    tail = (96 + serial // 1000) * 1000 + serial % 1000  # five serial digits
    total = g * WEIGHTS[6]
    for i in range(6):
        total = total + front // 10 ** (5 - i) % 10 * WEIGHTS[i]
    for i in range(5):
        total = total + tail // 10 ** (4 - i) % 10 * WEIGHTS[7 + i]
    check = (11 - total % 11) % 10
    back = g * 1000000 + tail * 10 + check
    left = pl.Series(front).cast(pl.String).str.zfill(6)
    right = pl.Series(back).cast(pl.String).str.zfill(7)
    return (left + "-" + right).alias("rrn")


class SerialCounter:
    """Hands out serials per (birth date, sex) across chunks, so numbers stay unique."""

    def __init__(self) -> None:
        self._used = np.zeros(0, dtype=np.int64)

    def take(self, day_index: NDArray[np.int64], male: NDArray[np.bool_]) -> NDArray[np.int64]:
        key = day_index * 2 + male.astype(np.int64)
        if len(key) == 0:
            return np.zeros(0, dtype=np.int64)
        size = int(key.max()) + 1
        if size > len(self._used):
            self._used = np.concatenate([self._used, np.zeros(size - len(self._used), np.int64)])
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        first = np.searchsorted(sorted_key, sorted_key, side="left")
        rank = np.empty(len(key), dtype=np.int64)
        rank[order] = np.arange(len(key)) - first + self._used[sorted_key]
        self._used += np.bincount(key, minlength=len(self._used))
        return rank
