"""Evaluate a system's rules over a population for one month (vectorised, memoised)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from gibon.benefits.engine.expressions import any_unk
from gibon.benefits.engine.inputs import Population
from gibon.benefits.engine.system import System
from gibon.errors import InvalidInput

DTYPES = {"int": np.int64, "bool": np.bool_, "float": np.float64}


class Simulation:
    def __init__(self, system: System, population: Population, month: dt.date) -> None:
        self.system = system
        self.pop = population
        self.month = month
        self.values = system.resolved(month)
        self.cache: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
        self._tables: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def calculate(self, name: str) -> tuple[np.ndarray, np.ndarray | None]:
        """Values of ``name`` at its own entity, and the undetermined mask (or None)."""
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
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                value, unk = var.compiled.fn(self)
            out = (_cast(value, var.type, n), _mask(unk, n))
        self.cache[name] = out
        return out

    # Context protocol
    def var(self, name: str, entity: str) -> tuple[Any, Any]:
        value, unk = self.calculate(name)
        source = self.system.variables[name].entity
        if source == entity:
            return value, unk
        return self.broadcast(source, entity, value), (
            None if unk is None else self.broadcast(source, entity, unk)
        )

    def param(self, name: str) -> tuple[Any, Any]:
        v = self.values[name]
        return (v.value, None) if v.usable else (0, True)

    def by_size(self, node: str, size: Any) -> tuple[Any, Any]:
        table, unk = self._table(node)
        idx = np.clip(np.asarray(size, dtype=np.int64), 0, len(table) - 1)
        u = unk[idx]
        return table[idx], (u if u.any() else None)

    def _table(self, node: str) -> tuple[np.ndarray, np.ndarray]:
        if node in self._tables:
            return self._tables[node]
        keys = {k: self.values[f"{node}.{k}"] for k in self.system.parameters.children(node)}
        sizes = sorted(int(k) for k in keys if k.isdigit())
        top = sizes[-1]
        inc = keys.get("increment_per_person_8plus")
        table = np.zeros(64, dtype=np.float64)
        unk = np.ones(64, dtype=bool)
        for s in sizes:
            v = keys[str(s)]
            table[s], unk[s] = (v.value or 0), not v.usable
        if inc is not None:
            extra = np.arange(64) - top
            table[top + 1 :] = table[top] + extra[top + 1 :] * (inc.value or 0)
            unk[top + 1 :] = unk[top] or not inc.usable
        if all(float(keys[str(s)].value or 0).is_integer() for s in sizes):
            table = table.astype(np.int64)
        self._tables[node] = (table, unk)
        return table, unk

    def aggregate(self, op: str, group: str, value: Any, unk: Any) -> tuple[Any, Any]:
        idx = self.pop.person_household if group == "household" else self.pop.person_couple
        n = self.pop.n[group]
        v = np.broadcast_to(np.asarray(value), idx.shape)
        u = None if unk is None else np.bincount(idx, weights=_mask(unk, len(idx)), minlength=n) > 0
        return _AGG[op](v, idx, n), u

    def broadcast(self, source: str, target: str, value: Any) -> Any:
        arr = np.asarray(value)
        if arr.ndim == 0:
            return arr
        if target == "person":
            idx = self.pop.person_household if source == "household" else self.pop.person_couple
        else:  # household -> couple
            idx = self.pop.couple_household
        return arr[idx]

    def rank_in_household(self, key: Any, cond: Any) -> Any:
        idx = self.pop.person_household
        n = len(idx)
        k = np.broadcast_to(np.asarray(key), (n,))
        c = np.broadcast_to(np.asarray(cond, dtype=bool), (n,))
        order = np.lexsort((np.arange(n), k, ~c, idx))
        hh_sorted = idx[order]
        starts = np.r_[0, np.flatnonzero(np.diff(hh_sorted)) + 1]
        pos = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = pos + 1
        return np.where(c, rank, 0)


def _cast(value: Any, vtype: str, n: int) -> np.ndarray:
    arr = np.asarray(value)
    if vtype == "int" and arr.dtype.kind == "f":
        arr = np.floor(arr)
    return np.broadcast_to(arr.astype(DTYPES[vtype]), (n,))


def _mask(unk: Any, n: int) -> np.ndarray | None:
    if unk is None or unk is False:
        return None
    m = np.broadcast_to(np.asarray(unk, dtype=bool), (n,))
    return m if m.any() else None


def _sum(v: np.ndarray, idx: np.ndarray, n: int) -> np.ndarray:
    out = np.bincount(idx, weights=v.astype(np.float64), minlength=n)
    return out.astype(np.int64) if v.dtype.kind in "iub" else out


def _extreme(ufunc: Any, fill: Any) -> Any:
    def run(v: np.ndarray, idx: np.ndarray, n: int) -> np.ndarray:
        base = v.astype(np.int64) if v.dtype.kind == "b" else v
        out = np.full(n, fill(base.dtype), dtype=base.dtype)
        ufunc.at(out, idx, base)
        return out

    return run


def _count(v: np.ndarray, idx: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(idx, weights=v.astype(bool), minlength=n).astype(np.int64)


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

__all__ = ["Simulation", "any_unk"]
