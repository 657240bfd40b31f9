"""Bounds arithmetic: every value is ``(lo, hi)``, with ``hi is None`` when it is exact.

An unconfirmed parameter or an unknown input enters as a range (its candidate values, or the
whole range its unit allows). The rules then run on both bounds: a household whose eligibility
and amount come out the same at both ends is decided without the unconfirmed value deciding
anything; the others are reported as undetermined.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Bounds = tuple[Any, Any]  # (low, high or None when exact)
BIG = 10**12  # stands for "no known upper bound" in won


def exact(v: Bounds) -> bool:
    return v[1] is None


def hi(v: Bounds) -> Any:
    return v[0] if v[1] is None else v[1]


def pair(lo: Any, hi_: Any) -> Bounds:
    return (lo, hi_)


def add(a: Bounds, b: Bounds) -> Bounds:
    lo = np.add(a[0], b[0])
    return (lo, None) if exact(a) and exact(b) else (lo, np.add(hi(a), hi(b)))


def sub(a: Bounds, b: Bounds) -> Bounds:
    if exact(a) and exact(b):
        return np.subtract(a[0], b[0]), None
    return np.subtract(a[0], hi(b)), np.subtract(hi(a), b[0])


def _corners(op: Any, a: Bounds, b: Bounds) -> Bounds:
    if exact(a) and exact(b):
        return op(a[0], b[0]), None
    if exact(b) and np.ndim(b[0]) == 0 and op is not np.floor_divide:
        x, y = op(a[0], b[0]), op(a[1], b[0])  # scaling by a known number keeps or swaps the ends
        return (x, y) if b[0] >= 0 else (y, x)
    if exact(a) and np.ndim(a[0]) == 0 and op is np.multiply:
        x, y = op(a[0], b[0]), op(a[0], b[1])
        return (x, y) if a[0] >= 0 else (y, x)
    if exact(a) or exact(b):  # two of the four corners coincide: two products, not four
        x, y = (op(a[0], b[0]), op(a[0], b[1])) if exact(a) else (op(a[0], b[0]), op(a[1], b[0]))
        return np.minimum(x, y), np.maximum(x, y)
    c = [op(x, y) for x in (a[0], hi(a)) for y in (b[0], hi(b))]
    return np.minimum(np.minimum(c[0], c[1]), np.minimum(c[2], c[3])), np.maximum(
        np.maximum(c[0], c[1]), np.maximum(c[2], c[3])
    )


def mul(a: Bounds, b: Bounds) -> Bounds:
    return _corners(np.multiply, a, b)


def div(a: Bounds, b: Bounds) -> Bounds:
    return _corners(np.true_divide, a, b)


def floordiv(a: Bounds, b: Bounds) -> Bounds:
    return _corners(np.floor_divide, a, b)


def mod(a: Bounds, b: Bounds) -> Bounds:
    if exact(a) and exact(b):
        return np.mod(a[0], b[0]), None
    return np.zeros_like(np.asarray(b[0])), np.asarray(hi(b))


def neg(a: Bounds) -> Bounds:
    return (np.negative(a[0]), None) if exact(a) else (np.negative(a[1]), np.negative(a[0]))


def monotone(op: Any, a: Bounds) -> Bounds:
    return (op(a[0]), None) if exact(a) else (op(a[0]), op(a[1]))


def minimum(a: Bounds, b: Bounds) -> Bounds:
    lo = np.minimum(a[0], b[0])
    return (lo, None) if exact(a) and exact(b) else (lo, np.minimum(hi(a), hi(b)))


def maximum(a: Bounds, b: Bounds) -> Bounds:
    lo = np.maximum(a[0], b[0])
    return (lo, None) if exact(a) and exact(b) else (lo, np.maximum(hi(a), hi(b)))


# Booleans: lo = "surely true", hi = "possibly true".
def less(a: Bounds, b: Bounds, strict: bool) -> Bounds:
    op = np.less if strict else np.less_equal
    if exact(a) and exact(b):
        return op(a[0], b[0]), None
    return op(hi(a), b[0]), op(a[0], hi(b))


def equal(a: Bounds, b: Bounds) -> Bounds:
    if exact(a) and exact(b):
        return np.equal(a[0], b[0]), None
    sure = np.equal(a[0], hi(a)) & np.equal(b[0], hi(b)) & np.equal(a[0], b[0])
    maybe = np.less_equal(a[0], hi(b)) & np.less_equal(b[0], hi(a))
    return sure, maybe


def not_(a: Bounds) -> Bounds:
    return (
        (np.logical_not(a[0]), None) if exact(a) else (np.logical_not(a[1]), np.logical_not(a[0]))
    )


def and_(a: Bounds, b: Bounds) -> Bounds:
    lo = np.logical_and(a[0], b[0])
    return (lo, None) if exact(a) and exact(b) else (lo, np.logical_and(hi(a), hi(b)))


def or_(a: Bounds, b: Bounds) -> Bounds:
    lo = np.logical_or(a[0], b[0])
    return (lo, None) if exact(a) and exact(b) else (lo, np.logical_or(hi(a), hi(b)))


_BITS = {1: np.int8, 2: np.int16, 4: np.int32, 8: np.int64}


def select(cond: Any, a: Any, b: Any) -> np.ndarray:
    """``np.where(cond, a, b)``, bit for bit, without a branch per row: numpy's ``where`` guesses
    each row's side, and a condition true on some rows and not others defeats the guess (the
    bit mask runs two to three times faster on the district). Other cases go to ``np.where``."""
    dtype = np.result_type(a, b)
    bits = _BITS.get(dtype.itemsize) if dtype.kind in "biuf" else None
    if bits is None or type(cond) is not np.ndarray or cond.ndim != 1 or cond.dtype != bool:
        return _where(cond, a, b)
    a_bits, b_bits = np.asarray(a, dtype).view(bits), np.asarray(b, dtype).view(bits)
    if max(a_bits.ndim, b_bits.ndim) != 1:  # two numbers, or a table: numpy's own
        return _where(cond, a, b)
    mask = cond.view(np.int8).astype(bits)
    np.negative(mask, out=mask)  # all ones where cond holds, else zeros
    out = np.bitwise_xor(a_bits, b_bits)
    np.bitwise_and(out, mask, out=out)
    np.bitwise_xor(out, b_bits, out=out)  # b, with a's bits where the mask is set
    chosen: np.ndarray = out.view(dtype)
    return chosen


def _where(cond: Any, a: Any, b: Any) -> np.ndarray:
    out: np.ndarray = np.where(cond, a, b)
    return out


def where(c: Bounds, a: Bounds, b: Bounds) -> Bounds:
    if exact(c):
        cond = np.asarray(c[0], dtype=bool)
        low: Any = select(cond, a[0], b[0])
        return (low, None) if exact(a) and exact(b) else (low, select(cond, hi(a), hi(b)))
    sure, maybe = np.asarray(c[0], dtype=bool), np.asarray(c[1], dtype=bool)
    # where c surely holds: a; where it surely does not: b; else the hull of both
    if sure.ndim == 0 or maybe.shape != sure.shape:
        return (
            np.where(sure, a[0], np.where(maybe, np.minimum(a[0], b[0]), b[0])),
            np.where(sure, hi(a), np.where(maybe, np.maximum(hi(a), hi(b)), hi(b))),
        )
    # sure implies maybe, so one choice is right wherever the condition is decided; the few
    # undecided rows are patched with the hull (the same values as the three-way choice)
    low, high = select(sure, a[0], b[0]), select(maybe, hi(a), hi(b))
    undecided = np.flatnonzero(sure != maybe)
    if len(undecided):
        low[undecided] = np.minimum(_at(a[0], undecided), _at(b[0], undecided))
        high[undecided] = np.maximum(_at(hi(a), undecided), _at(hi(b), undecided))
    return low, high


def _at(value: Any, rows: Any) -> Any:
    """``value`` on ``rows`` (a number stays a number)."""
    arr = np.asarray(value)
    return arr[rows] if arr.ndim else arr


def widen(c: Bounds, a: Bounds, lo: Any, up: Any) -> Bounds:
    """``a``, but anywhere between ``lo`` and ``up`` where ``c`` may hold (an unknown input)."""
    maybe = np.asarray(hi(c), dtype=bool)
    if not np.any(maybe):
        return a
    return np.where(maybe, np.minimum(a[0], lo), a[0]), np.where(
        maybe, np.maximum(hi(a), up), hi(a)
    )


def undetermined(lo: Any, up: Any) -> Any:
    """Boolean mask of entities whose bounds differ, or None."""
    if up is None:
        return None
    m = np.asarray(lo) != np.asarray(up)
    return m if m.any() else None
