from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from gibon.population._alloc import largest_remainder, pick_exact, pick_exact_groups

weights = st.lists(st.floats(0.01, 1000), min_size=1, max_size=30)


@given(total=st.integers(0, 10**7), w=weights)
def test_largest_remainder_hands_out_exactly_the_total_within_one_of_each_quota(
    total: int, w: list[float]
) -> None:
    counts = largest_remainder(total, w)
    assert counts.sum() == total
    quotas = np.array(w) / sum(w) * total
    assert (np.abs(counts - quotas) < 1 + 1e-6).all()


@given(w=weights, k=st.integers(0, 40), seed=st.integers(0, 2**32))
def test_pick_exact_chooses_exactly_k_items(w: list[float], k: int, seed: int) -> None:
    mask = pick_exact(np.random.default_rng(seed), np.array(w), k)
    assert mask.sum() == min(k, len(w))


def test_pick_exact_prefers_heavier_items() -> None:
    w = np.r_[np.full(1000, 1.0), np.full(1000, 9.0)]
    mask = pick_exact(np.random.default_rng(1), w, 500)
    assert mask[1000:].sum() > 3 * mask[:1000].sum()


@given(seed=st.integers(0, 2**32), quotas=st.lists(st.integers(0, 5), min_size=3, max_size=3))
def test_pick_exact_groups_fills_each_group_quota(seed: int, quotas: list[int]) -> None:
    groups = np.repeat(np.arange(3), 5)
    mask = pick_exact_groups(np.random.default_rng(seed), np.ones(15), groups, np.array(quotas))
    assert np.bincount(groups[mask], minlength=3).tolist() == quotas
