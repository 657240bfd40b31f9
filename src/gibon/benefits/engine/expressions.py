"""The rule language: a safe subset of Python expressions, compiled to vectorised numpy closures.

Every closure returns bounds ``(lo, hi)`` (``hi`` is None when exact; see ``interval``): an
unconfirmed parameter or an unknown input is a range, and a household is decided only where both
bounds agree.

Names: variables (inputs or rules), ``p.dotted.parameter``, numbers, ``True``/``False``.
Operators: ``+ - * / // %``, comparisons (chains allowed), ``and or not``, ``a if c else b``.
Functions: the registry in ``functions``.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from gibon.benefits.engine import functions, interval
from gibon.errors import InvalidInput

ENTITIES = ("person", "household", "couple")
GROUPS = ("household", "couple")
FUNCTIONS = tuple(functions.REGISTRY)

Bounds = interval.Bounds  # (low, high or None when exact)
Formula = Callable[["Context"], Bounds]


class Context(Protocol):
    month: Any  # the first day of the month computed

    def static(self, key: int, fn: Formula) -> Bounds: ...

    def var(self, name: str, entity: str) -> Bounds: ...
    def param(self, name: str) -> Bounds: ...
    def by_size(self, node: str, size: Any) -> Bounds: ...
    def aggregate(self, op: str, group: str, value: Bounds) -> Bounds: ...
    def broadcast(self, source: str, target: str, value: Any) -> Any: ...
    def rank_in_household(self, key: Any, cond: Any) -> Any: ...


class Resolver(Protocol):
    def entity_of(self, name: str) -> str | None: ...
    def parameter_kind(self, dotted: str) -> str | None: ...
    def close_names(self, name: str) -> list[str]: ...


@dataclass(frozen=True)
class Compiled:
    source: str
    fn: Formula
    variables: frozenset[str]
    parameters: frozenset[str]
    # every row's value depends on that row's inputs only, and no range arises inside the
    # formula (no aggregate, between, undetermined_if or %): see Simulation._rows_at
    row_local: bool = False


def compile_formula(source: str, entity: str, resolver: Resolver, where: str) -> Compiled:
    try:
        tree = ast.parse(" ".join(str(source).split()), mode="eval")
    except SyntaxError as exc:
        raise InvalidInput(
            f"rule does not parse: {exc.msg} (column {exc.offset})",
            where=where,
            example="where(age >= 65, 100000, 0)",
        ) from None
    compiler = Compiler(resolver, where)
    fn = compiler.compile(tree.body, entity)
    return Compiled(
        source=str(source),
        fn=fn,
        variables=frozenset(compiler.variables),
        parameters=frozenset(compiler.parameters),
        row_local=compiler.row_local,
    )


BINARY = {
    ast.Add: interval.add,
    ast.Sub: interval.sub,
    ast.Mult: interval.mul,
    ast.Div: interval.div,
    ast.FloorDiv: interval.floordiv,
    ast.Mod: interval.mod,
}
COMPARE: dict[type, Callable[[Bounds, Bounds], Bounds]] = {
    ast.Lt: lambda a, b: interval.less(a, b, True),
    ast.LtE: lambda a, b: interval.less(a, b, False),
    ast.Gt: lambda a, b: interval.less(b, a, True),
    ast.GtE: lambda a, b: interval.less(b, a, False),
    ast.Eq: interval.equal,
    ast.NotEq: lambda a, b: interval.not_(interval.equal(a, b)),
}


class Compiler:
    """Compiles one formula; remembers the variables and parameters it reads."""

    def __init__(self, resolver: Resolver, where: str) -> None:
        self.resolver = resolver
        self.where = where
        self.variables: set[str] = set()
        self.parameters: set[str] = set()
        self.row_local = True
        self._syntax: dict[type, Callable[[Any, str], Formula]] = {
            ast.Constant: self._constant,
            ast.Name: self._name,
            ast.Attribute: self._parameter,
            ast.UnaryOp: self._unary,
            ast.BinOp: self._binary,
            ast.Compare: self._compare,
            ast.BoolOp: self._boolean,
            ast.IfExp: self._if_else,
            ast.Call: self._call,
        }

    def fail(self, msg: str, example: str | None = None) -> InvalidInput:
        return InvalidInput(msg, where=self.where, example=example)

    def compile(self, n: ast.expr, entity: str) -> Formula:
        build = self._syntax.get(type(n))
        if build is None:
            raise self.fail(
                f"'{ast.unparse(n)}' is not allowed in a rule ({type(n).__name__})",
                "max(0, income - 200000)",
            )
        fn = build(n, entity)
        if not isinstance(n, ast.Constant | ast.Attribute) and _static(n):
            key = id(fn)  # parameters and constants only: the same for everyone in a month
            return lambda ctx: ctx.static(key, fn)
        return fn

    def compile_all(self, args: list[ast.expr], entity: str) -> list[Formula]:
        return [self.compile(a, entity) for a in args]

    @staticmethod
    def can_broadcast(source: str, target: str) -> bool:
        return (source in GROUPS and target == "person") or (source, target) == (
            "household",
            "couple",
        )

    def _constant(self, n: ast.Constant, entity: str) -> Formula:
        if isinstance(n.value, bool | int | float):
            v = n.value
            return lambda ctx: (v, None)
        raise self.fail(f"constant {n.value!r} is not a number", "0.3")

    def _name(self, n: ast.Name, entity: str) -> Formula:
        name = n.id
        if name in ("True", "False"):
            v = name == "True"
            return lambda ctx: (v, None)
        if name in ("period_year", "period_month"):
            attr = name.split("_")[1]
            return lambda ctx: (getattr(ctx.month, attr), None)
        source = self.resolver.entity_of(name)
        if source is None:
            close = self.resolver.close_names(name)
            raise InvalidInput(
                f"unknown variable '{name}'" + (f"; closest: {', '.join(close)}" if close else ""),
                where=self.where,
                example=close[0] if close else "age",
                details={"closest": close},
            )
        if source != entity and not self.can_broadcast(source, entity):
            raise self.fail(
                f"'{name}' is a {source} variable; inside a {entity} rule use "
                f"an aggregate such as hh_sum({name})",
                f"hh_sum({name})",
            )
        self.variables.add(name)
        return lambda ctx: ctx.var(name, entity)

    def _parameter(self, n: ast.Attribute, entity: str) -> Formula:
        dotted = self.dotted(n)
        kind = self.resolver.parameter_kind(dotted)
        if kind != "leaf":
            raise self.unknown_parameter(dotted, kind)
        self.parameters.add(dotted)
        return lambda ctx: ctx.param(dotted)

    def dotted(self, n: ast.expr) -> str:
        parts: list[str] = []
        while isinstance(n, ast.Attribute):
            parts.append(n.attr)
            n = n.value
        if not (isinstance(n, ast.Name) and n.id == "p"):
            raise self.fail(
                "parameters are written p.dotted.name", "p.nbls.selection_rate.livelihood"
            )
        return ".".join(reversed(parts))

    def unknown_parameter(self, dotted: str, kind: str | None) -> InvalidInput:
        if kind == "node":
            return self.fail(
                f"p.{dotted} is a group of parameters; name one value or use "
                f"by_size(p.{dotted}, size)",
                f"by_size(p.{dotted}, size)",
            )
        close = self.resolver.close_names("p." + dotted)
        return InvalidInput(
            f"unknown parameter 'p.{dotted}'" + (f"; closest: {', '.join(close)}" if close else ""),
            where=self.where,
            example=close[0] if close else None,
            details={"closest": close},
        )

    def _unary(self, n: ast.UnaryOp, entity: str) -> Formula:
        operand = self.compile(n.operand, entity)
        if isinstance(n.op, ast.USub):
            return lambda ctx: interval.neg(operand(ctx))
        if isinstance(n.op, ast.Not):
            return lambda ctx: interval.not_(operand(ctx))
        if isinstance(n.op, ast.UAdd):
            return operand
        raise self.fail("unsupported unary operator")

    def _binary(self, n: ast.BinOp, entity: str) -> Formula:
        op = BINARY.get(type(n.op))
        if op is None:
            raise self.fail(f"operator {type(n.op).__name__} is not allowed", "a * 0.3")
        if isinstance(n.op, ast.Mod):
            self.row_local = False  # an uncertain operand gives [0, b] even where its ends agree
        left, right = self.compile(n.left, entity), self.compile(n.right, entity)
        return lambda ctx: op(left(ctx), right(ctx))

    def _compare(self, n: ast.Compare, entity: str) -> Formula:
        terms = self.compile_all([n.left, *n.comparators], entity)
        if any(type(op) not in COMPARE for op in n.ops):
            raise self.fail("only < <= > >= == != comparisons are allowed", "age >= 65")
        checks = [COMPARE[type(op)] for op in n.ops]

        def run(ctx: Context) -> Bounds:
            values = [t(ctx) for t in terms]
            out: Bounds | None = None
            for i, check in enumerate(checks):
                result = check(values[i], values[i + 1])
                out = result if out is None else interval.and_(out, result)
            assert out is not None
            return out

        return run

    def _boolean(self, n: ast.BoolOp, entity: str) -> Formula:
        parts = self.compile_all(n.values, entity)
        combine = interval.and_ if isinstance(n.op, ast.And) else interval.or_

        def run(ctx: Context) -> Bounds:
            out = parts[0](ctx)
            for part in parts[1:]:
                out = combine(out, part(ctx))
            return out

        return run

    def _if_else(self, n: ast.IfExp, entity: str) -> Formula:
        cond, yes, no = self.compile_all([n.test, n.body, n.orelse], entity)
        return lambda ctx: interval.where(cond(ctx), yes(ctx), no(ctx))

    def _call(self, n: ast.Call, entity: str) -> Formula:
        name = n.func.id if isinstance(n.func, ast.Name) else ast.unparse(n.func)
        function = functions.REGISTRY.get(name)
        if function is None or n.keywords:
            close = difflib.get_close_matches(name, FUNCTIONS, n=3)
            raise InvalidInput(
                f"unknown function '{name}'"
                + (f"; closest: {', '.join(close)}" if close else "")
                + f"; allowed: {', '.join(FUNCTIONS)}",
                where=self.where,
                example="max(0, a - b)",
                details={"closest": close},
            )
        low, high = function.min_args, function.max_args
        if not low <= len(n.args) <= high:
            raise self.fail(
                f"{name} takes {low}" + (f" to {high}" if high != low else "") + " arguments"
            )
        self.row_local = self.row_local and function.row_local
        return function.build(self, n.args, entity)


def _static(n: ast.expr) -> bool:
    """Reads no population input: parameters, constants, the month and pure functions only."""
    return all(not isinstance(x, ast.Name) or _static_name(x.id) for x in ast.walk(n))


def _static_name(name: str) -> bool:
    if name in ("p", "True", "False", "period_year", "period_month"):
        return True
    function = functions.REGISTRY.get(name)
    return function is not None and function.static
