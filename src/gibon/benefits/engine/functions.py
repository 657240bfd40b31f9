"""The functions of the rule language, as one registry: name, arity, purity and how each compiles.

A function's ``build`` receives the compiler, the call's arguments (syntax, not yet compiled: a
few functions read them as written, such as ``by_size``'s parameter table) and the entity the
rule computes for, and returns a formula. ``static`` functions read no population input, so a
call whose arguments are parameters and constants is computed once per month.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from gibon.benefits.engine import interval
from gibon.errors import InvalidInput

if TYPE_CHECKING:
    from gibon.benefits.engine.expressions import Compiler, Context, Formula

Bounds = interval.Bounds
AGGREGATES = ("sum", "max", "min", "any", "all", "count")
GROUP_PREFIXES = {"hh": "household", "couple": "couple"}


@dataclass(frozen=True, kw_only=True)
class Function:
    name: str
    min_args: int
    max_args: int
    static: bool
    build: Callable[[Compiler, list[ast.expr], str], Formula]
    # a row's result reads only that row and makes no range of exact values (see Compiled)
    row_local: bool = True


def _fold(op: Callable[[Bounds, Bounds], Bounds]) -> Callable[..., Formula]:
    def build(c: Compiler, args: list[ast.expr], entity: str) -> Formula:
        parts = c.compile_all(args, entity)

        def run(ctx: Context) -> Bounds:
            out = parts[0](ctx)
            for part in parts[1:]:
                out = op(out, part(ctx))
            return out

        return run

    return build


def _where(c: Compiler, args: list[ast.expr], entity: str) -> Formula:
    cond, yes, no = c.compile_all(args, entity)
    return lambda ctx: interval.where(cond(ctx), yes(ctx), no(ctx))


def _abs(c: Compiler, args: list[ast.expr], entity: str) -> Formula:
    (arg,) = c.compile_all(args, entity)

    def run(ctx: Context) -> Bounds:
        v = arg(ctx)
        if interval.exact(v):
            return np.abs(v[0]), None
        low = np.where((v[0] <= 0) & (v[1] >= 0), 0, np.minimum(np.abs(v[0]), np.abs(v[1])))
        return low, np.maximum(np.abs(v[0]), np.abs(v[1]))

    return run


def _monotone(op: Callable[[Any], Any]) -> Callable[..., Formula]:
    def build(c: Compiler, args: list[ast.expr], entity: str) -> Formula:
        (arg,) = c.compile_all(args, entity)
        return lambda ctx: interval.monotone(op, arg(ctx))

    return build


def _to_step(name: str, op: Callable[[Any], Any]) -> Callable[..., Formula]:
    def build(c: Compiler, args: list[ast.expr], entity: str) -> Formula:
        value, step = c.compile_all(args, entity)

        def run(ctx: Context) -> Bounds:
            s = step(ctx)
            if not interval.exact(s):
                raise InvalidInput(f"{name} needs a confirmed step", where=c.where)
            size = s[0]
            return interval.monotone(
                lambda x: (op(np.asarray(x) / size) * size).astype(np.int64), value(ctx)
            )

        return run

    return build


def _choose(c: Compiler, args: list[ast.expr], entity: str) -> Formula:
    """choose(k, v0, v1, ...): v_k for each entity (k outside the list gives 0)."""
    key, *options = c.compile_all(args, entity)

    def run(ctx: Context) -> Bounds:
        k, values = key(ctx), [option(ctx) for option in options]
        table = choose_table(k, values)
        if table is not None:
            return table
        out: Bounds = (0, None)
        for i, value in enumerate(values):
            out = interval.where(interval.equal(k, (i, None)), value, out)
        return out

    return run


def choose_table(key: Bounds, values: list[Bounds]) -> Bounds | None:
    """``choose`` of whole-number options by table lookup, the values the chain of ``where``
    gives: an exact key takes its option (0 outside the list); a key whose ends differ takes
    the hull of 0 and the options it may name. None unless the key is an integer array and
    every option a whole number (exact or a range)."""
    lo, up = key
    ends = [(v[0], interval.hi(v)) for v in values]
    if not (
        type(lo) is np.ndarray
        and lo.ndim == 1
        and lo.dtype.kind in "iu"
        and (up is None or (type(up) is np.ndarray and up.shape == lo.shape))
        and all(type(a) is int and type(b) is int for a, b in ends)
    ):
        return None
    m = len(ends)
    low_of = np.array([a for a, _ in ends] + [0], dtype=np.int64)  # row m: outside the list
    high_of = np.array([b for _, b in ends] + [0], dtype=np.int64)
    at = np.where((lo >= 0) & (lo < m), lo, m)
    low, high = low_of[at], high_of[at]
    if up is None:
        return low, None if all(v[1] is None for v in values) else high
    rows = np.flatnonzero(lo != up)
    lo_r, up_r = lo[rows], up[rows]
    low_r, high_r = np.zeros(len(rows), np.int64), np.zeros(len(rows), np.int64)
    for i, (a, b) in enumerate(ends):
        named = (lo_r <= i) & (i <= up_r)
        low_r = np.where(named, np.minimum(low_r, a), low_r)
        high_r = np.where(named, np.maximum(high_r, b), high_r)
    low[rows], high[rows] = low_r, high_r
    return low, high


def _by_size(c: Compiler, args: list[ast.expr], entity: str) -> Formula:
    if not isinstance(args[0], ast.Attribute):
        raise c.fail("by_size takes a parameter group and a size", "by_size(p.median_income, size)")
    dotted = c.dotted(args[0])
    kind = c.resolver.parameter_kind(dotted)
    if kind != "node":
        raise (
            c.unknown_parameter(dotted, kind)
            if kind is None
            else c.fail(f"p.{dotted} is a single value, by_size needs a table keyed 1, 2, 3…")
        )
    c.parameters.add(dotted)
    size = c.compile(args[1], entity)

    def run(ctx: Context) -> Bounds:
        s = size(ctx)
        if not interval.exact(s):
            raise InvalidInput("by_size needs a known household size", where=c.where)
        return ctx.by_size(dotted, s[0])

    return run


def _undetermined_if(c: Compiler, args: list[ast.expr], entity: str) -> Formula:
    """undetermined_if(cond, x): x, but unknown wherever cond may hold (a missing input)."""
    cond, value = c.compile_all(args, entity)

    def run(ctx: Context) -> Bounds:
        v = value(ctx)
        if np.asarray(v[0]).dtype == bool:
            return interval.widen(cond(ctx), v, False, True)
        return interval.widen(cond(ctx), v, -interval.BIG, interval.BIG)

    return run


def _between(c: Compiler, args: list[ast.expr], entity: str) -> Formula:
    """between(low, high): a value known only to lie in [low, high] (an input nobody gave)."""
    low, high = c.compile_all(args, entity)
    return lambda ctx: (low(ctx)[0], interval.hi(high(ctx)))


def _rank_in_household(c: Compiler, args: list[ast.expr], entity: str) -> Formula:
    """rank_in_household(key, cond): 1 for the member with the smallest key among those with cond."""
    if entity != "person":
        raise c.fail("rank_in_household is a person rule")
    key, cond = c.compile_all(args, entity)

    def run(ctx: Context) -> Bounds:
        k, m = key(ctx), cond(ctx)
        if not (interval.exact(k) and interval.exact(m)):
            raise InvalidInput("rank_in_household needs known inputs", where=c.where)
        return ctx.rank_in_household(k[0], m[0]), None

    return run


def _aggregate(group: str, op: str) -> Callable[..., Formula]:
    """hh_sum(x), couple_any(x), …: a person value summed (or …) over the group."""

    def build(c: Compiler, args: list[ast.expr], entity: str) -> Formula:
        name = f"{'hh' if group == 'household' else 'couple'}_{op}"
        if entity not in ("person", group) and not c.can_broadcast(group, entity):
            raise c.fail(f"{name} gives a {group} value, not usable in a {entity} rule")
        arg = c.compile(args[0], "person")

        def run(ctx: Context) -> Bounds:
            low, high = ctx.aggregate(op, group, arg(ctx))
            if entity != group:
                low = ctx.broadcast(group, entity, low)
                high = None if high is None else ctx.broadcast(group, entity, high)
            return low, high

        return run

    return build


def _round_half_up(x: Any) -> Any:
    """Half-up rounding to the won, as the published selection lines are."""
    arr = np.asarray(x)
    if arr.dtype.kind in "iu":  # whole already (the float round trip gives the same values)
        return arr.astype(np.int64, copy=False)
    return np.floor(arr + 0.5).astype(np.int64)


def _whole(op: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """floor or ceil to int64; integer arrays are already whole (no float round trip)."""

    def run(x: Any) -> Any:
        arr = np.asarray(x)
        if arr.dtype.kind in "iu":
            return arr.astype(np.int64, copy=False)
        return op(arr).astype(np.int64)

    return run


_ENTRIES = [
    Function(name="min", min_args=2, max_args=9, static=True, build=_fold(interval.minimum)),
    Function(name="max", min_args=2, max_args=9, static=True, build=_fold(interval.maximum)),
    Function(name="where", min_args=3, max_args=3, static=True, build=_where),
    Function(name="floor", min_args=1, max_args=1, static=True, build=_monotone(_whole(np.floor))),
    Function(name="ceil", min_args=1, max_args=1, static=True, build=_monotone(_whole(np.ceil))),
    Function(name="round", min_args=1, max_args=1, static=True, build=_monotone(_round_half_up)),
    Function(
        name="floor_to", min_args=2, max_args=2, static=True, build=_to_step("floor_to", np.floor)
    ),
    Function(
        name="ceil_to", min_args=2, max_args=2, static=True, build=_to_step("ceil_to", np.ceil)
    ),
    Function(name="abs", min_args=1, max_args=1, static=True, build=_abs),
    Function(name="choose", min_args=2, max_args=12, static=True, build=_choose),
    Function(name="by_size", min_args=2, max_args=2, static=False, build=_by_size),
    Function(
        name="undetermined_if",
        min_args=2,
        max_args=2,
        static=True,
        build=_undetermined_if,
        row_local=False,
    ),
    Function(name="between", min_args=2, max_args=2, static=True, build=_between, row_local=False),
    Function(
        name="rank_in_household",
        min_args=2,
        max_args=2,
        static=False,
        build=_rank_in_household,
        row_local=False,
    ),
    *(
        Function(
            name=f"{prefix}_{op}",
            min_args=1,
            max_args=1,
            static=False,
            build=_aggregate(group, op),
            row_local=False,
        )
        for prefix, group in GROUP_PREFIXES.items()
        for op in AGGREGATES
    ),
]

REGISTRY: dict[str, Function] = {f.name: f for f in _ENTRIES}
