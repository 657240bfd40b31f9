"""Who lives in each household: relation to the head, age and sex, vectorised slot by slot.

Every household type fixes how many of its members are 65+, so ages are drawn inside bounds
(elderly >= 65, everyone else <= 64) and the exact 65+ counts of the structure survive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gibon.population._alloc import IntArray, categorical
from gibon.population._params import params
from gibon.population._structure import Structure

RELATIONS = ("head", "spouse", "child", "parent", "other")
HEAD, SPOUSE, CHILD, PARENT, OTHER = range(5)
MAX_SIZE = 7
OLD_MIN, AGE_MAX = 65, 100


@dataclass(frozen=True)
class Households:
    dong: IntArray
    size: IntArray
    type_index: IntArray


@dataclass(frozen=True)
class Members:
    household: IntArray  # household row of each person
    relation: IntArray
    age: IntArray
    male: np.ndarray


def expand(structure: Structure, rng: np.random.Generator) -> Households:
    counts = structure.type_counts
    dongs, types = np.nonzero(counts >= 0)
    reps = counts[dongs, types]
    dong = np.repeat(dongs, reps).astype(np.int64)
    tix = np.repeat(types, reps).astype(np.int64)
    order = rng.permutation(len(dong))  # mix types so household ids carry no information
    order = order[np.argsort(dong[order], kind="stable")]  # but keep dongs contiguous
    sizes = np.array([t.size for t in structure.types])
    return Households(dong[order], sizes[tix[order]], tix[order])


def _old_ages(rng: np.random.Generator, bands: dict[Any, float], n: int) -> IntArray:
    starts = np.array([int(k) for k in bands])
    band = categorical(rng, np.array(list(bands.values()), dtype=np.float64), n)
    width = np.where(starts[band] >= 90, 10, 5)
    return (starts[band] + (rng.random(n) * width).astype(np.int64)).clip(OLD_MIN, AGE_MAX - 1)


def _redraw(rng: np.random.Generator, x: np.ndarray, lo: Any, hi: Any) -> IntArray:
    """Whole ages in [lo, hi]; values outside are redrawn uniformly inside (no heaping at a bound)."""
    lo_, hi_ = np.broadcast_to(lo, x.shape), np.broadcast_to(hi, x.shape)
    inside = (x >= lo_) & (x < hi_ + 1)
    fresh = lo_ + rng.random(x.shape) * (hi_ + 1 - lo_)
    return np.floor(np.where(inside, x, fresh)).astype(np.int64)


def _young_single(rng: np.random.Generator, male: np.ndarray, cfg: dict[str, Any]) -> IntArray:
    n = len(male)
    peak = np.where(male, cfg["male_peak"], cfg["female_peak"]) + 0.5
    young = peak + cfg["sd"] * rng.standard_normal(n)
    spread = rng.uniform(cfg["min"], OLD_MIN, n)
    age = np.where(rng.random(n) * 100 < cfg["young_pct"], young, spread)
    return _redraw(rng, age, cfg["min"], OLD_MIN - 1)


def fill(h: Households, structure: Structure, rng: np.random.Generator) -> Members:
    cfg = params()["ages"]
    t = structure.types
    col = {
        k: np.array([getattr(x, k) for x in t])[h.type_index]
        for k in ("head_old", "spouse", "children", "parents", "other")
    }
    n = len(h.size)
    age = np.full((n, MAX_SIZE), -1, dtype=np.int64)
    male = np.zeros((n, MAX_SIZE), dtype=bool)
    rel = np.full((n, MAX_SIZE), -1, dtype=np.int64)
    single = h.size == 1
    old = col["head_old"] == 1
    couple = col["spouse"] == 1
    # husband and wife ages (used by couples; the wife's age anchors children's ages)
    gap = cfg["spouse_gap_years"]
    ch = cfg["couple_head"]
    years = gap["mean"] + gap["sd"] * rng.standard_normal(n)
    # elderly couples: draw the wife inside the 65+ bands, the husband relative to her
    wife = _old_ages(rng, cfg["old_bands"], n).astype(np.float64)
    hus = np.where(old, wife + years, ch["mean"] + ch["sd"] * rng.standard_normal(n))
    wife = np.where(old, wife, hus - years)
    has_kids = col["children"] > 0
    mom = cfg["mother_age"]
    wife = np.where(
        has_kids & ~old, _redraw(rng, rng.normal(mom["mean"], mom["sd"], n), 26, 64), wife
    )
    hus = np.where(has_kids & ~old, wife + gap["mean"] + gap["sd"] * rng.standard_normal(n), hus)
    lo = np.where(old, OLD_MIN, ch["min"])
    hi = np.where(old, AGE_MAX - 1, OLD_MIN - 1)
    husband_age = _redraw(rng, hus, lo, hi)
    wife_age = _redraw(rng, wife, lo, hi)
    head_is_man = rng.random(n) < 0.85
    # heads without a spouse
    lone_male = rng.random(n) < 0.5
    sp = col["children"] > 0
    lone_male = np.where(sp, rng.random(n) * 100 >= cfg["single_parent_female_pct"], lone_male)
    lone_age = np.where(
        sp,
        _redraw(rng, rng.normal(44, 8, n), 30, 62),
        np.where(
            col["parents"] > 0,
            rng.uniform(cfg["head_with_parent"]["min"], cfg["head_with_parent"]["max"], n),
            rng.uniform(cfg["sharing_age"]["min"], cfg["sharing_age"]["max"] + 1, n),
        ),
    ).astype(np.int64)
    alone_old = single & old
    young_male = rng.random(n) * 100 < cfg["young_single"]["male_pct"]
    alone_male = np.where(alone_old, rng.random(n) * 100 >= cfg["old_alone_female_pct"], young_male)
    alone_age = np.where(
        alone_old,
        _old_ages(rng, cfg["old_alone_bands"], n),
        _young_single(rng, alone_male, cfg["young_single"]),
    )
    head_male = np.where(single, alone_male, np.where(couple, head_is_man, lone_male))
    head_age = np.where(
        single, alone_age, np.where(couple, np.where(head_is_man, husband_age, wife_age), lone_age)
    )
    age[:, 0], male[:, 0], rel[:, 0] = head_age, head_male, HEAD
    idx = np.flatnonzero(couple)
    age[idx, 1] = np.where(head_is_man, wife_age, husband_age)[idx]
    male[idx, 1] = ~head_is_man[idx]
    rel[idx, 1] = SPOUSE
    mother = np.where(couple, wife_age, lone_age)
    pos = 1 + col["spouse"]
    _add_children(rng, cfg, col["children"], mother, old, pos, age, male, rel)
    pos = pos + col["children"]
    oldest = np.where(couple, np.maximum(husband_age, wife_age), head_age)
    _add_parents(rng, col["parents"], oldest, pos, age, male, rel)
    pos = pos + col["parents"]
    _add_other(rng, col["other"], head_age, pos, age, male, rel)
    valid = rel >= 0
    household = np.broadcast_to(np.arange(n)[:, None], valid.shape)[valid]
    return Members(household.astype(np.int64), rel[valid], age[valid], male[valid])


def _add_children(rng, cfg, count, mother, old, pos, age, male, rel) -> None:  # type: ignore[no-untyped-def]
    birth = cfg["mother_age_at_birth"]
    for j in range(int(count.max(initial=0))):
        idx = np.flatnonzero(count > j)
        m = mother[idx]
        gap = rng.uniform(birth["min"], np.minimum(birth["max"], m - 0.01) + 1)
        a = np.floor(m - gap).astype(np.int64)
        a = _redraw(rng, a, np.where(old[idx], 20, 0), OLD_MIN - 1)
        age[idx, pos[idx] + j] = a
        male[idx, pos[idx] + j] = rng.random(len(idx)) < 0.513
        rel[idx, pos[idx] + j] = CHILD


def _add_parents(rng, count, oldest, pos, age, male, rel) -> None:  # type: ignore[no-untyped-def]
    for j in range(int(count.max(initial=0))):
        idx = np.flatnonzero(count > j)
        a = oldest[idx] + rng.uniform(24, 36, len(idx))
        age[idx, pos[idx] + j] = _redraw(rng, a, OLD_MIN, AGE_MAX - 1)
        # a lone parent is more often a widowed mother; a pair is a father and a mother
        pair = count[idx] == 2
        male[idx, pos[idx] + j] = np.where(pair, j == 0, rng.random(len(idx)) < 0.3)
        rel[idx, pos[idx] + j] = PARENT


def _add_other(rng, count, head_age, pos, age, male, rel) -> None:  # type: ignore[no-untyped-def]
    idx = np.flatnonzero(count > 0)
    a = head_age[idx] + rng.integers(-6, 7, len(idx))
    age[idx, pos[idx]] = _redraw(rng, a, 19, OLD_MIN - 1)
    male[idx, pos[idx]] = rng.random(len(idx)) < 0.5
    rel[idx, pos[idx]] = OTHER
