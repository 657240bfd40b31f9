"""Scalar twins of ``interval``: for one element, what the numpy bounds functions give.

The one-household plan (``scalar``) writes Python source that calls these by name; ``HELPERS``
is the table of names that source may use, nothing else is in its namespace.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

Bounds = tuple[Any, Any]  # (low, high) of one element
LIMIT = 2**63


def _cint(x: Any) -> int:
    """``_cast`` to int64: floats are floored; anything numpy would wrap is left to numpy."""
    if type(x) is float:
        x = math.floor(x)
    out = int(x)
    if not -LIMIT <= out < LIMIT:
        raise OverflowError(out)
    return out


def _ci(x: Any) -> Any:
    return x if type(x) is int and -LIMIT <= x < LIMIT else _cint(x)


def _cp(p: Bounds, cast: Callable[[Any], Any]) -> Bounds:
    return cast(p[0]), cast(p[1])


def _floor(x: Any) -> Any:
    return math.floor(x)


def _ceil(x: Any) -> Any:
    return math.ceil(x)


def _round(x: Any) -> Any:
    return math.floor(x + 0.5)


def _floor_to(x: Any, step: Any) -> int:
    return int(math.floor(x / step) * step)


def _ceil_to(x: Any, step: Any) -> int:
    return int(math.ceil(x / step) * step)


def _rank(keys: list[Any], conds: list[Any]) -> list[int]:
    order = sorted((k, i) for i, (k, c) in enumerate(zip(keys, conds, strict=True)) if c)
    rank = [0] * len(keys)
    for pos, (_, i) in enumerate(order):
        rank[i] = pos + 1
    return rank


def _add(a: Bounds, b: Bounds) -> Bounds:
    return a[0] + b[0], a[1] + b[1]


def _sub(a: Bounds, b: Bounds) -> Bounds:
    return a[0] - b[1], a[1] - b[0]


def _corners(op: Callable[[Any, Any], Any], a: Bounds, b: Bounds) -> Bounds:
    c = [op(a[0], b[0]), op(a[0], b[1]), op(a[1], b[0]), op(a[1], b[1])]
    if any(type(x) is int and not -LIMIT <= x < LIMIT for x in c):
        raise OverflowError("int64")  # numpy would wrap: let numpy answer
    return min(min(c[0], c[1]), min(c[2], c[3])), max(max(c[0], c[1]), max(c[2], c[3]))


def _by_known(op: Callable[[Any, Any], Any], a: Bounds, b: Any) -> Bounds:
    """``a op b`` with ``b`` a known number (numpy keeps or swaps the ends)."""
    x, y = op(a[0], b), op(a[1], b)
    return (x, y) if b >= 0 else (y, x)


def _mul(a: Any, b: Any) -> Any:
    return a * b


def _div(a: Any, b: Any) -> Any:
    return a / b


def _fdiv(a: Any, b: Any) -> Any:
    return a // b


def _neg(a: Bounds) -> Bounds:
    return -a[1], -a[0]


def _min(a: Bounds, b: Bounds) -> Bounds:
    return min(a[0], b[0]), min(a[1], b[1])


def _max(a: Bounds, b: Bounds) -> Bounds:
    return max(a[0], b[0]), max(a[1], b[1])


def _lt(a: Bounds, b: Bounds) -> Bounds:
    return a[1] < b[0], a[0] < b[1]


def _le(a: Bounds, b: Bounds) -> Bounds:
    return a[1] <= b[0], a[0] <= b[1]


def _eq(a: Bounds, b: Bounds) -> Bounds:
    sure = a[0] == a[1] and b[0] == b[1] and a[0] == b[0]
    return sure, a[0] <= b[1] and b[0] <= a[1]


def _ne(a: Bounds, b: Bounds) -> Bounds:
    sure, maybe = _eq(a, b)
    return not maybe, not sure


def _not(a: Bounds) -> Bounds:
    return not a[1], not a[0]


def _and(a: Bounds, b: Bounds) -> Bounds:
    return bool(a[0]) and bool(b[0]), bool(a[1]) and bool(b[1])


def _or(a: Bounds, b: Bounds) -> Bounds:
    return bool(a[0]) or bool(b[0]), bool(a[1]) or bool(b[1])


def _where(c: Bounds, a: Bounds, b: Bounds) -> Bounds:
    sure, maybe = bool(c[0]), bool(c[1])
    if sure:
        return a
    if not maybe:
        return b
    return min(a[0], b[0]), max(a[1], b[1])


def _where_known(c: Any, a: Bounds, b: Bounds) -> Bounds:
    return a if c else b


def _widen(c: Bounds, a: Bounds, low: Any, high: Any) -> Bounds:
    if not c[1]:
        return a
    return min(a[0], low), max(a[1], high)


def _abs(a: Bounds) -> Bounds:
    lo, hi = a
    low = 0 if lo <= 0 and hi >= 0 else min(abs(lo), abs(hi))
    return low, max(abs(lo), abs(hi))


def _mono(op: Callable[[Any], Any], a: Bounds) -> Bounds:
    return op(a[0]), op(a[1])


def _sum2(xs: list[Bounds]) -> Bounds:
    return sum([x[0] for x in xs]), sum([x[1] for x in xs])


def _count2(xs: list[Bounds]) -> Bounds:
    return sum([1 for x in xs if x[0]]), sum([1 for x in xs if x[1]])


def _any2(xs: list[Bounds]) -> Bounds:
    return any([x[0] for x in xs]), any([x[1] for x in xs])


def _all2(xs: list[Bounds]) -> Bounds:
    return all([x[0] for x in xs]), all([x[1] for x in xs])


def _max2(xs: list[Bounds]) -> Bounds:
    return max([x[0] for x in xs]), max([x[1] for x in xs])


def _min2(xs: list[Bounds]) -> Bounds:
    return min([x[0] for x in xs]), min([x[1] for x in xs])


HELPERS: dict[str, Any] = {
    "_cint": _cint,
    "_ci": _ci,
    "_cp": _cp,
    "_floor": _floor,
    "_ceil": _ceil,
    "_round": _round,
    "_floor_to": _floor_to,
    "_ceil_to": _ceil_to,
    "_rank": _rank,
    "_add": _add,
    "_sub": _sub,
    "_corners": _corners,
    "_by_known": _by_known,
    "_mul": _mul,
    "_div": _div,
    "_fdiv": _fdiv,
    "_neg": _neg,
    "_min": _min,
    "_max": _max,
    "_lt": _lt,
    "_le": _le,
    "_eq": _eq,
    "_ne": _ne,
    "_not": _not,
    "_and": _and,
    "_or": _or,
    "_where": _where,
    "_where_known": _where_known,
    "_widen": _widen,
    "_abs": _abs,
    "_mono": _mono,
    "_sum2": _sum2,
    "_count2": _count2,
    "_any2": _any2,
    "_all2": _all2,
    "_max2": _max2,
    "_min2": _min2,
    "math": math,
}
