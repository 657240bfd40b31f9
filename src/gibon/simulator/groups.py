"""Who a household is, for breakdowns: the head's age band and overlapping household types."""

from __future__ import annotations

import numpy as np

# (label, lowest age) in order; a band runs to the next band's lowest age.
AGE_BANDS = (("0–18", 0), ("19–34", 19), ("35–49", 35), ("50–64", 50), ("65–74", 65), ("75+", 75))
HOUSEHOLD_TYPES = {
    "one_person": "1인 가구",
    "alone_65": "65세 이상 홀로 사는 가구",
    "young_adult": "청년 가구 (가구주 19–34세)",
    "with_children": "아동(18세 미만)이 있는 가구",
}
DIMENSIONS = {
    "district": "전체",
    "dong": "행정동",
    "age_band": "가구주 연령대",
    "household_type": "가구 유형",
}


def age_band(age: np.ndarray) -> np.ndarray:
    lows = np.array([low for _, low in AGE_BANDS[1:]])
    labels = np.array([label for label, _ in AGE_BANDS], dtype=object)
    return labels[np.searchsorted(lows, age, side="right")]


def head_age(
    person_household: np.ndarray, age: np.ndarray, is_head: np.ndarray, n_households: int
) -> np.ndarray:
    """The head's age per household (the oldest member where no one is marked head)."""
    head = np.full(n_households, -1, dtype=np.int64)
    np.maximum.at(head, person_household[is_head], age[is_head])
    oldest = np.full(n_households, -1, dtype=np.int64)
    np.maximum.at(oldest, person_household, age)
    return np.where(head >= 0, head, oldest)


def household_flags(
    size: np.ndarray, head: np.ndarray, children: np.ndarray
) -> dict[str, np.ndarray]:
    return {
        "one_person": size == 1,
        "alone_65": (size == 1) & (head >= 65),
        "young_adult": (head >= 19) & (head <= 34),
        "with_children": children > 0,
    }
