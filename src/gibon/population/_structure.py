"""How many households of each size and type live in each dong, with exact person counts.

Targets hit exactly: persons by dong, persons aged 65+ by dong, persons aged 65+ living alone.
Targets hit up to rounding: households by size (district-wide).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gibon.population._alloc import FloatArray, IntArray, largest_remainder
from gibon.population._params import SIZES, Profile, params

_SIZE = np.array(SIZES, dtype=np.float64)


@dataclass(frozen=True)
class HouseholdType:
    size: int
    name: str
    head_old: int
    spouse: int
    children: int
    parents: int
    other: int
    weight: float

    @property
    def elderly(self) -> int:
        return self.head_old * (1 + self.spouse) + self.parents


def household_types(profile: Profile | None = None) -> list[HouseholdType]:
    """Index 0 and 1 are the one-person types (young, 65+); the rest come from params.yaml
    (the profile's own ``calibration.household_types`` when it has them)."""
    out = [
        HouseholdType(1, "alone", 0, 0, 0, 0, 0, 1.0),
        HouseholdType(1, "alone_old", 1, 0, 0, 0, 0, 1.0),
    ]
    table = params()["household_types"] if profile is None else profile.section("household_types")
    for size, rows in table.items():
        if size == "status":
            continue
        for r in rows:
            t = HouseholdType(
                int(size),
                r["name"],
                r.get("head_old", 0),
                r.get("spouse", 0),
                r.get("children", 0),
                r.get("parents", 0),
                r.get("other", 0),
                float(r["w"]),
            )
            assert 1 + t.spouse + t.children + t.parents + t.other == t.size, t
            out.append(t)
    return out


@dataclass(frozen=True)
class Structure:
    persons_by_dong: IntArray  # (D,)
    old_by_dong: IntArray  # (D,) persons aged 65+
    type_counts: IntArray  # (D, T) households of each type
    types: list[HouseholdType]


def _tilted_sizes(profile: Profile, households: float) -> FloatArray:
    """Households by dong x size: dong mean sizes follow each dong's persons per household."""
    shares = profile.size_pct / profile.size_pct.sum()
    persons = profile.dong_weights / profile.dong_weights.sum() * profile.persons
    mean = float((shares * _SIZE).sum())
    rel = profile.dong_pph / (persons.sum() / (persons / profile.dong_pph).sum())
    target = mean * rel
    lo, hi = np.full(len(rel), -3.0), np.full(len(rel), 3.0)
    for _ in range(50):  # bisection on an exponential tilt per dong
        theta = (lo + hi) / 2
        w = shares * np.exp(np.outer(theta, _SIZE))
        m = (w * _SIZE).sum(1) / w.sum(1)
        lo, hi = np.where(m < target, theta, lo), np.where(m < target, hi, theta)
    w = w / w.sum(1, keepdims=True) * (persons / target)[:, None]
    col_target = shares * households
    for _ in range(30):  # IPF: district size mix, dong persons
        w *= col_target / w.sum(0)
        w *= (persons / (w * _SIZE).sum(1))[:, None]
    return np.asarray(w)


def _integer_sizes(weights: FloatArray, persons: IntArray) -> IntArray:
    counts = np.stack([largest_remainder(round(row.sum()), row) for row in weights])
    for d in range(len(persons)):
        _fix_persons(counts[d], int(persons[d]))
    return counts


def _fix_persons(row: IntArray, persons: int) -> None:
    """Grow or shrink households one member at a time (smallest sizes first) to hold ``persons``."""
    gap = persons - int((row * _SIZE).sum())
    if gap > 0:  # 1p -> 2p in bulk, then new one-person households
        move = min(gap, int(row[0]))
        row[0] += gap - 2 * move
        row[1] += move
    while gap < 0:
        s = next(k for k in range(1, len(row)) if row[k] > 0) if row[1:].any() else 0
        move = min(-gap, int(row[s]))
        row[s] -= move
        if s > 0:
            row[s - 1] += move
        gap += move


def _type_counts(
    profile: Profile, sizes: IntArray, old: IntArray, alone_old: IntArray
) -> tuple[IntArray, list[HouseholdType]]:
    types = household_types(profile)
    size_of = np.array([t.size for t in types])
    eld = np.array([t.elderly for t in types], dtype=np.float64)
    base = np.array([t.weight for t in types])
    need = (old - alone_old).astype(np.float64)
    multi = size_of > 1
    lo, hi = np.full(len(old), -25.0), np.full(len(old), 25.0)
    for _ in range(60):  # tilt weights of types with 65+ members until the dong's count is met
        lam = np.exp((lo + hi) / 2)
        w = base * np.where(eld > 0, lam[:, None], 1.0)
        expected = np.zeros(len(old))
        for s in SIZES[1:]:
            m = size_of == s
            expected += sizes[:, s - 1] * (w[:, m] * eld[m]).sum(1) / w[:, m].sum(1)
        mid = (lo + hi) / 2
        lo, hi = np.where(expected < need, mid, lo), np.where(expected < need, hi, mid)
    counts = np.zeros((len(old), len(types)), dtype=np.int64)
    counts[:, 0] = sizes[:, 0] - alone_old
    counts[:, 1] = alone_old
    for s in SIZES[1:]:
        m = np.flatnonzero(size_of == s)
        for d in range(len(old)):
            counts[d, m] = largest_remainder(int(sizes[d, s - 1]), w[d, m])
    for d in range(len(old)):
        _repair_elderly(counts[d], types, int(old[d]), multi)
    return counts, types


def _repair_elderly(
    row: IntArray, types: list[HouseholdType], need: int, multi: np.ndarray
) -> None:
    """Move households between same-size types differing by one 65+ member until exact."""
    gap = need - sum(int(row[i]) * t.elderly for i, t in enumerate(types))
    while gap:
        step = 1 if gap > 0 else -1
        pairs = [
            (i, j)
            for i, a in enumerate(types)
            for j, b in enumerate(types)
            if a.size == b.size and b.elderly - a.elderly == step and row[i] > 0
        ]
        if not pairs:  # only in tiny populations (a dong with a handful of people)
            return
        # prefer multi-person types, so the count of 65+ living alone stays exact
        i, j = max(pairs, key=lambda p: (bool(multi[p[0]]), row[p[0]]))
        move = min(abs(gap), int(row[i]))
        row[i] -= move
        row[j] += move
        gap -= step * move


def build(profile: Profile) -> Structure:
    persons = largest_remainder(profile.persons, profile.dong_weights)
    old_total = round(profile.persons * profile.age65_share)
    old = largest_remainder(old_total, persons * profile.dong_old_share)
    shares = profile.size_pct / profile.size_pct.sum()
    households = profile.persons / float((shares * _SIZE).sum())
    sizes = _integer_sizes(_tilted_sizes(profile, households), persons)
    alone_pct = float(profile.value("elderly_alone_share_of_65plus_pct")) / 100
    alone_old = np.minimum(largest_remainder(round(old_total * alone_pct), old), sizes[:, 0])
    counts, types = _type_counts(profile, sizes, old, alone_old)
    return Structure(persons, old, counts, types)
