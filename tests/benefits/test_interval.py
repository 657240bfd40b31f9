"""The bounds arithmetic's shortcuts give exactly what the plain definitions give."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gibon.benefits.engine import interval

RNG = np.random.default_rng(17)
N = 500


def ranged(kind: str) -> interval.Bounds:
    if kind == "scalar":
        return 7, None
    lo = RNG.integers(-50, 50, N)
    if kind == "exact":
        return lo, None
    return lo, lo + RNG.integers(0, 3, N) * RNG.integers(0, 2, N)


def reference_where(c: interval.Bounds, a: interval.Bounds, b: interval.Bounds) -> tuple[Any, Any]:
    sure, maybe = c
    lo = np.where(sure, a[0], np.where(maybe, np.minimum(a[0], b[0]), b[0]))
    up = np.where(
        sure,
        interval.hi(a),
        np.where(maybe, np.maximum(interval.hi(a), interval.hi(b)), interval.hi(b)),
    )
    return lo, up


def reference_corners(op: Any, a: interval.Bounds, b: interval.Bounds) -> tuple[Any, Any]:
    c = [op(x, y) for x in (a[0], interval.hi(a)) for y in (b[0], interval.hi(b))]
    return np.minimum.reduce(np.broadcast_arrays(*c)), np.maximum.reduce(np.broadcast_arrays(*c))


@pytest.mark.parametrize("a_kind", ["scalar", "exact", "range"])
@pytest.mark.parametrize("b_kind", ["scalar", "exact", "range"])
def test_a_choice_on_an_undecided_condition_is_the_hull_of_both_sides(
    a_kind: str, b_kind: str
) -> None:
    sure = RNG.random(N) < 0.4
    cond = (sure, sure | (RNG.random(N) < 0.1))
    a, b = ranged(a_kind), ranged(b_kind)
    got, want = interval.where(cond, a, b), reference_where(cond, a, b)
    assert got[0].dtype == want[0].dtype
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


@pytest.mark.parametrize("op", [interval.mul, interval.div, interval.floordiv])
@pytest.mark.parametrize("a_kind", ["exact", "range"])
@pytest.mark.parametrize("b_kind", ["exact", "range"])
def test_a_product_with_one_exact_side_takes_two_corners_and_gives_the_same_bounds(
    op: Any, a_kind: str, b_kind: str
) -> None:
    a, b = ranged(a_kind), ranged(b_kind)
    if interval.exact(a) and interval.exact(b):
        b = (b[0], b[0] + 1)
    ufunc = {interval.mul: np.multiply, interval.div: np.true_divide}.get(op, np.floor_divide)
    with np.errstate(divide="ignore", invalid="ignore"):
        got, want = op(a, b), reference_corners(ufunc, a, b)
    assert np.array_equal(got[0], want[0], equal_nan=True)
    assert np.array_equal(got[1], want[1], equal_nan=True)


SIDES = {
    "int": lambda: RNG.integers(-(2**62), 2**62, N),
    "float": lambda: np.where(RNG.random(N) < 0.1, np.nan, RNG.normal(0, 1e6, N)),
    "bool": lambda: RNG.random(N) < 0.5,
    "int32": lambda: RNG.integers(-(2**31), 2**31, N).astype(np.int32),
    "python int": lambda: 0,
    "python float": lambda: 0.5,
    "python bool": lambda: True,
}


@pytest.mark.parametrize("a", list(SIDES))
@pytest.mark.parametrize("b", list(SIDES))
def test_the_branch_free_choice_gives_numpys_where_bit_for_bit(a: str, b: str) -> None:
    cond = RNG.random(N) < 0.4
    left, right = SIDES[a](), SIDES[b]()
    want, got = np.where(cond, left, right), interval.select(cond, left, right)
    assert got.dtype == want.dtype
    assert got.shape == want.shape
    assert got.tobytes() == want.tobytes()


def chained_choose(key: interval.Bounds, values: list[interval.Bounds]) -> interval.Bounds:
    out: interval.Bounds = (0, None)
    for i, value in enumerate(values):
        out = interval.where(interval.equal(key, (i, None)), value, out)
    return out


@pytest.mark.parametrize("key_kind", ["exact", "range"])
@pytest.mark.parametrize("with_range", [False, True])
def test_choose_by_table_gives_the_chain_of_choices(key_kind: str, with_range: bool) -> None:
    from gibon.benefits.engine import functions

    lo = RNG.integers(-2, 6, N)
    key = (
        (lo, None)
        if key_kind == "exact"
        else (lo, lo + RNG.integers(0, 3, N) * (RNG.random(N) < 0.3))
    )
    values: list[interval.Bounds] = [(90_000, None), (80_000, None), (-5, None), (30_000, None)]
    if with_range:
        values[2] = (0, 10**12)
    want, got = chained_choose(key, values), functions.choose_table(key, values)
    assert got is not None
    for w, g in zip(want, got, strict=True):
        assert (w is None) == (g is None)
        if w is not None:
            assert np.asarray(w).dtype == g.dtype
            assert np.array_equal(w, g)
