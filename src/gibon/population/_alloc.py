"""Exact-count allocation: the generator hits its targets by construction, not by luck."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def largest_remainder(total: int, weights: NDArray[np.number[Any]] | list[float]) -> IntArray:
    """Split ``total`` into integers proportional to ``weights`` (Hamilton's method)."""
    w = np.asarray(weights, dtype=np.float64)
    if total <= 0 or w.sum() <= 0:
        return np.zeros(len(w), dtype=np.int64)
    quotas = w / w.sum() * total
    counts: IntArray = np.floor(quotas).astype(np.int64)
    short = int(total - counts.sum())
    if short:
        # ties broken by index so the result is deterministic
        order = np.lexsort((np.arange(len(w)), -(quotas - counts)))
        counts[order[:short]] += 1
    return counts


def pick_exact(rng: np.random.Generator, weights: FloatArray, k: int) -> NDArray[np.bool_]:
    """A mask choosing exactly ``k`` items, each drawn with probability proportional to its weight.

    Weighted sampling without replacement via exponential keys (Efraimidis-Spirakis): the ``k``
    smallest ``E / w`` win. Items of weight 0 are chosen only when nothing else is left.
    """
    n = len(weights)
    k = max(0, min(int(k), n))
    mask = np.zeros(n, dtype=bool)
    if k == 0:
        return mask
    w = np.asarray(weights, dtype=np.float64)
    keys = rng.exponential(size=n) / np.where(w > 0, w, 1e-300)
    if k < n:
        mask[np.argpartition(keys, k - 1)[:k]] = True
    else:
        mask[:] = True
    return mask


def pick_exact_groups(
    rng: np.random.Generator, weights: FloatArray, groups: IntArray, quotas: IntArray
) -> NDArray[np.bool_]:
    """Like :func:`pick_exact`, but exactly ``quotas[g]`` items inside each group ``g``."""
    n = len(weights)
    w = np.where(weights > 0, weights, 1e-300)
    keys = rng.exponential(size=n) / w
    order = np.lexsort((keys, groups))  # by group, then by key
    sorted_groups = groups[order]
    starts = np.searchsorted(sorted_groups, np.arange(len(quotas)))
    rank = np.arange(n) - starts[sorted_groups]
    mask = np.zeros(n, dtype=bool)
    mask[order] = rank < quotas[sorted_groups]
    return mask


def categorical(rng: np.random.Generator, probs: FloatArray, n: int) -> IntArray:
    """``n`` independent draws from one categorical distribution."""
    p = np.asarray(probs, dtype=np.float64)
    cdf = np.cumsum(p / p.sum())
    return np.searchsorted(cdf, rng.random(n), side="right").clip(0, len(p) - 1).astype(np.int64)


def step_lookup(values: IntArray, edges: list[int], table: list[float]) -> FloatArray:
    """``table[i]`` for the last ``edges[i] <= value`` (0 below the first edge).

    Values are small non-negative integers (ages), so the steps are tabulated once per call and
    indexed, which is much faster than a binary search per person.
    """
    top = int(values.max(initial=0)) + 1
    idx = np.searchsorted(np.asarray(edges), np.arange(top), side="right") - 1
    lut = np.where(idx >= 0, np.asarray(table, dtype=np.float64)[idx.clip(0)], 0.0)
    out: FloatArray = lut[values]
    return out


def lognormal(rng: np.random.Generator, median: float, sigma: float, n: int) -> FloatArray:
    out: FloatArray = median * np.exp(sigma * rng.standard_normal(n))
    return out
