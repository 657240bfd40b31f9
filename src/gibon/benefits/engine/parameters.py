"""Dated parameters in the OpenFisca tree format: each value has a date, a status and a source.

A leaf is a mapping with ``values: {DATE: {value, metadata: {status}}}``; a date key is the day
from which the value applies. A value whose status is ``unconfirmed`` (or that is null) never
decides anything: rules that read it mark their result as undetermined.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gibon.errors import InvalidInput

USABLE = frozenset({"confirmed", "single_source", "derived", "policy", "reform"})
UNITS = frozenset({"currency-KRW", "/1", "year", "month", "count"})


@dataclass(frozen=True)
class Value:
    start: dt.date
    value: float | int | None
    status: str
    note: str = ""
    candidates: tuple[float, ...] = ()

    @property
    def usable(self) -> bool:
        return self.value is not None and self.status in USABLE


@dataclass
class Leaf:
    name: str
    description: str
    unit: str
    references: list[str]
    values: list[Value] = field(default_factory=list)

    def at(self, day: dt.date) -> Value:
        """The value in force on ``day``; raises if the parameter did not exist yet."""
        current = None
        for v in self.values:
            if v.start <= day:
                current = v
        if current is None:
            first = self.values[0].start.isoformat() if self.values else "?"
            raise InvalidInput(
                f"parameter {self.name} has no value in force on {day.isoformat()}"
                f" (first value from {first})",
                where=self.name,
                example=f"--month {first[:7]}",
            )
        return current


class ParameterTree:
    """All leaves by dotted name; nodes are the dotted prefixes of leaves."""

    def __init__(self, leaves: dict[str, Leaf]) -> None:
        self.leaves = leaves
        self.nodes: dict[str, list[str]] = {}
        for name in leaves:
            parts = name.split(".")
            for i in range(1, len(parts)):
                self.nodes.setdefault(".".join(parts[:i]), []).append(parts[i])

    def leaf(self, name: str) -> Leaf:
        try:
            return self.leaves[name]
        except KeyError:
            raise unknown_name(name, list(self.leaves), "parameter") from None

    def children(self, name: str) -> list[str]:
        if name not in self.nodes:
            raise unknown_name(name, list(self.nodes), "parameter node")
        return sorted(set(self.nodes[name]))

    def copy(self) -> ParameterTree:
        return ParameterTree(
            {
                k: Leaf(v.name, v.description, v.unit, v.references, list(v.values))
                for k, v in self.leaves.items()
            }
        )


def unknown_name(name: str, valid: list[str], kind: str) -> InvalidInput:
    close = difflib.get_close_matches(name, valid, n=3, cutoff=0.5)
    hint = f"; closest: {', '.join(close)}" if close else ""
    return InvalidInput(
        f"unknown {kind} '{name}'{hint}",
        where=name,
        example=close[0] if close else (valid[0] if valid else None),
        details={"closest": close},
    )


def load(path: Path) -> ParameterTree:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    leaves: dict[str, Leaf] = {}
    _walk(raw, "", {}, leaves, str(path))
    return ParameterTree(leaves)


def _walk(
    node: Any, prefix: str, inherited: dict[str, Any], out: dict[str, Leaf], src: str
) -> None:
    meta = dict(inherited)
    own = node.get("metadata") or {}
    meta.update({k: v for k, v in own.items() if k in ("unit", "reference")})
    description = node.get("description", "")
    if "values" in node:
        out[prefix] = _leaf(prefix, description, meta, node["values"], src)
        return
    for key, child in node.items():
        if key in ("description", "metadata") or not isinstance(child, dict):
            continue
        name = f"{prefix}.{key}" if prefix else str(key)
        child_meta = dict(meta)
        if description and "description" not in child:
            child_meta["parent_description"] = description
        _walk(child, name, child_meta, out, src)


def _leaf(name: str, description: str, meta: dict[str, Any], values: Any, src: str) -> Leaf:
    unit = meta.get("unit", "/1")
    if unit not in UNITS:
        raise InvalidInput(f"unknown unit '{unit}'", where=f"{src}: {name}", example="currency-KRW")
    refs = [r["title"] if isinstance(r, dict) else str(r) for r in meta.get("reference") or []]
    desc = description or meta.get("parent_description", "")
    leaf = Leaf(name, desc, unit, refs)
    for start, v in sorted(values.items(), key=lambda kv: str(kv[0])):
        if isinstance(v, dict):
            m = v.get("metadata") or {}
            leaf.values.append(
                Value(
                    _date(start, name),
                    v.get("value"),
                    m.get("status", "confirmed"),
                    str(m.get("note", "")),
                    tuple(m.get("candidates") or ()),
                )
            )
        else:
            leaf.values.append(Value(_date(start, name), v, "confirmed"))
    return leaf


def _date(raw: Any, where: str) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise InvalidInput(f"bad date '{raw}'", where=where, example="2026-07-01") from None


RANGES = {
    "currency-KRW": (0, 10**12),
    "/1": (0.0, 10.0),
    "year": (0, 150),
    "month": (0, 1200),
    "count": (0, 1000),
}


def bounds(leaf: Leaf, v: Value) -> tuple[float, float]:
    """What an unusable value may be: its candidates' range, else anything its unit allows."""
    if v.candidates:
        return min(v.candidates), max(v.candidates)
    return RANGES[leaf.unit]


def check_unit(leaf: Leaf, value: Any, where: str) -> float | int:
    """Refuse a value that cannot be in the leaf's unit (e.g. 35 for a rate, 0.5 won)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(
            f"value must be a number, got {value!r}", where=where, example=_example(leaf)
        )
    if leaf.unit == "/1" and not 0 <= value <= 10:
        raise InvalidInput(
            f"{leaf.name} is a rate (unit /1): {value} is out of range; 35% is written 0.35",
            where=where,
            example=_example(leaf),
        )
    if leaf.unit in ("currency-KRW", "year", "month", "count"):
        if float(value) != int(value) or value < 0:
            raise InvalidInput(
                f"{leaf.name} is in {leaf.unit}: a whole, non-negative number is needed, got {value}",
                where=where,
                example=_example(leaf),
            )
        return int(value)
    return float(value)


def _example(leaf: Leaf) -> str:
    usable = [v for v in leaf.values if v.usable]
    return (
        f"{leaf.name}: {{{usable[-1].start.isoformat()}: {usable[-1].value}}}"
        if usable
        else leaf.name
    )


def override(tree: ParameterTree, name: str, start: Any, value: Any) -> None:
    """Set ``name`` to ``value`` from ``start`` on (a reform replaces later dated values too)."""
    leaf = tree.leaf(name)
    day = _date(start, f"overrides.{name}")
    if leaf.values and day < leaf.values[0].start:
        raise InvalidInput(
            f"{name} exists only from {leaf.values[0].start.isoformat()}; "
            f"an override cannot start on {day.isoformat()}",
            where=f"overrides.{name}",
            example=leaf.values[0].start.isoformat(),
        )
    checked = check_unit(leaf, value, f"overrides.{name}")
    kept = [v for v in leaf.values if v.start < day]
    kept.append(Value(day, checked, "reform", "reform override"))
    leaf.values = sorted(kept, key=lambda v: v.start)
