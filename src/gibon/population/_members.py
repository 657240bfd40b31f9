"""Who lives in each household: relation to the head, age and sex, vectorised slot by slot.

Every household type fixes how many of its members are 65+, so ages are drawn inside bounds
(elderly >= 65, everyone else <= 64) and the exact 65+ counts of the structure survive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gibon.population._alloc import IntArray, categorical, pick_exact
from gibon.population._params import params
from gibon.population._structure import Structure

RELATIONS = ("head", "spouse", "child", "parent", "other")
HEAD, SPOUSE, CHILD, PARENT, OTHER = range(5)
MAX_SIZE = 7
OLD_MIN, AGE_MAX = 65, 100
YOUNG_MAX = 39  # 'young head' = under 40, as in the Seoul housing survey


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
    """Ages 19-39 of young people living alone, peaked at the modal ages."""
    n = len(male)
    peak = np.where(male, cfg["male_peak"], cfg["female_peak"]) + 0.5
    young = peak + cfg["sd"] * rng.standard_normal(n)
    spread = rng.uniform(cfg["min"], YOUNG_MAX + 1, n)
    age = np.where(rng.random(n) * 100 < cfg["young_pct"], young, spread)
    return _redraw(rng, age, cfg["min"], YOUNG_MAX)


@dataclass(frozen=True)
class _Slots:
    """Members as (household, slot) matrices; slot 0 is the head, -1 marks an empty slot."""

    age: IntArray
    male: NDArray[np.bool_]
    rel: IntArray

    @classmethod
    def empty(cls, n: int) -> _Slots:
        return cls(
            np.full((n, MAX_SIZE), -1, dtype=np.int64),
            np.zeros((n, MAX_SIZE), dtype=bool),
            np.full((n, MAX_SIZE), -1, dtype=np.int64),
        )

    def put(self, idx: IntArray, slot: IntArray, age: Any, male: Any, rel: int) -> None:
        self.age[idx, slot] = age
        self.male[idx, slot] = male
        self.rel[idx, slot] = rel


def _spouse_gap(rng: np.random.Generator, gap: dict[str, float], n: int) -> np.ndarray:
    """Years the husband is older: normal, cut to the plausible -6..+12 years."""
    return np.clip(gap["mean"] + gap["sd"] * rng.standard_normal(n), -6, 12)


def _couple_ages(
    rng: np.random.Generator, cfg: dict[str, Any], old: NDArray[np.bool_], kids: NDArray[np.bool_]
) -> tuple[IntArray, IntArray]:
    """Husband and wife ages; the wife's age anchors the children's."""
    n = len(old)
    gap, ch, mom = cfg["spouse_gap_years"], cfg["couple_head"], cfg["mother_age"]
    years = _spouse_gap(rng, gap, n)
    # elderly couples: draw the wife inside the 65+ bands, the husband relative to her
    wife = _old_ages(rng, cfg["old_bands"], n).astype(np.float64)
    hus = np.where(old, wife + years, ch["mean"] + ch["sd"] * rng.standard_normal(n))
    wife = np.where(old, wife, hus - years)
    young_parents = kids & ~old
    wife = np.where(
        young_parents, _redraw(rng, rng.normal(mom["mean"], mom["sd"], n), 26, 64), wife
    )
    hus = np.where(young_parents, wife + _spouse_gap(rng, gap, n), hus)
    lo = np.where(old, OLD_MIN, ch["min"])
    hi = np.where(old, AGE_MAX - 1, OLD_MIN - 1)
    wife_age = _redraw(rng, wife, lo, hi)
    # a husband outside the band stays near his wife rather than jumping anywhere in it
    above = rng.uniform(np.minimum(wife_age, hi), hi + 1)
    below = rng.uniform(lo, np.maximum(wife_age, lo) + 1)
    hus = np.where(hus > hi, above, np.where(hus < lo, below, hus))
    return _redraw(rng, hus, lo, hi), wife_age


def _lone_heads(
    rng: np.random.Generator,
    cfg: dict[str, Any],
    kids: NDArray[np.bool_],
    parents: NDArray[np.bool_],
) -> tuple[NDArray[np.bool_], IntArray]:
    """Sex and age of heads without a spouse: single parents, carers of a parent, sharers."""
    n = len(kids)
    male = rng.random(n) < 0.5
    male = np.where(kids, rng.random(n) * 100 >= cfg["single_parent_female_pct"], male)
    with_parent, sharing = cfg["head_with_parent"], cfg["sharing_age"]
    lone = cfg.get("single_parent_age", {"mean": 44, "sd": 8})
    age = np.where(
        kids,
        _redraw(rng, rng.normal(lone["mean"], lone["sd"], n), 30, 62),
        np.where(
            parents,
            rng.uniform(with_parent["min"], with_parent["max"], n),
            rng.uniform(sharing["min"], sharing["max"] + 1, n),
        ),
    ).astype(np.int64)
    return male, age


def _alone(
    rng: np.random.Generator,
    cfg: dict[str, Any],
    alone_old: NDArray[np.bool_],
    alone_young: NDArray[np.bool_],
    under_40: int,
) -> tuple[NDArray[np.bool_], IntArray]:
    """Sex and age of people living alone: exactly ``under_40`` of the non-elderly are under 40."""
    n = len(alone_old)
    young_male = rng.random(n) * 100 < cfg["young_single"]["male_pct"]
    male = np.where(alone_old, rng.random(n) * 100 >= cfg["old_alone_female_pct"], young_male)
    young = pick_exact(rng, alone_young.astype(np.float64), under_40)
    age = np.where(
        alone_old,
        _old_ages(rng, cfg["old_alone_bands"], n),
        np.where(
            young,
            _young_single(rng, male, cfg["young_single"]),
            rng.integers(YOUNG_MAX + 1, OLD_MIN, n),
        ),
    )
    return male, age


def _config(overrides: dict[str, Any]) -> dict[str, Any]:
    base: dict[str, Any] = params()["ages"]
    merged = {
        k: {**v, **overrides.get(k, {})} if isinstance(v, dict) else v for k, v in base.items()
    }
    return {**overrides, **merged}  # keys only a profile sets (e.g. single_parent_age) pass through


def fill(
    h: Households,
    structure: Structure,
    rng: np.random.Generator,
    young_heads_pct: float,
    overrides: dict[str, Any] | None = None,
) -> Members:
    """Members of every household; ``young_heads_pct`` of heads are under 40 (exact)."""
    cfg = _config(overrides or {})
    col = {
        k: np.array([getattr(x, k) for x in structure.types])[h.type_index]
        for k in ("head_old", "spouse", "children", "parents", "other")
    }
    n = len(h.size)
    single, old, couple = h.size == 1, col["head_old"] == 1, col["spouse"] == 1
    husband_age, wife_age = _couple_ages(rng, cfg, old, col["children"] > 0)
    head_is_man = rng.random(n) < 0.85
    lone_male, lone_age = _lone_heads(rng, cfg, col["children"] > 0, col["parents"] > 0)
    others = np.where(couple, np.where(head_is_man, husband_age, wife_age), lone_age)
    # the share of young heads is a sourced figure: fill it with young people living alone
    quota = round(n * young_heads_pct / 100) - int((~single & (others <= YOUNG_MAX)).sum())
    alone_young = single & ~old
    quota = min(max(quota, 0), int(alone_young.sum()))
    alone_male, alone_age = _alone(rng, cfg, single & old, alone_young, quota)
    head_male = np.where(single, alone_male, np.where(couple, head_is_man, lone_male))
    head_age = np.where(single, alone_age, others)
    slots = _Slots.empty(n)
    everyone = np.arange(n)
    slots.put(everyone, np.zeros(n, dtype=np.int64), head_age, head_male, HEAD)
    idx = np.flatnonzero(couple)
    spouse_age = np.where(head_is_man, wife_age, husband_age)[idx]
    slots.put(idx, np.ones(len(idx), dtype=np.int64), spouse_age, ~head_is_man[idx], SPOUSE)
    mother = np.where(couple, wife_age, lone_age)
    pos = 1 + col["spouse"]
    _add_children(rng, cfg, col["children"], mother, old, pos, slots)
    pos = pos + col["children"]
    oldest = np.where(couple, np.maximum(husband_age, wife_age), head_age)
    _add_parents(rng, col["parents"], oldest, pos, slots)
    _add_other(rng, col["other"], head_age, pos + col["parents"], slots)
    valid = slots.rel >= 0
    household = np.broadcast_to(everyone[:, None], valid.shape)[valid]
    return Members(
        household.astype(np.int64), slots.rel[valid], slots.age[valid], slots.male[valid]
    )


def _add_children(
    rng: np.random.Generator,
    cfg: dict[str, Any],
    count: IntArray,
    mother: IntArray,
    old: NDArray[np.bool_],
    pos: IntArray,
    slots: _Slots,
) -> None:
    birth = cfg["mother_age_at_birth"]
    weight = _child_age_cumulative(cfg.get("child_age_weight"))
    for j in range(int(count.max(initial=0))):
        idx = np.flatnonzero(count > j)
        m = mother[idx]
        # born when the mother was 23-41, and inside the child's band (adult if parents are 65+)
        lo = np.maximum(np.where(old[idx], 20, 0), m - birth["max"])
        hi = np.maximum(np.minimum(OLD_MIN - 1, m - birth["min"]), lo)
        if weight is None:
            a = np.floor(rng.uniform(lo, hi + 1)).astype(np.int64)
        else:
            a = _weighted_ages(rng, weight, lo, hi)
        slots.put(idx, pos[idx] + j, a, rng.random(len(idx)) < 0.513, CHILD)


def _child_age_cumulative(table: dict[str, list[float]] | None) -> NDArray[np.float64] | None:
    """Cumulative weight of child ages 0..64 from a step table ``{ages, weight}``, or None."""
    if table is None:
        return None
    ages = np.arange(OLD_MIN)
    step = np.searchsorted(np.asarray(table["ages"]), ages, side="right") - 1
    w = np.asarray(table["weight"], dtype=np.float64)[step]
    return np.concatenate([[0.0], np.cumsum(w)])


def _weighted_ages(
    rng: np.random.Generator, cumulative: NDArray[np.float64], lo: IntArray, hi: IntArray
) -> IntArray:
    """Whole ages in [lo, hi], each as likely as its weight (inverse of the cumulative weight)."""
    u = cumulative[lo] + rng.random(len(lo)) * (cumulative[hi + 1] - cumulative[lo])
    age: IntArray = np.searchsorted(cumulative, u, side="right") - 1
    return np.clip(age, lo, hi)


def _add_parents(
    rng: np.random.Generator, count: IntArray, oldest: IntArray, pos: IntArray, slots: _Slots
) -> None:
    for j in range(int(count.max(initial=0))):
        idx = np.flatnonzero(count > j)
        a = _redraw(rng, oldest[idx] + rng.uniform(24, 36, len(idx)), OLD_MIN, AGE_MAX - 1)
        # a lone parent is more often a widowed mother; a pair is a father and a mother
        pair = count[idx] == 2
        slots.put(idx, pos[idx] + j, a, np.where(pair, j == 0, rng.random(len(idx)) < 0.3), PARENT)


def _add_other(
    rng: np.random.Generator, count: IntArray, head_age: IntArray, pos: IntArray, slots: _Slots
) -> None:
    idx = np.flatnonzero(count > 0)
    a = _redraw(rng, head_age[idx] + rng.integers(-6, 7, len(idx)), 19, OLD_MIN - 1)
    slots.put(idx, pos[idx], a, rng.random(len(idx)) < 0.5, OTHER)
