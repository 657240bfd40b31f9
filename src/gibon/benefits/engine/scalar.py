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

from gibon.benefits.engine import interval
from gibon.benefits.engine.inputs import One
from gibon.benefits.engine.system import System

Pair = tuple[Any, Any]
LIMIT = 2**63


class Unsupported(Exception):
    """The formula uses something only the vectorised engine reproduces exactly."""


@dataclass(frozen=True)
class Plan:
    """The compiled function of one system and month, and what it returns."""

    run: Callable[..., dict[str, Any]]
    entity: dict[str, str]  # variable -> entity
    ranged: frozenset[str]  # variables stored as (low, high) pairs
    source: str


# ---------------------------------------------------------------- scalar twins of ``interval``


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


def _cp(p: Pair, cast: Callable[[Any], Any]) -> Pair:
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


def _add(a: Pair, b: Pair) -> Pair:
    return a[0] + b[0], a[1] + b[1]


def _sub(a: Pair, b: Pair) -> Pair:
    return a[0] - b[1], a[1] - b[0]


def _corners(op: Callable[[Any, Any], Any], a: Pair, b: Pair) -> Pair:
    c = [op(a[0], b[0]), op(a[0], b[1]), op(a[1], b[0]), op(a[1], b[1])]
    if any(type(x) is int and not -LIMIT <= x < LIMIT for x in c):
        raise OverflowError("int64")  # numpy would wrap: let numpy answer
    return min(min(c[0], c[1]), min(c[2], c[3])), max(max(c[0], c[1]), max(c[2], c[3]))


def _by_known(op: Callable[[Any, Any], Any], a: Pair, b: Any) -> Pair:
    """``a op b`` with ``b`` a known number (numpy keeps or swaps the ends)."""
    x, y = op(a[0], b), op(a[1], b)
    return (x, y) if b >= 0 else (y, x)


def _mul(a: Any, b: Any) -> Any:
    return a * b


def _div(a: Any, b: Any) -> Any:
    return a / b


def _fdiv(a: Any, b: Any) -> Any:
    return a // b


def _neg(a: Pair) -> Pair:
    return -a[1], -a[0]


def _min(a: Pair, b: Pair) -> Pair:
    return min(a[0], b[0]), min(a[1], b[1])


def _max(a: Pair, b: Pair) -> Pair:
    return max(a[0], b[0]), max(a[1], b[1])


def _lt(a: Pair, b: Pair) -> Pair:
    return a[1] < b[0], a[0] < b[1]


def _le(a: Pair, b: Pair) -> Pair:
    return a[1] <= b[0], a[0] <= b[1]


def _eq(a: Pair, b: Pair) -> Pair:
    sure = a[0] == a[1] and b[0] == b[1] and a[0] == b[0]
    return sure, a[0] <= b[1] and b[0] <= a[1]


def _ne(a: Pair, b: Pair) -> Pair:
    sure, maybe = _eq(a, b)
    return not maybe, not sure


def _not(a: Pair) -> Pair:
    return not a[1], not a[0]


def _and(a: Pair, b: Pair) -> Pair:
    return bool(a[0]) and bool(b[0]), bool(a[1]) and bool(b[1])


def _or(a: Pair, b: Pair) -> Pair:
    return bool(a[0]) or bool(b[0]), bool(a[1]) or bool(b[1])


def _where(c: Pair, a: Pair, b: Pair) -> Pair:
    sure, maybe = bool(c[0]), bool(c[1])
    if sure:
        return a
    if not maybe:
        return b
    return min(a[0], b[0]), max(a[1], b[1])


def _where_known(c: Any, a: Pair, b: Pair) -> Pair:
    return a if c else b


def _widen(c: Pair, a: Pair, low: Any, high: Any) -> Pair:
    if not c[1]:
        return a
    return min(a[0], low), max(a[1], high)


def _abs(a: Pair) -> Pair:
    lo, hi = a
    low = 0 if lo <= 0 and hi >= 0 else min(abs(lo), abs(hi))
    return low, max(abs(lo), abs(hi))


def _mono(op: Callable[[Any], Any], a: Pair) -> Pair:
    return op(a[0]), op(a[1])


def _sum2(xs: list[Pair]) -> Pair:
    return sum([x[0] for x in xs]), sum([x[1] for x in xs])


def _count2(xs: list[Pair]) -> Pair:
    return sum([1 for x in xs if x[0]]), sum([1 for x in xs if x[1]])


def _any2(xs: list[Pair]) -> Pair:
    return any([x[0] for x in xs]), any([x[1] for x in xs])


def _all2(xs: list[Pair]) -> Pair:
    return all([x[0] for x in xs]), all([x[1] for x in xs])


def _max2(xs: list[Pair]) -> Pair:
    return max([x[0] for x in xs]), max([x[1] for x in xs])


def _min2(xs: list[Pair]) -> Pair:
    return min([x[0] for x in xs]), min([x[1] for x in xs])


HELPERS: dict[str, Any] = {
    name: value for name, value in globals().items() if name.startswith("_") and callable(value)
}
HELPERS["math"] = math


# ---------------------------------------------------------------- the compiler


@dataclass
class Node:
    code: str
    ranged: bool  # a (low, high) pair, else a plain value
    boolean: bool  # numpy would hold it as bool
    static: bool  # reads no population input
    integer: bool = False  # a Python int (not a bool, not a float) whatever the inputs


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
            return Node(code, True, n.boolean, True, integer)
        return Node(self.literal(value), False, n.boolean, True, type(value) is int)

    # expressions -------------------------------------------------------------------------
    def compile(self, n: ast.expr, entity: str, idx: str) -> Node:
        method = getattr(self, "_" + type(n).__name__.lower(), None)
        if method is None:
            raise Unsupported(type(n).__name__)
        out: Node = method(n, entity, idx)
        if out.static and not isinstance(n, ast.Constant | ast.Name | ast.Attribute):
            out = self.constant(out)
        return out

    def _constant(self, n: ast.Constant, entity: str, idx: str) -> Node:
        if not isinstance(n.value, bool | int | float):
            raise Unsupported("constant")
        v = n.value
        return Node(self.literal(v), False, isinstance(v, bool), True, type(v) is int)

    def _name(self, n: ast.Name, entity: str, idx: str) -> Node:
        if n.id in ("True", "False"):
            return Node(n.id, False, True, True)
        if n.id in ("period_year", "period_month"):
            return Node(repr(getattr(self.month, n.id.split("_")[1])), False, False, True, True)
        var = self.system.variables[n.id]
        source = var.entity
        ref = f"v_{n.id}"
        if source == "person" or (source == "couple" and entity == "couple"):
            ref += f"[{idx}]"
        elif source == "couple":  # read in a person rule
            ref += f"[CP[{idx}]]"
        return Node(ref, n.id in self.ranged, var.type == "bool", False, var.type == "int")

    def _attribute(self, n: ast.Attribute, entity: str, idx: str) -> Node:
        parts: list[str] = []
        node: ast.expr = n
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        lo, hi = self.params[".".join(reversed(parts))]
        if hi is None:
            return Node(self.literal(lo), False, False, True, type(lo) is int)
        integer = type(lo) is int and type(hi) is int
        return Node(f"({self.literal(lo)}, {self.literal(hi)})", True, False, True, integer)

    def _unaryop(self, n: ast.UnaryOp, entity: str, idx: str) -> Node:
        a = self.compile(n.operand, entity, idx)
        if isinstance(n.op, ast.UAdd):
            return a
        if isinstance(n.op, ast.Not):
            code = f"_not({a.code})" if a.ranged else f"(not {a.code})"
            return Node(code, a.ranged, True, a.static)
        if isinstance(n.op, ast.USub) and not a.boolean:
            code = f"_neg({a.code})" if a.ranged else f"(-{a.code})"
            return Node(code, a.ranged, False, a.static, a.integer)
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
            return Node(f"({a.code} {op} {b.code})", False, False, static, integer)
        if isinstance(n.op, ast.Add):
            return Node(f"_add({self.pair(a)}, {self.pair(b)})", True, False, static, integer)
        if isinstance(n.op, ast.Sub):
            return Node(f"_sub({self.pair(a)}, {self.pair(b)})", True, False, static, integer)
        fn = PAIR_BINARY[type(n.op)]
        if not b.ranged and b.static and not isinstance(n.op, ast.FloorDiv):
            return Node(f"_by_known({fn}, {a.code}, {b.code})", True, False, static, integer)
        if not a.ranged and a.static and isinstance(n.op, ast.Mult):
            return Node(f"_by_known({fn}, {b.code}, {a.code})", True, False, static, integer)
        code = f"_corners({fn}, {self.pair(a)}, {self.pair(b)})"
        return Node(code, True, False, static, integer)

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
            return Node(f"({a.code} {sym} {b.code})", False, True, static)
        pa, pb = self.pair(a), self.pair(b)
        code = {
            ast.Lt: f"_lt({pa}, {pb})",
            ast.LtE: f"_le({pa}, {pb})",
            ast.Gt: f"_lt({pb}, {pa})",
            ast.GtE: f"_le({pb}, {pa})",
            ast.Eq: f"_eq({pa}, {pb})",
            ast.NotEq: f"_ne({pa}, {pb})",
        }[type(op)]
        return Node(code, True, True, static)

    def fold(self, pair_fn: str, word: str, parts: list[Node]) -> Node:
        out = parts[0]
        if len(parts) > 1 and not out.ranged and not out.boolean:
            out = Node(f"bool({out.code})", False, True, out.static)
        for b in parts[1:]:
            static = out.static and b.static
            if out.ranged or b.ranged:
                out = Node(f"{pair_fn}({self.pair(out)}, {self.pair(b)})", True, True, static)
            else:
                right = b.code if b.boolean else f"bool({b.code})"
                out = Node(f"({out.code} {word} {right})", False, True, static)
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
            return Node(code, False, boolean, static, integer)
        fn = "_where" if c.ranged else "_where_known"
        code = f"{fn}({c.code}, {self.pair(a)}, {self.pair(b)})"
        return Node(code, True, boolean, static, integer)

    def _call(self, n: ast.Call, entity: str, idx: str) -> Node:
        name = n.func.id if isinstance(n.func, ast.Name) else ""
        if name in ("min", "max"):
            parts = [self.compile(a, entity, idx) for a in n.args]
            out = parts[0]
            for b in parts[1:]:
                static = out.static and b.static
                boolean = out.boolean and b.boolean
                integer = out.integer and b.integer
                if out.ranged or b.ranged:
                    code = f"_{name}({self.pair(out)}, {self.pair(b)})"
                    out = Node(code, True, boolean, static, integer)
                else:
                    code = f"{name}({out.code}, {b.code})"
                    out = Node(code, False, boolean, static, integer)
            return out
        if name == "where":
            return self.where(*(self.compile(a, entity, idx) for a in n.args))
        if name in ("floor", "ceil", "round"):
            (a,) = [self.compile(x, entity, idx) for x in n.args]
            fn = f"_{name}"
            if a.ranged:
                return Node(f"_mono({fn}, {a.code})", True, False, a.static, True)
            return Node(f"{fn}({a.code})", False, False, a.static, True)
        if name in ("floor_to", "ceil_to"):
            a, step = (self.compile(x, entity, idx) for x in n.args)
            if step.ranged:
                raise Unsupported("step")
            if a.ranged:
                code = f"_mono(lambda x: _{name}(x, {step.code}), {a.code})"
                return Node(code, True, False, a.static and step.static, True)
            code = f"_{name}({a.code}, {step.code})"
            return Node(code, False, False, a.static and step.static, True)
        if name == "abs":
            (a,) = [self.compile(x, entity, idx) for x in n.args]
            if a.boolean:
                raise Unsupported("abs")
            code = f"_abs({a.code})" if a.ranged else f"abs({a.code})"
            return Node(code, a.ranged, False, a.static, a.integer)
        if name == "choose":
            return self.choose(n, entity, idx)
        if name == "by_size":
            return self.by_size(n, entity, idx)
        if name == "undetermined_if":
            c, v = (self.compile(x, entity, idx) for x in n.args)
            low, high = ("False", "True") if v.boolean else (-interval.BIG, interval.BIG)
            code = f"_widen({self.pair(c)}, {self.pair(v)}, {low}, {high})"
            return Node(code, True, v.boolean, c.static and v.static, v.integer)
        if name == "between":
            a, b = (self.compile(x, entity, idx) for x in n.args)
            if a.boolean or b.boolean:
                raise Unsupported("between")
            low = f"{a.code}[0]" if a.ranged else a.code
            high = f"{b.code}[1]" if b.ranged else b.code
            code = f"({low}, {high})"
            return Node(code, True, False, a.static and b.static, a.integer and b.integer)
        if name == "rank_in_household":
            return self.rank(n, entity, idx)
        prefix, _, op = name.partition("_")
        if prefix in ("hh", "couple") and op in AGG_PLAIN:
            return self.aggregate("household" if prefix == "hh" else "couple", op, n, entity, idx)
        raise Unsupported(name)

    def choose(self, n: ast.Call, entity: str, idx: str) -> Node:
        key, *options = (self.compile(x, entity, idx) for x in n.args)
        out = Node("0", False, False, True, True)
        for i, option in enumerate(options):
            cond = self.comparison(ast.Eq(), key, Node(str(i), False, False, True, True))
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
            return Node(f"{low}[{k}]", False, False, False, integer)
        high = self.literal(up.tolist())
        code = f"(lambda k: ({low}[k], {high}[k]))({k})"
        return Node(code, True, False, False, integer and up.dtype.kind == "i")

    def rank(self, n: ast.Call, entity: str, idx: str) -> Node:
        self.depth += 1
        j = f"j{self.depth}"
        key, cond = (self.compile(x, "person", j) for x in n.args)
        self.depth -= 1
        if key.ranged or cond.ranged:
            raise Unsupported("rank")
        return Node(
            f"_rank([int({key.code}) for {j} in R], [{cond.code} for {j} in R])[{idx}]",
            False,
            False,
            False,
            True,
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
            x = Node(code, x.ranged, False, x.static, True)
        integer = op == "count" or (op in ("sum", "max", "min") and (x.integer or x.boolean))
        if x.ranged:
            code = f"_{op}2([{x.code} for {j} in {members}])"
            return Node(code, True, boolean, False, integer)
        code = AGG_PLAIN[op].format(x=x.code, j=j, m=members)
        return Node(code, False, boolean, False, integer)

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
