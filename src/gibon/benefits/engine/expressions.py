"""The rule language: a safe subset of Python expressions, compiled to vectorised numpy closures.

Every closure returns ``(value, unknown)``: ``unknown`` is ``None`` when every household's value is
decided, else a boolean array marking the entities whose value depends on an unconfirmed parameter
or an unknown input. ``where``, ``and`` and ``or`` narrow it: a condition already false for a
household does not become undetermined because of the branch it does not take.

Names: variables (inputs or rules), ``p.dotted.parameter``, numbers, ``True``/``False``.
Operators: ``+ - * / // %``, comparisons (chains allowed), ``and or not``, ``a if c else b``.
Functions: see ``FUNCTIONS``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

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
    "rank_in_household",
)
FUNCTIONS = SIMPLE + tuple(f"{g}_{op}" for g in ("hh", "couple") for op in AGG_OPS)

Unk = Any  # None | bool | np.ndarray[bool]
Fn = Callable[["Context"], tuple[Any, Unk]]


class Context(Protocol):
    def var(self, name: str, entity: str) -> tuple[Any, Unk]: ...
    def param(self, name: str) -> tuple[Any, Unk]: ...
    def by_size(self, node: str, size: Any) -> tuple[Any, Unk]: ...
    def aggregate(self, op: str, group: str, value: Any, unk: Unk) -> tuple[Any, Unk]: ...
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


def any_unk(*unks: Unk) -> Unk:
    out: Unk = None
    for u in unks:
        if u is None or u is False:
            continue
        out = u if out is None else (out | u)
    return out


def _f(u: Unk) -> Any:
    return False if u is None else u


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
            return lambda ctx: _map1(np.negative, a(ctx))
        if isinstance(n.op, ast.Not):
            return lambda ctx: _map1(np.logical_not, a(ctx))
        if isinstance(n.op, ast.UAdd):
            return a
        raise self.fail("unsupported unary operator")

    def n_BinOp(self, n: ast.BinOp, entity: str) -> Fn:
        ops = {
            ast.Add: np.add,
            ast.Sub: np.subtract,
            ast.Mult: np.multiply,
            ast.Div: np.true_divide,
            ast.FloorDiv: np.floor_divide,
            ast.Mod: np.mod,
        }
        op = ops.get(type(n.op))
        if op is None:
            raise self.fail(f"operator {type(n.op).__name__} is not allowed", "a * 0.3")
        a, b = self.node(n.left, entity), self.node(n.right, entity)

        def run(ctx: Context) -> tuple[Any, Unk]:
            (va, ua), (vb, ub) = a(ctx), b(ctx)
            return op(va, vb), any_unk(ua, ub)

        return run

    def n_Compare(self, n: ast.Compare, entity: str) -> Fn:
        ops = {
            ast.Lt: np.less,
            ast.LtE: np.less_equal,
            ast.Gt: np.greater,
            ast.GtE: np.greater_equal,
            ast.Eq: np.equal,
            ast.NotEq: np.not_equal,
        }
        terms = [self.node(x, entity) for x in [n.left, *n.comparators]]
        fns = []
        for op in n.ops:
            if type(op) not in ops:
                raise self.fail("only < <= > >= == != comparisons are allowed", "age >= 65")
            fns.append(ops[type(op)])

        def run(ctx: Context) -> tuple[Any, Unk]:
            vals = [t(ctx) for t in terms]
            out: tuple[Any, Unk] | None = None
            for i, op in enumerate(fns):
                cmp = (op(vals[i][0], vals[i + 1][0]), any_unk(vals[i][1], vals[i + 1][1]))
                out = cmp if out is None else _and(out, cmp)
            assert out is not None
            return out

        return run

    def n_BoolOp(self, n: ast.BoolOp, entity: str) -> Fn:
        parts = [self.node(x, entity) for x in n.values]
        comb = _and if isinstance(n.op, ast.And) else _or

        def run(ctx: Context) -> tuple[Any, Unk]:
            out = parts[0](ctx)
            for p in parts[1:]:
                out = comb(out, p(ctx))
            return out

        return run

    def n_IfExp(self, n: ast.IfExp, entity: str) -> Fn:
        c, a, b = (self.node(x, entity) for x in (n.test, n.body, n.orelse))
        return lambda ctx: _where(c(ctx), a(ctx), b(ctx))

    def n_Call(self, n: ast.Call, entity: str) -> Fn:
        if not isinstance(n.func, ast.Name) or n.func.id not in FUNCTIONS or n.keywords:
            name = ast.unparse(n.func)
            import difflib

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
        if (
            "_" in fname
            and fname.split("_", 1)[1] in AGG_OPS
            and fname.split("_", 1)[0] in ("hh", "couple")
        ):
            return self._aggregate(fname, n.args, entity)
        return getattr(self, "f_" + fname)(n.args, entity)

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

        def run(ctx: Context) -> tuple[Any, Unk]:
            v, u = arg(ctx)
            out, unk = ctx.aggregate(op, group, v, u)
            if entity != group:
                out = ctx.broadcast(group, entity, out)
                unk = None if unk is None else ctx.broadcast(group, entity, unk)
            return out, unk

        return run

    def f_min(self, args: list[ast.expr], entity: str) -> Fn:
        return self._reduce(np.minimum, self._args(args, entity, 2, 9, "min"))

    def f_max(self, args: list[ast.expr], entity: str) -> Fn:
        return self._reduce(np.maximum, self._args(args, entity, 2, 9, "max"))

    def _reduce(self, op: Any, fns: list[Fn]) -> Fn:
        def run(ctx: Context) -> tuple[Any, Unk]:
            vals = [f(ctx) for f in fns]
            out = vals[0][0]
            for v, _ in vals[1:]:
                out = op(out, v)
            return out, any_unk(*(u for _, u in vals))

        return run

    def f_where(self, args: list[ast.expr], entity: str) -> Fn:
        c, a, b = self._args(args, entity, 3, 3, "where")
        return lambda ctx: _where(c(ctx), a(ctx), b(ctx))

    def f_abs(self, args: list[ast.expr], entity: str) -> Fn:
        (a,) = self._args(args, entity, 1, 1, "abs")
        return lambda ctx: _map1(np.abs, a(ctx))

    def f_floor(self, args: list[ast.expr], entity: str) -> Fn:
        (a,) = self._args(args, entity, 1, 1, "floor")
        return lambda ctx: _map1(lambda x: np.floor(x).astype(np.int64), a(ctx))

    def f_ceil(self, args: list[ast.expr], entity: str) -> Fn:
        (a,) = self._args(args, entity, 1, 1, "ceil")
        return lambda ctx: _map1(lambda x: np.ceil(x).astype(np.int64), a(ctx))

    def f_round(self, args: list[ast.expr], entity: str) -> Fn:
        """Half-up rounding to the won, as the published selection lines are."""
        (a,) = self._args(args, entity, 1, 1, "round")
        return lambda ctx: _map1(lambda x: np.floor(np.asarray(x) + 0.5).astype(np.int64), a(ctx))

    def f_floor_to(self, args: list[ast.expr], entity: str) -> Fn:
        a, step = self._args(args, entity, 2, 2, "floor_to")
        return lambda ctx: _map2(
            lambda x, s: (np.floor(np.asarray(x) / s) * s).astype(np.int64), a(ctx), step(ctx)
        )

    def f_ceil_to(self, args: list[ast.expr], entity: str) -> Fn:
        a, step = self._args(args, entity, 2, 2, "ceil_to")
        return lambda ctx: _map2(
            lambda x, s: (np.ceil(np.asarray(x) / s) * s).astype(np.int64), a(ctx), step(ctx)
        )

    def f_choose(self, args: list[ast.expr], entity: str) -> Fn:
        """choose(k, v0, v1, ...): v_k for each entity (k outside the list gives 0)."""
        k, *opts = self._args(args, entity, 2, 12, "choose")

        def run(ctx: Context) -> tuple[Any, Unk]:
            kv, ku = k(ctx)
            out: tuple[Any, Unk] = (0, None)
            for i, o in enumerate(opts):
                out = _where((np.equal(kv, i), ku), o(ctx), out)
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

        def run(ctx: Context) -> tuple[Any, Unk]:
            sv, su = size(ctx)
            v, u = ctx.by_size(dotted, sv)
            return v, any_unk(u, su)

        return run

    def f_undetermined_if(self, args: list[ast.expr], entity: str) -> Fn:
        """undetermined_if(cond, x): x, but undetermined wherever cond holds (a missing input)."""
        c, a = self._args(args, entity, 2, 2, "undetermined_if")

        def run(ctx: Context) -> tuple[Any, Unk]:
            (cv, cu), (av, au) = c(ctx), a(ctx)
            return av, any_unk(np.asarray(cv, dtype=bool), cu, au)

        return run

    def f_rank_in_household(self, args: list[ast.expr], entity: str) -> Fn:
        """rank_in_household(key, cond): 1 for the member with the smallest key among those with cond."""
        if entity != "person":
            raise self.fail("rank_in_household is a person rule")
        key, cond = self._args(args, entity, 2, 2, "rank_in_household")

        def run(ctx: Context) -> tuple[Any, Unk]:
            (kv, ku), (cv, cu) = key(ctx), cond(ctx)
            return ctx.rank_in_household(kv, cv), any_unk(ku, cu)

        return run


def _can_broadcast(source: str, target: str) -> bool:
    return (source in GROUPS and target == "person") or (source, target) == ("household", "couple")


def _map1(op: Any, a: tuple[Any, Unk]) -> tuple[Any, Unk]:
    return op(a[0]), a[1]


def _map2(op: Any, a: tuple[Any, Unk], b: tuple[Any, Unk]) -> tuple[Any, Unk]:
    return op(a[0], b[0]), any_unk(a[1], b[1])


def _where(c: tuple[Any, Unk], a: tuple[Any, Unk], b: tuple[Any, Unk]) -> tuple[Any, Unk]:
    cond = np.asarray(c[0], dtype=bool)
    value = np.where(cond, a[0], b[0])
    if a[1] is None and b[1] is None:
        return value, c[1]
    return value, any_unk(c[1], np.where(cond, _f(a[1]), _f(b[1])))


def _and(a: tuple[Any, Unk], b: tuple[Any, Unk]) -> tuple[Any, Unk]:
    value = np.logical_and(a[0], b[0])
    if a[1] is None and b[1] is None:
        return value, None
    ua, ub = _f(a[1]), _f(b[1])
    known_false = (~np.asarray(ua) & ~np.asarray(a[0], dtype=bool)) | (
        ~np.asarray(ub) & ~np.asarray(b[0], dtype=bool)
    )
    return value, (np.asarray(ua) | ub) & ~known_false


def _or(a: tuple[Any, Unk], b: tuple[Any, Unk]) -> tuple[Any, Unk]:
    value = np.logical_or(a[0], b[0])
    if a[1] is None and b[1] is None:
        return value, None
    ua, ub = _f(a[1]), _f(b[1])
    known_true = (~np.asarray(ua) & np.asarray(a[0], dtype=bool)) | (
        ~np.asarray(ub) & np.asarray(b[0], dtype=bool)
    )
    return value, (np.asarray(ua) | ub) & ~known_true
