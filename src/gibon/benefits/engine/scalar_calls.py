"""How the one-household plan (``scalar``) writes each function of the rule language.

``CALLS`` has one entry per function of ``functions.REGISTRY`` (a test keeps the two tables
equal): it receives the plan's compiler, the call, the entity of the rule and the index
expression of the element being computed, and returns the node's Python source.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gibon.benefits.engine import functions, interval

if TYPE_CHECKING:
    from gibon.benefits.engine.scalar import Compiler


class Unsupported(Exception):
    """The formula uses something only the vectorised engine reproduces exactly."""


@dataclass(kw_only=True)
class Node:
    """One compiled sub-expression: its Python source and what kind of value it holds."""

    code: str
    ranged: bool  # a (low, high) pair, else a plain value
    boolean: bool  # numpy would hold it as bool
    static: bool  # reads no population input
    integer: bool = False  # a Python int (not a bool, not a float) whatever the inputs


Call = Callable[["Compiler", ast.Call, str, str], Node]


def _args(c: Compiler, n: ast.Call, entity: str, idx: str) -> list[Node]:
    return [c.compile(a, entity, idx) for a in n.args]


def _extreme(name: str) -> Call:
    """min(a, b, …) / max(a, b, …), folded left to right as numpy folds them."""

    def build(c: Compiler, n: ast.Call, entity: str, idx: str) -> Node:
        out, *rest = _args(c, n, entity, idx)
        for b in rest:
            ranged = out.ranged or b.ranged
            code = (
                f"_{name}({c.pair(out)}, {c.pair(b)})"
                if ranged
                else f"{name}({out.code}, {b.code})"
            )
            out = Node(
                code=code,
                ranged=ranged,
                boolean=out.boolean and b.boolean,
                static=out.static and b.static,
                integer=out.integer and b.integer,
            )
        return out

    return build


def _where(c: Compiler, n: ast.Call, entity: str, idx: str) -> Node:
    cond, yes, no = _args(c, n, entity, idx)
    return c.where(cond, yes, no)


def _rounding(name: str) -> Call:
    def build(c: Compiler, n: ast.Call, entity: str, idx: str) -> Node:
        (a,) = _args(c, n, entity, idx)
        code = f"_mono(_{name}, {a.code})" if a.ranged else f"_{name}({a.code})"
        return Node(code=code, ranged=a.ranged, boolean=False, static=a.static, integer=True)

    return build


def _to_step(name: str) -> Call:
    def build(c: Compiler, n: ast.Call, entity: str, idx: str) -> Node:
        a, step = _args(c, n, entity, idx)
        if step.ranged:
            raise Unsupported("step")
        if a.ranged:
            code = f"_mono(lambda x: _{name}(x, {step.code}), {a.code})"
        else:
            code = f"_{name}({a.code}, {step.code})"
        static = a.static and step.static
        return Node(code=code, ranged=a.ranged, boolean=False, static=static, integer=True)

    return build


def _abs(c: Compiler, n: ast.Call, entity: str, idx: str) -> Node:
    (a,) = _args(c, n, entity, idx)
    if a.boolean:
        raise Unsupported("abs")
    code = f"_abs({a.code})" if a.ranged else f"abs({a.code})"
    return Node(code=code, ranged=a.ranged, boolean=False, static=a.static, integer=a.integer)


def _undetermined_if(c: Compiler, n: ast.Call, entity: str, idx: str) -> Node:
    cond, v = _args(c, n, entity, idx)
    low, high = ("False", "True") if v.boolean else (-interval.BIG, interval.BIG)
    return Node(
        code=f"_widen({c.pair(cond)}, {c.pair(v)}, {low}, {high})",
        ranged=True,
        boolean=v.boolean,
        static=cond.static and v.static,
        integer=v.integer,
    )


def _between(c: Compiler, n: ast.Call, entity: str, idx: str) -> Node:
    a, b = _args(c, n, entity, idx)
    if a.boolean or b.boolean:
        raise Unsupported("between")
    low = f"{a.code}[0]" if a.ranged else a.code
    high = f"{b.code}[1]" if b.ranged else b.code
    return Node(
        code=f"({low}, {high})",
        ranged=True,
        boolean=False,
        static=a.static and b.static,
        integer=a.integer and b.integer,
    )


def _aggregate(group: str, op: str) -> Call:
    def build(c: Compiler, n: ast.Call, entity: str, idx: str) -> Node:
        return c.aggregate(group, op, n, entity, idx)

    return build


CALLS: dict[str, Call] = {
    "min": _extreme("min"),
    "max": _extreme("max"),
    "where": _where,
    "floor": _rounding("floor"),
    "ceil": _rounding("ceil"),
    "round": _rounding("round"),
    "floor_to": _to_step("floor_to"),
    "ceil_to": _to_step("ceil_to"),
    "abs": _abs,
    "choose": lambda c, n, entity, idx: c.choose(n, entity, idx),
    "by_size": lambda c, n, entity, idx: c.by_size(n, entity, idx),
    "undetermined_if": _undetermined_if,
    "between": _between,
    "rank_in_household": lambda c, n, entity, idx: c.rank(n, entity, idx),
    **{
        f"{prefix}_{op}": _aggregate(group, op)
        for prefix, group in functions.GROUP_PREFIXES.items()
        for op in functions.AGGREGATES
    },
}
