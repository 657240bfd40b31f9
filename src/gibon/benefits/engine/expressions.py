"""The rule language: a safe subset of Python expressions, compiled to vectorised numpy closures.

Every closure returns bounds ``(lo, hi)`` (``hi`` is None when exact; see ``interval``): an
unconfirmed parameter or an unknown input is a range, and a household is decided only where both
bounds agree.

Names: variables (inputs or rules), ``p.dotted.parameter``, numbers, ``True``/``False``.
Operators: ``+ - * / // %``, comparisons (chains allowed), ``and or not``, ``a if c else b``.
Functions: see ``FUNCTIONS``.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from gibon.benefits.engine import interval as iv
from gibon.errors import InvalidInput

ENTITIES = ("person", "household", "couple")
GROUPS = ("household", "couple")
AGG_OPS = ("sum", "max", "min", "any", "all", "count")
SIMPLE = (
    "min",
    "max",
    "where",
    "floor",
    "ceil",
    "round",
    "floor_to",
    "ceil_to",
    "abs",
    "choose",
    "by_size",
    "undetermined_if",
    "between",
    "rank_in_household",
)
FUNCTIONS = SIMPLE + tuple(f"{g}_{op}" for g in ("hh", "couple") for op in AGG_OPS)

V = iv.V
Fn = Callable[["Context"], V]


class Context(Protocol):
    month: Any  # the first day of the month computed

    def static(self, key: int, fn: Fn) -> V: ...

    def var(self, name: str, entity: str) -> V: ...
    def param(self, name: str) -> V: ...
    def by_size(self, node: str, size: Any) -> V: ...
    def aggregate(self, op: str, group: str, value: V) -> V: ...
    def broadcast(self, source: str, target: str, value: Any) -> Any: ...
    def rank_in_household(self, key: Any, cond: Any) -> Any: ...


class Resolver(Protocol):
    def entity_of(self, name: str) -> str | None: ...
    def parameter_kind(self, dotted: str) -> str | None: ...
    def close_names(self, name: str) -> list[str]: ...


@dataclass(frozen=True)
class Compiled:
    source: str
    fn: Fn
    variables: frozenset[str]
    parameters: frozenset[str]


def compile_formula(source: str, entity: str, resolver: Resolver, where: str) -> Compiled:
    try:
        tree = ast.parse(" ".join(str(source).split()), mode="eval")
    except SyntaxError as exc:
        raise InvalidInput(
            f"rule does not parse: {exc.msg} (column {exc.offset})",
            where=where,
            example="where(age >= 65, 100000, 0)",
        ) from None
    c = _Compiler(resolver, where)
    fn = c.node(tree.body, entity)
    return Compiled(str(source), fn, frozenset(c.variables), frozenset(c.parameters))


class _Compiler:
    def __init__(self, resolver: Resolver, where: str) -> None:
        self.r = resolver
        self.where = where
        self.variables: set[str] = set()
        self.parameters: set[str] = set()

    def fail(self, msg: str, example: str | None = None) -> InvalidInput:
        return InvalidInput(msg, where=self.where, example=example)

    def node(self, n: ast.expr, entity: str) -> Fn:
        method = getattr(self, "n_" + type(n).__name__, None)
        if method is None:
            raise self.fail(
                f"'{ast.unparse(n)}' is not allowed in a rule ({type(n).__name__})",
                "max(0, income - 200000)",
            )
        fn: Fn = method(n, entity)
        if not isinstance(n, ast.Constant | ast.Attribute) and _static(n):
            key = id(fn)  # parameters and constants only: the same for everyone in a month
            return lambda ctx: ctx.static(key, fn)
        return fn

    def n_Constant(self, n: ast.Constant, entity: str) -> Fn:
        if isinstance(n.value, bool | int | float):
            v = n.value
            return lambda ctx: (v, None)
        raise self.fail(f"constant {n.value!r} is not a number", "0.3")

    def n_Name(self, n: ast.Name, entity: str) -> Fn:
        name = n.id
        if name in ("True", "False"):
            v = name == "True"
            return lambda ctx: (v, None)
        if name in ("period_year", "period_month"):
            attr = name.split("_")[1]
            return lambda ctx: (getattr(ctx.month, attr), None)
        source = self.r.entity_of(name)
        if source is None:
            close = self.r.close_names(name)
            raise InvalidInput(
                f"unknown variable '{name}'" + (f"; closest: {', '.join(close)}" if close else ""),
                where=self.where,
                example=close[0] if close else "age",
                details={"closest": close},
            )
        if source != entity and not _can_broadcast(source, entity):
            raise self.fail(
                f"'{name}' is a {source} variable; inside a {entity} rule use "
                f"an aggregate such as hh_sum({name})",
                f"hh_sum({name})",
            )
        self.variables.add(name)
        return lambda ctx: ctx.var(name, entity)

    def n_Attribute(self, n: ast.Attribute, entity: str) -> Fn:
        dotted = self._dotted(n)
        kind = self.r.parameter_kind(dotted)
        if kind != "leaf":
            raise self._unknown_param(dotted, kind)
        self.parameters.add(dotted)
        return lambda ctx: ctx.param(dotted)

    def _dotted(self, n: ast.expr) -> str:
        parts: list[str] = []
        while isinstance(n, ast.Attribute):
            parts.append(n.attr)
            n = n.value
        if not (isinstance(n, ast.Name) and n.id == "p"):
            raise self.fail(
                "parameters are written p.dotted.name", "p.nbls.selection_rate.livelihood"
            )
        return ".".join(reversed(parts))

    def _unknown_param(self, dotted: str, kind: str | None) -> InvalidInput:
        if kind == "node":
            return self.fail(
                f"p.{dotted} is a group of parameters; name one value or use "
                f"by_size(p.{dotted}, size)",
                f"by_size(p.{dotted}, size)",
            )
        close = self.r.close_names("p." + dotted)
        return InvalidInput(
            f"unknown parameter 'p.{dotted}'" + (f"; closest: {', '.join(close)}" if close else ""),
            where=self.where,
            example=close[0] if close else None,
            details={"closest": close},
        )

    def n_UnaryOp(self, n: ast.UnaryOp, entity: str) -> Fn:
        a = self.node(n.operand, entity)
        if isinstance(n.op, ast.USub):
            return lambda ctx: iv.neg(a(ctx))
        if isinstance(n.op, ast.Not):
            return lambda ctx: iv.not_(a(ctx))
        if isinstance(n.op, ast.UAdd):
            return a
        raise self.fail("unsupported unary operator")

    def n_BinOp(self, n: ast.BinOp, entity: str) -> Fn:
        ops = {
            ast.Add: iv.add,
            ast.Sub: iv.sub,
            ast.Mult: iv.mul,
            ast.Div: iv.div,
            ast.FloorDiv: iv.floordiv,
            ast.Mod: iv.mod,
        }
        op = ops.get(type(n.op))
        if op is None:
            raise self.fail(f"operator {type(n.op).__name__} is not allowed", "a * 0.3")
        a, b = self.node(n.left, entity), self.node(n.right, entity)
        return lambda ctx: op(a(ctx), b(ctx))

    def n_Compare(self, n: ast.Compare, entity: str) -> Fn:
        ops = {
            ast.Lt: lambda a, b: iv.less(a, b, True),
            ast.LtE: lambda a, b: iv.less(a, b, False),
            ast.Gt: lambda a, b: iv.less(b, a, True),
            ast.GtE: lambda a, b: iv.less(b, a, False),
            ast.Eq: iv.equal,
            ast.NotEq: lambda a, b: iv.not_(iv.equal(a, b)),
        }
        terms = [self.node(x, entity) for x in [n.left, *n.comparators]]
        fns: list[Callable[[V, V], V]] = []
        for op in n.ops:
            if type(op) not in ops:
                raise self.fail("only < <= > >= == != comparisons are allowed", "age >= 65")
            fns.append(ops[type(op)])

        def run(ctx: Context) -> V:
            vals = [t(ctx) for t in terms]
            out: V | None = None
            for i, op in enumerate(fns):
                cmp = op(vals[i], vals[i + 1])
                out = cmp if out is None else iv.and_(out, cmp)
            assert out is not None
            return out

        return run

    def n_BoolOp(self, n: ast.BoolOp, entity: str) -> Fn:
        parts = [self.node(x, entity) for x in n.values]
        comb = iv.and_ if isinstance(n.op, ast.And) else iv.or_

        def run(ctx: Context) -> V:
            out = parts[0](ctx)
            for p in parts[1:]:
                out = comb(out, p(ctx))
            return out

        return run

    def n_IfExp(self, n: ast.IfExp, entity: str) -> Fn:
        c, a, b = (self.node(x, entity) for x in (n.test, n.body, n.orelse))
        return lambda ctx: iv.where(c(ctx), a(ctx), b(ctx))

    def n_Call(self, n: ast.Call, entity: str) -> Fn:
        if not isinstance(n.func, ast.Name) or n.func.id not in FUNCTIONS or n.keywords:
            name = ast.unparse(n.func)
            close = difflib.get_close_matches(name, FUNCTIONS, n=3)
            raise InvalidInput(
                f"unknown function '{name}'"
                + (f"; closest: {', '.join(close)}" if close else "")
                + f"; allowed: {', '.join(FUNCTIONS)}",
                where=self.where,
                example="max(0, a - b)",
                details={"closest": close},
            )
        fname = n.func.id
        prefix, _, op = fname.partition("_")
        if prefix in ("hh", "couple") and op in AGG_OPS:
            return self._aggregate(fname, n.args, entity)
        method: Callable[[list[ast.expr], str], Fn] = getattr(self, "f_" + fname)
        return method(n.args, entity)

    def _args(self, args: list[ast.expr], entity: str, lo: int, hi: int, fname: str) -> list[Fn]:
        if not lo <= len(args) <= hi:
            raise self.fail(
                f"{fname} takes {lo}" + (f" to {hi}" if hi != lo else "") + " arguments"
            )
        return [self.node(a, entity) for a in args]

    def _aggregate(self, fname: str, args: list[ast.expr], entity: str) -> Fn:
        prefix, op = fname.split("_", 1)
        group = "household" if prefix == "hh" else "couple"
        if entity not in ("person", group) and not _can_broadcast(group, entity):
            raise self.fail(f"{fname} gives a {group} value, not usable in a {entity} rule")
        (arg,) = self._args(args, "person", 1, 1, fname)

        def run(ctx: Context) -> V:
            lo, up = ctx.aggregate(op, group, arg(ctx))
            if entity != group:
                lo = ctx.broadcast(group, entity, lo)
                up = None if up is None else ctx.broadcast(group, entity, up)
            return lo, up

        return run

    def _fold(self, op: Any, fns: list[Fn]) -> Fn:
        def run(ctx: Context) -> V:
            out = fns[0](ctx)
            for f in fns[1:]:
                out = op(out, f(ctx))
            return out

        return run

    def f_min(self, args: list[ast.expr], entity: str) -> Fn:
        return self._fold(iv.minimum, self._args(args, entity, 2, 9, "min"))

    def f_max(self, args: list[ast.expr], entity: str) -> Fn:
        return self._fold(iv.maximum, self._args(args, entity, 2, 9, "max"))

    def f_where(self, args: list[ast.expr], entity: str) -> Fn:
        c, a, b = self._args(args, entity, 3, 3, "where")
        return lambda ctx: iv.where(c(ctx), a(ctx), b(ctx))

    def f_abs(self, args: list[ast.expr], entity: str) -> Fn:
        (a,) = self._args(args, entity, 1, 1, "abs")

        def run(ctx: Context) -> V:
            v = a(ctx)
            if iv.exact(v):
                return np.abs(v[0]), None
            lo = np.where((v[0] <= 0) & (v[1] >= 0), 0, np.minimum(np.abs(v[0]), np.abs(v[1])))
            return lo, np.maximum(np.abs(v[0]), np.abs(v[1]))

        return run

    def _unary(self, args: list[ast.expr], entity: str, fname: str, op: Any) -> Fn:
        (a,) = self._args(args, entity, 1, 1, fname)
        return lambda ctx: iv.monotone(op, a(ctx))

    def f_floor(self, args: list[ast.expr], entity: str) -> Fn:
        return self._unary(args, entity, "floor", lambda x: np.floor(x).astype(np.int64))

    def f_ceil(self, args: list[ast.expr], entity: str) -> Fn:
        return self._unary(args, entity, "ceil", lambda x: np.ceil(x).astype(np.int64))

    def f_round(self, args: list[ast.expr], entity: str) -> Fn:
        """Half-up rounding to the won, as the published selection lines are."""
        return self._unary(
            args, entity, "round", lambda x: np.floor(np.asarray(x) + 0.5).astype(np.int64)
        )

    def _step(self, args: list[ast.expr], entity: str, fname: str, op: Any) -> Fn:
        a, step = self._args(args, entity, 2, 2, fname)

        def run(ctx: Context) -> V:
            s = step(ctx)
            if not iv.exact(s):
                raise InvalidInput(f"{fname} needs a confirmed step", where=self.where)
            return iv.monotone(lambda x: (op(np.asarray(x) / s[0]) * s[0]).astype(np.int64), a(ctx))

        return run

    def f_floor_to(self, args: list[ast.expr], entity: str) -> Fn:
        return self._step(args, entity, "floor_to", np.floor)

    def f_ceil_to(self, args: list[ast.expr], entity: str) -> Fn:
        return self._step(args, entity, "ceil_to", np.ceil)

    def f_choose(self, args: list[ast.expr], entity: str) -> Fn:
        """choose(k, v0, v1, ...): v_k for each entity (k outside the list gives 0)."""
        k, *opts = self._args(args, entity, 2, 12, "choose")

        def run(ctx: Context) -> V:
            kv = k(ctx)
            out: V = (0, None)
            for i, o in enumerate(opts):
                out = iv.where(iv.equal(kv, (i, None)), o(ctx), out)
            return out

        return run

    def f_by_size(self, args: list[ast.expr], entity: str) -> Fn:
        if len(args) != 2 or not isinstance(args[0], ast.Attribute):
            raise self.fail(
                "by_size takes a parameter group and a size", "by_size(p.median_income, size)"
            )
        dotted = self._dotted(args[0])
        kind = self.r.parameter_kind(dotted)
        if kind != "node":
            raise (
                self._unknown_param(dotted, kind)
                if kind is None
                else self.fail(
                    f"p.{dotted} is a single value, by_size needs a table keyed 1, 2, 3…"
                )
            )
        self.parameters.add(dotted)
        size = self.node(args[1], entity)

        def run(ctx: Context) -> V:
            s = size(ctx)
            if not iv.exact(s):
                raise InvalidInput("by_size needs a known household size", where=self.where)
            return ctx.by_size(dotted, s[0])

        return run

    def f_undetermined_if(self, args: list[ast.expr], entity: str) -> Fn:
        """undetermined_if(cond, x): x, but unknown wherever cond may hold (a missing input)."""
        c, a = self._args(args, entity, 2, 2, "undetermined_if")

        def run(ctx: Context) -> V:
            v = a(ctx)
            if np.asarray(v[0]).dtype == bool:
                return iv.widen(c(ctx), v, False, True)
            return iv.widen(c(ctx), v, -iv.BIG, iv.BIG)

        return run

    def f_between(self, args: list[ast.expr], entity: str) -> Fn:
        """between(lo, hi): a value known only to lie in [lo, hi] (an input nobody gave)."""
        lo, up = self._args(args, entity, 2, 2, "between")

        def run(ctx: Context) -> V:
            a, b = lo(ctx), up(ctx)
            return a[0], iv.hi(b)

        return run

    def f_rank_in_household(self, args: list[ast.expr], entity: str) -> Fn:
        """rank_in_household(key, cond): 1 for the member with the smallest key among those with cond."""
        if entity != "person":
            raise self.fail("rank_in_household is a person rule")
        key, cond = self._args(args, entity, 2, 2, "rank_in_household")

        def run(ctx: Context) -> V:
            k, c = key(ctx), cond(ctx)
            if not (iv.exact(k) and iv.exact(c)):
                raise InvalidInput("rank_in_household needs known inputs", where=self.where)
            return ctx.rank_in_household(k[0], c[0]), None

        return run


# names that never depend on the population: parameters, constants, the month and pure functions
STATIC_NAMES = frozenset(
    {
        "p",
        "True",
        "False",
        "period_year",
        "period_month",
        "min",
        "max",
        "where",
        "floor",
        "ceil",
        "round",
        "floor_to",
        "ceil_to",
        "abs",
        "choose",
        "between",
        "undetermined_if",
    }
)


def _static(n: ast.expr) -> bool:
    return all(not isinstance(x, ast.Name) or x.id in STATIC_NAMES for x in ast.walk(n))


def _can_broadcast(source: str, target: str) -> bool:
    return (source in GROUPS and target == "person") or (source, target) == ("household", "couple")
