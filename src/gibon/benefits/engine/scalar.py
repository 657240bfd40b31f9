"""One household in plain Python: the rules compiled once per system and month to one function.

The vectorised engine (``simulation``) pays a numpy call per operation, which is most of the
time for a household of three. Here the same formulas become Python source, once per system
and month, with the bounds model of ``interval`` kept element by element:

- a node is *exact* when nothing under it can be a range (no unconfirmed parameter of the
  month, no ``between``/``undetermined_if``, no variable that can be a range): it compiles to
  plain Python (``a + b``, ``x if c else y``, ``min(a, b)``);
- any other node is a ``(low, high)`` pair computed by the scalar twins of ``interval``'s
  functions below, which give for each element what the numpy versions give.

Parameters are written into the source as literals and parameter-only sub-expressions are
computed once, as the vectorised engine's static cache does. Anything this compiler does not
reproduce exactly (``%``, arithmetic on booleans, ``float32``…) makes the plan ``None`` and the
caller uses the vectorised engine; so does any error while running (a division by zero, an
overflow), so both paths always agree. ``tests/benefits/test_scalar.py`` compares them on every
case file and on synthetic households.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gibon.benefits.engine.inputs import One
from gibon.benefits.engine.scalar_calls import CALLS, Node, Unsupported
from gibon.benefits.engine.scalar_twins import HELPERS
from gibon.benefits.engine.system import System

__all__ = ["Node", "Plan", "Unsupported", "compile_plan", "plan", "run"]


@dataclass(frozen=True)
class Plan:
    """The compiled function of one system and month, and what it returns."""

    run: Callable[..., dict[str, Any]]
    entity: dict[str, str]  # variable -> entity
    ranged: frozenset[str]  # variables stored as (low, high) pairs
    source: str


# ---------------------------------------------------------------- the compiler

BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//"}
PAIR_BINARY = {ast.Div: "_div", ast.FloorDiv: "_fdiv", ast.Mult: "_mul"}
COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
AGG_PLAIN = {
    "sum": "sum([{x} for {j} in {m}])",
    "count": "sum([1 for {j} in {m} if {x}])",
    "any": "any([{x} for {j} in {m}])",
    "all": "all([{x} for {j} in {m}])",
    "max": "max([{x} for {j} in {m}])",
    "min": "min([{x} for {j} in {m}])",
}
CASTS = {"int": "_ci", "bool": "bool", "float": "float"}


class Compiler:
    def __init__(self, system: System, month: dt.date) -> None:
        self.system = system
        self.month = month
        self.params = system.parameter_bounds(month)
        self.ranged: set[str] = set()
        self.consts: list[Any] = []
        self.depth = 0

    # literals ----------------------------------------------------------------------------
    def literal(self, value: Any) -> str:
        if isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
            return repr(value)
        self.consts.append(value)
        return f"K[{len(self.consts) - 1}]"

    def pair(self, n: Node) -> str:
        return n.code if n.ranged else f"(({n.code},)*2)"

    def constant(self, n: Node) -> Node:
        """Compute a parameter-only node now, once for the month."""
        if not n.static:
            return n
        value = eval(
            n.code, {**HELPERS, "K": self.consts}
        )  # our own source: numbers, names checked
        if n.ranged:
            integer = type(value[0]) is int and type(value[1]) is int
            code = f"({self.literal(value[0])}, {self.literal(value[1])})"
            return Node(code=code, ranged=True, boolean=n.boolean, static=True, integer=integer)
        return Node(
            code=self.literal(value),
            ranged=False,
            boolean=n.boolean,
            static=True,
            integer=type(value) is int,
        )

    # expressions -------------------------------------------------------------------------
    def compile(self, n: ast.expr, entity: str, idx: str) -> Node:
        build = SYNTAX.get(type(n))
        if build is None:
            raise Unsupported(type(n).__name__)
        out: Node = build(self, n, entity, idx)
        if out.static and not isinstance(n, ast.Constant | ast.Name | ast.Attribute):
            out = self.constant(out)
        return out

    def _constant(self, n: ast.Constant, entity: str, idx: str) -> Node:
        if not isinstance(n.value, bool | int | float):
            raise Unsupported("constant")
        v = n.value
        return Node(
            code=self.literal(v),
            ranged=False,
            boolean=isinstance(v, bool),
            static=True,
            integer=type(v) is int,
        )

    def _name(self, n: ast.Name, entity: str, idx: str) -> Node:
        if n.id in ("True", "False"):
            return Node(code=n.id, ranged=False, boolean=True, static=True)
        if n.id in ("period_year", "period_month"):
            return Node(
                code=repr(getattr(self.month, n.id.split("_")[1])),
                ranged=False,
                boolean=False,
                static=True,
                integer=True,
            )
        var = self.system.variables[n.id]
        source = var.entity
        ref = f"v_{n.id}"
        if source == "person" or (source == "couple" and entity == "couple"):
            ref += f"[{idx}]"
        elif source == "couple":  # read in a person rule
            ref += f"[CP[{idx}]]"
        return Node(
            code=ref,
            ranged=n.id in self.ranged,
            boolean=var.type == "bool",
            static=False,
            integer=var.type == "int",
        )

    def _attribute(self, n: ast.Attribute, entity: str, idx: str) -> Node:
        parts: list[str] = []
        node: ast.expr = n
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        lo, hi = self.params[".".join(reversed(parts))]
        if hi is None:
            return Node(
                code=self.literal(lo),
                ranged=False,
                boolean=False,
                static=True,
                integer=type(lo) is int,
            )
        integer = type(lo) is int and type(hi) is int
        return Node(
            code=f"({self.literal(lo)}, {self.literal(hi)})",
            ranged=True,
            boolean=False,
            static=True,
            integer=integer,
        )

    def _unaryop(self, n: ast.UnaryOp, entity: str, idx: str) -> Node:
        a = self.compile(n.operand, entity, idx)
        if isinstance(n.op, ast.UAdd):
            return a
        if isinstance(n.op, ast.Not):
            code = f"_not({a.code})" if a.ranged else f"(not {a.code})"
            return Node(code=code, ranged=a.ranged, boolean=True, static=a.static)
        if isinstance(n.op, ast.USub) and not a.boolean:
            code = f"_neg({a.code})" if a.ranged else f"(-{a.code})"
            return Node(
                code=code, ranged=a.ranged, boolean=False, static=a.static, integer=a.integer
            )
        raise Unsupported("unary")

    def _binop(self, n: ast.BinOp, entity: str, idx: str) -> Node:
        a, b = self.compile(n.left, entity, idx), self.compile(n.right, entity, idx)
        op = BINARY.get(type(n.op))
        if op is None or (a.boolean and b.boolean):
            raise Unsupported("operator")  # % and boolean arithmetic: numpy's own rules
        static = a.static and b.static
        integer = (
            not isinstance(n.op, ast.Div) and (a.integer or a.boolean) and (b.integer or b.boolean)
        )
        if not (a.ranged or b.ranged):
            return Node(
                code=f"({a.code} {op} {b.code})",
                ranged=False,
                boolean=False,
                static=static,
                integer=integer,
            )
        if isinstance(n.op, ast.Add):
            return Node(
                code=f"_add({self.pair(a)}, {self.pair(b)})",
                ranged=True,
                boolean=False,
                static=static,
                integer=integer,
            )
        if isinstance(n.op, ast.Sub):
            return Node(
                code=f"_sub({self.pair(a)}, {self.pair(b)})",
                ranged=True,
                boolean=False,
                static=static,
                integer=integer,
            )
        fn = PAIR_BINARY[type(n.op)]
        if not b.ranged and b.static and not isinstance(n.op, ast.FloorDiv):
            return Node(
                code=f"_by_known({fn}, {a.code}, {b.code})",
                ranged=True,
                boolean=False,
                static=static,
                integer=integer,
            )
        if not a.ranged and a.static and isinstance(n.op, ast.Mult):
            return Node(
                code=f"_by_known({fn}, {b.code}, {a.code})",
                ranged=True,
                boolean=False,
                static=static,
                integer=integer,
            )
        code = f"_corners({fn}, {self.pair(a)}, {self.pair(b)})"
        return Node(code=code, ranged=True, boolean=False, static=static, integer=integer)

    def _compare(self, n: ast.Compare, entity: str, idx: str) -> Node:
        terms = [self.compile(t, entity, idx) for t in [n.left, *n.comparators]]
        parts = []
        for op, a, b in zip(n.ops, terms, terms[1:], strict=False):
            parts.append(self.comparison(op, a, b))
        return self.fold("_and", "and", parts)

    def comparison(self, op: ast.cmpop, a: Node, b: Node) -> Node:
        static = a.static and b.static
        sym = COMPARE.get(type(op))
        if sym is None:
            raise Unsupported("comparison")
        if not (a.ranged or b.ranged):
            return Node(
                code=f"({a.code} {sym} {b.code})", ranged=False, boolean=True, static=static
            )
        pa, pb = self.pair(a), self.pair(b)
        code = {
            ast.Lt: f"_lt({pa}, {pb})",
            ast.LtE: f"_le({pa}, {pb})",
            ast.Gt: f"_lt({pb}, {pa})",
            ast.GtE: f"_le({pb}, {pa})",
            ast.Eq: f"_eq({pa}, {pb})",
            ast.NotEq: f"_ne({pa}, {pb})",
        }[type(op)]
        return Node(code=code, ranged=True, boolean=True, static=static)

    def fold(self, pair_fn: str, word: str, parts: list[Node]) -> Node:
        out = parts[0]
        if len(parts) > 1 and not out.ranged and not out.boolean:
            out = Node(code=f"bool({out.code})", ranged=False, boolean=True, static=out.static)
        for b in parts[1:]:
            static = out.static and b.static
            if out.ranged or b.ranged:
                out = Node(
                    code=f"{pair_fn}({self.pair(out)}, {self.pair(b)})",
                    ranged=True,
                    boolean=True,
                    static=static,
                )
            else:
                right = b.code if b.boolean else f"bool({b.code})"
                out = Node(
                    code=f"({out.code} {word} {right})", ranged=False, boolean=True, static=static
                )
        return out

    def _boolop(self, n: ast.BoolOp, entity: str, idx: str) -> Node:
        parts = [self.compile(v, entity, idx) for v in n.values]
        if isinstance(n.op, ast.And):
            return self.fold("_and", "and", parts)
        return self.fold("_or", "or", parts)

    def _ifexp(self, n: ast.IfExp, entity: str, idx: str) -> Node:
        return self.where(*(self.compile(x, entity, idx) for x in (n.test, n.body, n.orelse)))

    def where(self, c: Node, a: Node, b: Node) -> Node:
        static = c.static and a.static and b.static
        boolean = a.boolean and b.boolean
        integer = a.integer and b.integer
        if not (c.ranged or a.ranged or b.ranged):
            code = f"({a.code} if {c.code} else {b.code})"
            return Node(code=code, ranged=False, boolean=boolean, static=static, integer=integer)
        fn = "_where" if c.ranged else "_where_known"
        code = f"{fn}({c.code}, {self.pair(a)}, {self.pair(b)})"
        return Node(code=code, ranged=True, boolean=boolean, static=static, integer=integer)

    def _call(self, n: ast.Call, entity: str, idx: str) -> Node:
        name = n.func.id if isinstance(n.func, ast.Name) else ""
        build = CALLS.get(name)
        if build is None:
            raise Unsupported(name)
        return build(self, n, entity, idx)

    def choose(self, n: ast.Call, entity: str, idx: str) -> Node:
        key, *options = (self.compile(x, entity, idx) for x in n.args)
        out = Node(code="0", ranged=False, boolean=False, static=True, integer=True)
        for i, option in enumerate(options):
            cond = self.comparison(
                ast.Eq(),
                key,
                Node(code=str(i), ranged=False, boolean=False, static=True, integer=True),
            )
            out = self.where(cond, option, out)
        out.boolean = False
        return out

    def by_size(self, n: ast.Call, entity: str, idx: str) -> Node:
        from gibon.benefits.engine.simulation import size_table

        assert isinstance(n.args[0], ast.Attribute)
        parts: list[str] = []
        node: ast.expr = n.args[0]
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        lo, up = size_table(self.system, self.month, ".".join(reversed(parts)))
        size = self.compile(n.args[1], entity, idx)
        if size.ranged:
            raise Unsupported("by_size")
        k = f"min(max(int({size.code}), 0), {len(lo) - 1})"
        low = self.literal(lo.tolist())
        integer = lo.dtype.kind == "i"
        if up is None:
            return Node(
                code=f"{low}[{k}]", ranged=False, boolean=False, static=False, integer=integer
            )
        high = self.literal(up.tolist())
        code = f"(lambda k: ({low}[k], {high}[k]))({k})"
        return Node(
            code=code,
            ranged=True,
            boolean=False,
            static=False,
            integer=integer and up.dtype.kind == "i",
        )

    def rank(self, n: ast.Call, entity: str, idx: str) -> Node:
        self.depth += 1
        j = f"j{self.depth}"
        key, cond = (self.compile(x, "person", j) for x in n.args)
        self.depth -= 1
        if key.ranged or cond.ranged:
            raise Unsupported("rank")
        return Node(
            code=f"_rank([int({key.code}) for {j} in R], [{cond.code} for {j} in R])[{idx}]",
            ranged=False,
            boolean=False,
            static=False,
            integer=True,
        )

    def aggregate(self, group: str, op: str, n: ast.Call, entity: str, idx: str) -> Node:
        self.depth += 1
        j = f"j{self.depth}"
        x = self.compile(n.args[0], "person", j)
        self.depth -= 1
        if group == "household":
            members = "R"
        elif entity == "couple":
            members = f"CM[{idx}]"
        else:
            members = f"CM[CP[{idx}]]"
        boolean = op in ("any", "all")
        if x.boolean and op in ("max", "min"):  # numpy takes the extremes of booleans as int64
            code = f"_mono(int, {x.code})" if x.ranged else f"int({x.code})"
            x = Node(code=code, ranged=x.ranged, boolean=False, static=x.static, integer=True)
        integer = op == "count" or (op in ("sum", "max", "min") and (x.integer or x.boolean))
        if x.ranged:
            code = f"_{op}2([{x.code} for {j} in {members}])"
            return Node(code=code, ranged=True, boolean=boolean, static=False, integer=integer)
        code = AGG_PLAIN[op].format(x=x.code, j=j, m=members)
        return Node(code=code, ranged=False, boolean=boolean, static=False, integer=integer)

    # variables ---------------------------------------------------------------------------
    def variable(self, name: str) -> str:
        var = self.system.variables[name]
        cast = CASTS.get(var.type)
        if cast is None:
            raise Unsupported(var.type)
        assert var.formula is not None
        idx = {"person": "i", "couple": "c", "household": "0"}[var.entity]
        tree = ast.parse(" ".join(var.formula.split()), mode="eval")
        out = self.compile(tree.body, var.entity, idx)
        if out.ranged:
            self.ranged.add(name)
        if (var.type == "int" and out.integer) or (var.type == "bool" and out.boolean):
            value = out.code  # already what the cast would give
        elif out.ranged:
            value = f"_cp({out.code}, {cast})"
        else:
            value = f"{cast}({out.code})"
        if var.entity == "person":
            value = f"[{value} for i in R]"
        elif var.entity == "couple":
            value = f"[{value} for c in RC]"
        return f"    v_{name} = {value}"


SYNTAX: dict[type, Callable[[Compiler, Any, str, str], Node]] = {
    ast.Constant: Compiler._constant,
    ast.Name: Compiler._name,
    ast.Attribute: Compiler._attribute,
    ast.UnaryOp: Compiler._unaryop,
    ast.BinOp: Compiler._binop,
    ast.Compare: Compiler._compare,
    ast.BoolOp: Compiler._boolop,
    ast.IfExp: Compiler._ifexp,
    ast.Call: Compiler._call,
}


def needed(system: System) -> list[str]:
    """Every variable the programs' results and explanations read, dependencies first."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        compiled = system.variables[name].compiled
        for dep in sorted(compiled.variables) if compiled else []:
            visit(dep)
        order.append(name)

    for prog in system.programs:
        for name in (*prog.explain, prog.eligible, prog.amount):
            visit(name)
    return order


def compile_plan(system: System, month: dt.date) -> Plan | None:
    """The month's plan, or None when only the vectorised engine reproduces these rules."""
    compiler = Compiler(system, month)
    names = needed(system)
    lines = ["def run(I, R, CP, CM, RC):"]
    try:
        for name in names:
            var = system.variables[name]
            if var.compiled is None:
                lines.append(f"    v_{name} = I[{name!r}]")
            else:
                lines.append(compiler.variable(name))
    except Unsupported:
        return None
    lines.append("    return {" + ", ".join(f"{n!r}: v_{n}" for n in names) + "}")
    source = "\n".join(lines) + "\n"
    namespace: dict[str, Any] = {**HELPERS, "K": compiler.consts}
    exec(compile(source, f"<gibon rules {month.isoformat()[:7]}>", "exec"), namespace)
    return Plan(
        namespace["run"],
        {n: system.variables[n].entity for n in names},
        frozenset(compiler.ranged),
        source,
    )


def plan(system: System, month: dt.date) -> Plan | None:
    """The cached plan of ``system`` for ``month`` (compiled on first use)."""
    cache: dict[dt.date, Plan | None] = system.__dict__.setdefault("_scalar_plans", {})
    if month not in cache:
        cache[month] = compile_plan(system, month)
    return cache[month]


def run(plan: Plan, one: One) -> dict[str, Any]:
    """Every variable of the plan for one household (raises what Python raises where numpy
    would go on, such as a division by zero: the caller then uses the vectorised engine)."""
    cp = one.couple
    cm: list[list[int]] = [[] for _ in range(one.n_couple)]
    for i, c in enumerate(cp):
        cm[c].append(i)
    return plan.run(one.values, range(len(cp)), cp, cm, range(one.n_couple))
