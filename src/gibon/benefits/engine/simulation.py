"""Evaluate a system's rules over a population for one month (vectorised, memoised)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from gibon.benefits.engine import interval
from gibon.benefits.engine import parameters as params
from gibon.benefits.engine.inputs import Population
from gibon.benefits.engine.system import System
from gibon.errors import InvalidInput

DTYPES = {
    "int": np.int64,
    "bool": np.bool_,
    "float": np.float64,
    "int32": np.int32,
    "float32": np.float32,
}

Bounds = interval.Bounds  # (low, high or None when exact)


class Simulation:
    def __init__(self, system: System, population: Population, month: dt.date) -> None:
        self.system = system
        self.pop = population
        self.month = month
        self.values = system.resolved(month)
        self._params = system.parameter_bounds(month)
        self._static = system.static_cache(month)
        self._entity = system.entities
        self._depth = 0
        self.cache: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
        self._spread: dict[tuple[str, str], Bounds] = {}
        self._undetermined: dict[str, np.ndarray | None] = {}

    def calculate(self, name: str) -> tuple[np.ndarray, np.ndarray | None]:
        """Values of ``name`` at its own entity, and the undetermined mask (or None)."""
        lo, up = self.bounds(name)
        if up is None:
            return lo, None
        mask = self._undetermined.get(name)
        if mask is None:  # programs' results ask for the same masks more than once
            mask = self._undetermined[name] = interval.undetermined(lo, up)
        return lo, mask

    def bounds(self, name: str) -> tuple[np.ndarray, np.ndarray | None]:
        """Lower and upper bound of ``name`` (upper is None when every value is exact)."""
        hit = self.cache.get(name)
        if hit is not None:
            return hit
        var = self.system.variables.get(name)
        if var is None:
            raise InvalidInput(
                f"unknown variable '{name}'",
                where=name,
                example=(self.system.close_names(name) or ["age"])[0],
            )
        n = self.pop.n[var.entity]
        if var.compiled is None:
            out: tuple[np.ndarray, np.ndarray | None] = (self.pop.inputs[name], None)
        else:
            if self._depth == 0:  # one errstate for a whole chain of rules
                self._depth += 1
                try:
                    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                        return self.bounds(name)
                finally:
                    self._depth -= 1
            out = self._rule(var, n)
        self.cache[name] = out
        return out

    def _rule(self, var: Any, n: int) -> tuple[np.ndarray, np.ndarray | None]:
        rows = self._uncertain_rows(var, n)
        if rows is not None:
            patched = self._exact_then_rows(var, n, rows)
            if patched is not None:
                return patched
        lo, up = var.compiled.fn(self)
        lo_c = _cast(lo, var.type, n)
        up_c = None if up is None else _cast(up, var.type, n)
        return lo_c, None if up_c is None or not (lo_c != up_c).any() else up_c

    def _uncertain_rows(self, var: Any, n: int) -> np.ndarray | None:
        """The rows a range reaches in a row-local rule with confirmed parameters, when they are
        few enough that the bounds pay to be computed on them alone (else None)."""
        compiled = var.compiled
        if not compiled.row_local or not self._confirmed(compiled.parameters):
            return None
        mask: np.ndarray | None = None
        for name in compiled.variables:
            lo, up = self.var(name, var.entity)
            if up is not None:
                differs = np.not_equal(lo, up)
                mask = differs if mask is None else np.logical_or(mask, differs, out=mask)
        if mask is None:
            return None  # every input exact: the whole-array pass has one bound already
        rows = np.flatnonzero(mask)
        return rows if len(rows) <= ROWS_SHARE * n else None

    def _confirmed(self, parameters: frozenset[str]) -> bool:
        """No parameter the rule reads is a range (a by_size table counts as a parameter)."""
        for dotted in parameters:
            value = self._params.get(dotted)
            up = self._table(dotted)[1] if value is None else value[1]
            if up is not None:
                return False
        return True

    def _exact_then_rows(
        self, var: Any, n: int, rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | None] | None:
        """A row-local rule in two passes: every row from its inputs' low ends (exact wherever
        no range reaches, since both ends agree there), then the bounds of the ``rows`` a range
        reaches, computed on those rows alone. Each row gets the values the whole-array
        bounds give it; None when a range arose in the first pass (then the whole arrays)."""
        fn = var.compiled.fn
        lo, up = fn(_Rows(self, None))
        if up is not None:
            return None
        low = np.array(_cast(lo, var.type, n))  # a copy: the rows a range reaches are rewritten
        lo_r, up_r = fn(_Rows(self, rows))
        low[rows] = _cast(lo_r, var.type, len(rows))
        if up_r is None:
            return low, None
        high = low.copy()
        high[rows] = _cast(up_r, var.type, len(rows))
        return low, high if (low[rows] != high[rows]).any() else None

    # Context protocol
    @contextmanager
    def quiet(self) -> Iterator[None]:
        """One floating-point error state for many calculations (rules clamp their own results)."""
        self._depth += 1
        try:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                yield
        finally:
            self._depth -= 1

    def static(self, key: int, fn: Any) -> Bounds:
        """A parameter-only sub-expression, computed once per system and month."""
        hit: Bounds | None = self._static.get(key)
        if hit is None:
            hit = self._static[key] = fn(self)
        return hit

    def var(self, name: str, entity: str) -> Bounds:
        hit = self.cache.get(name)
        lo, up = hit if hit is not None else self.bounds(name)
        source = self._entity[name]
        if source == entity:
            return lo, up
        key = (name, entity)  # a household value read by persons: gathered once per simulation
        spread = self._spread.get(key)
        if spread is None:
            spread = self._spread[key] = (
                self.broadcast(source, entity, lo),
                None if up is None else self.broadcast(source, entity, up),
            )
        return spread

    def param(self, name: str) -> Bounds:
        value: Bounds = self._params[name]
        return value

    def by_size(self, node: str, size: Any) -> Bounds:
        lo, up = self._table(node)
        idx = np.clip(np.asarray(size, dtype=np.int64), 0, len(lo) - 1)
        if up is None:
            return lo[idx], None
        return lo[idx], up[idx]

    def _table(self, node: str) -> tuple[np.ndarray, np.ndarray | None]:
        return size_table(self.system, self.month, node)

    def aggregate(self, op: str, group: str, value: Bounds) -> Bounds:
        idx = self.pop.person_household if group == "household" else self.pop.person_couple
        n = self.pop.n[group]
        fn = _AGG[op]
        lo = fn(_full(value[0], idx.shape), idx, n)
        if value[1] is None:
            return lo, None
        return lo, fn(_full(value[1], idx.shape), idx, n)

    def broadcast(self, source: str, target: str, value: Any) -> Any:
        arr = np.asarray(value)
        if arr.ndim == 0:
            return arr
        if target == "person":
            idx = self.pop.person_household if source == "household" else self.pop.person_couple
        else:  # household -> couple
            idx = self.pop.couple_household
        return np.take(arr, idx)

    def rank_in_household(self, key: Any, cond: Any) -> Any:
        n = len(self.pop.person_household)
        c = np.broadcast_to(np.asarray(cond, dtype=bool), (n,))
        sel = np.flatnonzero(c)
        rank = np.zeros(n, dtype=np.int64)
        if not len(sel):
            return rank
        idx = self.pop.person_household[sel]
        k = np.broadcast_to(np.asarray(key, dtype=np.int64), (n,))[sel]
        k = k - k.min()
        if k.max() < 2**40 and idx.max() < 2**22:
            order = np.argsort(idx * 2**40 + k, kind="stable")
        else:
            order = np.lexsort((k, idx))
        hh_sorted = idx[order]
        starts = np.r_[0, np.flatnonzero(np.diff(hh_sorted)) + 1]
        pos = np.arange(len(sel)) - np.repeat(starts, np.diff(np.r_[starts, len(sel)]))
        rank[sel[order]] = pos + 1
        return rank


ROWS_SHARE = 0.3  # above this share of rows, the whole-array bounds cost less than the two passes


class _Rows:
    """What a row-local rule reads (see ``Simulation._exact_then_rows``): its inputs on
    ``rows``, or, when ``rows`` is None, on every row at their low ends only."""

    def __init__(self, sim: Simulation, rows: np.ndarray | None) -> None:
        self._sim = sim
        self._rows = rows
        self.month = sim.month

    def var(self, name: str, entity: str) -> Bounds:
        lo, up = self._sim.var(name, entity)
        if self._rows is None:
            return lo, None
        return lo[self._rows], None if up is None else up[self._rows]

    def static(self, key: int, fn: Any) -> Bounds:
        return self._sim.static(key, fn)

    def param(self, name: str) -> Bounds:
        return self._sim.param(name)

    def by_size(self, node: str, size: Any) -> Bounds:
        return self._sim.by_size(node, size)

    # a row-local rule moves no values between entities (the compiler marks those that do)
    def aggregate(self, op: str, group: str, value: Bounds) -> Bounds:
        raise RuntimeError("an aggregate is not row-local")

    def broadcast(self, source: str, target: str, value: Any) -> Any:
        raise RuntimeError("a broadcast is not row-local")

    def rank_in_household(self, key: Any, cond: Any) -> Any:
        raise RuntimeError("rank_in_household is not row-local")


def size_table(system: System, month: dt.date, node: str) -> tuple[np.ndarray, np.ndarray | None]:
    """A ``by_size`` table (low and high, high None when exact) by household size 0…63, built
    once per system and month."""
    tables: dict[str, tuple[np.ndarray, np.ndarray | None]] = system.static_cache(month).setdefault(
        -1, {}
    )
    if node in tables:
        return tables[node]
    param = system.parameter_bounds(month)
    names = {k: f"{node}.{k}" for k in system.parameters.children(node)}
    sizes = sorted(int(k) for k in names if k.isdigit())
    lo = np.zeros(64, dtype=np.float64)
    up = np.full(64, float(params.RANGES["currency-KRW"][1]))
    for s in sizes:
        value = param[names[str(s)]]
        lo[s], up[s] = value[0], interval.hi(value)
    top = sizes[-1]
    if "increment_per_person_8plus" in names:
        inc = param[names["increment_per_person_8plus"]]
        extra = np.arange(64)[top + 1 :] - top
        lo[top + 1 :] = lo[top] + extra * inc[0]
        up[top + 1 :] = up[top] + extra * interval.hi(inc)
    else:
        lo[top + 1 :] = 0
    if np.all(lo == np.floor(lo)) and np.all(up == np.floor(up)):
        lo, up = lo.astype(np.int64), up.astype(np.int64)
    out = (lo, None if np.array_equal(lo, up) else up)
    tables[node] = out
    return out


def _full(value: Any, shape: tuple[int, ...]) -> np.ndarray:
    arr = value if type(value) is np.ndarray else np.asarray(value)
    if arr.shape == shape:
        return arr
    return np.full(shape, arr, dtype=arr.dtype) if arr.ndim == 0 else np.broadcast_to(arr, shape)


def _cast(value: Any, vtype: str, n: int) -> np.ndarray:
    arr = value if type(value) is np.ndarray else np.asarray(value)
    if vtype in ("int", "int32") and arr.dtype.kind == "f":
        arr = np.floor(arr)
    if arr.dtype != DTYPES[vtype]:
        arr = arr.astype(DTYPES[vtype])
    if arr.shape == (n,):
        return arr
    return np.full(n, arr, dtype=arr.dtype) if arr.ndim == 0 else np.broadcast_to(arr, (n,))


def _sum(v: np.ndarray, idx: np.ndarray, n: int) -> np.ndarray:
    if v.dtype.kind == "b":
        return _count(v, idx, n)
    if v.dtype.kind in "iu":  # exact in integers, without a float round trip
        total = np.zeros(n, dtype=np.int64)
        np.add.at(total, idx, v)
        return total
    return np.bincount(idx, weights=v.astype(np.float64, copy=False), minlength=n)


def _extreme(ufunc: Any, fill: Any) -> Any:
    def run(v: np.ndarray, idx: np.ndarray, n: int) -> np.ndarray:
        base = v.astype(np.int64) if v.dtype.kind == "b" else v
        out = np.full(n, fill(base.dtype), dtype=base.dtype)
        ufunc.at(out, idx, base)
        return out

    return run


def _count(v: np.ndarray, idx: np.ndarray, n: int) -> np.ndarray:
    """How many members hold ``v``: the indices of those who do, counted (no float weights)."""
    held = v if v.dtype.kind == "b" else v.astype(bool)
    # the rows that hold it by position: gathering them beats a boolean index several times
    return np.bincount(idx[np.flatnonzero(held)], minlength=n).astype(np.int64, copy=False)


def _imin(dt_: Any) -> Any:
    return np.iinfo(dt_).min if dt_.kind in "iu" else -np.inf


def _imax(dt_: Any) -> Any:
    return np.iinfo(dt_).max if dt_.kind in "iu" else np.inf


_AGG = {
    "sum": _sum,
    "count": _count,
    "any": lambda v, idx, n: _count(v, idx, n) > 0,
    "all": lambda v, idx, n: _count(v, idx, n) == np.bincount(idx, minlength=n),
    "max": _extreme(np.maximum, _imin),
    "min": _extreme(np.minimum, _imax),
}

__all__ = ["Simulation"]
