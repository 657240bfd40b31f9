"""Korean explanations: each step's label, value(s) and legal reference, household by household."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np

from gibon.benefits.engine.rules import COUNTED
from gibon.benefits.engine.simulation import Simulation
from gibon.benefits.engine.system import System

Lists = tuple[list[Any], list[Any] | None]  # a variable's low values, and high ones if any differ


def results(sim: Simulation, programs: list[Any], explain: bool) -> list[dict[str, Any]]:
    """The issue-3 JSON result of every household in ``sim`` (arrays are read once, not per row)."""
    from gibon.benefits.service import outcome

    n = sim.pop.n["household"]
    month = sim.month.isoformat()[:7]
    cols = []
    with sim.quiet():
        for prog in programs:
            e, a, u = outcome(sim, prog)
            cols.append((prog, e.tolist(), a.tolist(), u.tolist()))
    book = _Book.of(sim) if explain else None
    return assemble(month, cols, book, n)


def assemble(
    month: str, cols: list[tuple[Any, list[Any], list[Any], list[Any]]], book: Any, n: int
) -> list[dict[str, Any]]:
    """Each household's document from the programs' columns (eligible, amount, undetermined)."""
    out = []
    for h in range(n):
        items, total = [], 0
        for prog, e, a, u in cols:
            items.append(
                {
                    "id": prog.id,
                    "name_ko": prog.name_ko,
                    "eligible": e[h],
                    "amount": a[h],
                    "kind": prog.kind,
                    "determined": not u[h],
                    "explanation": book.steps(prog, h, u[h]) if book else [],
                    "references": list(prog.references),
                }
            )
            if prog.kind in COUNTED:
                total += a[h]
        out.append({"month": month, "programs": items, "total": total})
    return out


class _Book:
    """Variable values as Python lists and each household's members, computed once per batch
    (from a vectorised simulation, or from the plain-Python plan of one household)."""

    def __init__(
        self,
        system: System,
        params: dict[str, Any],
        members: list[list[int]],
        ids: list[str],
        couple: list[int],
        bounds: Callable[[str], Lists],
    ) -> None:
        self.system = system
        self.params = params  # the month's resolved parameters (to say which are unconfirmed)
        self.members = members
        self.ids = ids
        self.couple = couple
        self.bounds = bounds
        self.values: dict[str, Lists] = {}
        self._keys_for = -1
        self._keys: dict[str, list[tuple[str, int]]] = {}

    @classmethod
    def of(cls, sim: Simulation) -> _Book:
        hh = sim.pop.person_household
        order = np.argsort(hh, kind="stable")
        cuts = np.searchsorted(hh[order], np.arange(sim.pop.n["household"] + 1))

        def bounds(name: str) -> Lists:
            lo, up = sim.bounds(name)
            return lo.tolist(), None if up is None else up.tolist()

        return cls(
            sim.system,
            sim.values,
            [order[cuts[i] : cuts[i + 1]].tolist() for i in range(len(cuts) - 1)],
            sim.pop.person_id_list(),
            sim.pop.person_couple.tolist(),
            bounds,
        )

    def keys(self, entity: str, h: int) -> list[tuple[str, int]]:
        if self._keys_for != h:
            self._keys_for, self._keys = h, {}
        if entity not in self._keys:
            self._keys[entity] = _keys(self, entity, h)
        return self._keys[entity]

    def value(self, name: str) -> Lists:
        if name not in self.values:
            self.values[name] = self.bounds(name)
        return self.values[name]

    def steps(self, prog: Any, h: int, undetermined: bool) -> list[dict[str, Any]]:
        rows = [self.step(name, h) for name in (*prog.explain, prog.eligible, prog.amount)]
        if prog.note:
            rows.append({"label": "참고", "value": prog.note, "reference": ""})
        if undetermined:
            rows.append(self.waiting(prog, h))
        return rows

    def waiting(self, prog: Any, h: int) -> dict[str, Any]:
        """What household ``h`` waits for: the unconfirmed values and missing inputs that left
        a step of this program with two possible results."""
        items: dict[str, None] = {}
        for name, reasons in self.reasons(prog):
            if self.open_for(name, h):
                for reason in reasons:
                    items[reason] = None
        return {
            "label": "판단 보류: 미확정 값 또는 자료 없음",
            "value": list(items),
            "reference": "미확정 값은 결정에 쓰지 않습니다",
        }

    def reasons(self, prog: Any) -> list[tuple[str, list[str]]]:
        """The rules of ``prog`` that can leave a range, each with what it would wait for (the
        month's unconfirmed parameters it reads, or a missing input): once per system and month."""
        system = self.system
        cache = system.__dict__.setdefault("_waiting_reasons", {})
        key = (prog.eligible, prog.amount, id(self.params))
        if key in cache:
            out: list[tuple[str, list[str]]] = cache[key]
            return out
        names = system.dependencies(prog.amount)[0] | system.dependencies(prog.eligible)[0]
        out = []
        for name in sorted(names):
            var = system.variables[name]
            if var.compiled is None:
                continue
            reasons = []
            for dotted in sorted(var.compiled.parameters):
                for leaf in system.leaves_under(dotted):
                    if not self.params[leaf].usable:
                        desc = system.parameters.leaf(leaf).description or leaf
                        reasons.append(f"미확정 값: {desc} ({leaf})")
            if "between(" in (var.formula or "") or "undetermined_if(" in (var.formula or ""):
                reasons.append(f"자료 없음: {var.label} ({name})")
            if reasons:
                out.append((name, reasons))
        cache[key] = out
        return out

    def open_for(self, name: str, h: int) -> bool:
        lo, up = self.value(name)
        if up is None:
            return False
        entity = self.system.variables[name].entity
        if entity == "household":
            idx = [h]
        elif entity == "person":
            idx = self.members[h]
        else:
            idx = sorted({self.couple[j] for j in self.members[h]})
        return any(lo[j] != up[j] for j in idx)

    def step(self, name: str, h: int) -> dict[str, Any]:
        var = self.system.variables[name]
        lo, up = self.value(name)
        row: dict[str, Any] = {"variable": name, "label": var.label, "reference": var.reference}
        if var.entity == "household":
            row["value"] = lo[h]
            if up is not None and up[h] != lo[h]:
                row["determined"] = False
                row["range"] = [lo[h], up[h]]
            return row
        keys = self.keys(var.entity, h)
        row["value"] = {k: lo[j] for k, j in keys}
        if up is not None and any(up[j] != lo[j] for _, j in keys):
            row["determined"] = False
            row["range"] = {k: [lo[j], up[j]] for k, j in keys}
        return row


def _keys(book: _Book, entity: str, h: int) -> list[tuple[str, int]]:
    """Household ``h``'s members (or 기초연금 units) as (label, index) pairs."""
    if entity == "person":
        return [(book.ids[j], j) for j in book.members[h]]
    groups: dict[int, list[str]] = {}
    for j in book.members[h]:
        groups.setdefault(book.couple[j], []).append(book.ids[j])
    return [("+".join(v), c) for c, v in groups.items()]


def step(sim: Simulation, name: str, h: int) -> dict[str, Any]:
    """One variable's explanation row for household ``h``."""
    return _Book.of(sim).step(name, h)


def results_json(sim: Simulation, programs: list[Any]) -> list[str]:
    """Each household's result without explanations, as JSON text: the batch API's fast path
    (the same document ``results(..., explain=False)`` gives, written without per-row dicts)."""
    from gibon.benefits.service import outcome

    month = sim.month.isoformat()[:7]
    cols = []
    with sim.quiet():
        for p in programs:
            e, a, u = outcome(sim, p)
            head = f'{{"id": {json.dumps(p.id)}, "name_ko": {json.dumps(p.name_ko, ensure_ascii=False)}, '
            tail = (
                f', "kind": {json.dumps(p.kind)}, "explanation": [], '
                f'"references": {json.dumps(p.references, ensure_ascii=False)}}}'
            )
            cols.append((head, tail, e.tolist(), a.tolist(), u.tolist(), p.kind in COUNTED))
    out = []
    for h in range(sim.pop.n["household"]):
        parts, total = [], 0
        for head, tail, e, a, u, counted in cols:
            parts.append(
                f'{head}"eligible": {"true" if e[h] else "false"}, "amount": {a[h]}, '
                f'"determined": {"false" if u[h] else "true"}{tail}'
            )
            if counted:
                total += a[h]
        out.append(f'{{"month": "{month}", "programs": [{", ".join(parts)}], "total": {total}}}')
    return out


def results_plain(
    plan: Any, system: System, month: Any, one: Any, programs: list[Any], explain: bool
) -> list[dict[str, Any]]:
    """One household's document from the plain-Python plan (``engine.scalar``): the same
    document ``results`` gives from a vectorised simulation of that household."""
    from gibon.benefits.engine import scalar

    values = scalar.run(plan, one)
    ranged = plan.ranged

    def bounds(name: str) -> Lists:
        v = values[name]
        vals = [v] if plan.entity[name] == "household" else v
        if name not in ranged:
            return list(vals), None
        lo, up = [x[0] for x in vals], [x[1] for x in vals]
        return lo, None if lo == up else up

    cols = []
    for prog in programs:
        e, a = values[prog.eligible], values[prog.amount]
        unk = False
        if prog.eligible in ranged:
            e, unk = e[0], e[0] != e[1]
        if prog.amount in ranged:
            a, unk = a[0], unk or a[0] != a[1]
        cols.append((prog, [bool(e) and not unk], [0 if unk else a], [unk]))
    book = None
    if explain:
        members = [list(range(len(one.ids)))]
        book = _PlainBook(system, system.resolved(month), members, one.ids, one.couple, bounds)
        book.raw, book.ranged = values, ranged
    return assemble(month.isoformat()[:7], cols, book, 1)


class _PlainBook(_Book):
    """The book of one household computed by the plain-Python plan: each step's row read
    straight from the plan's values (the rows ``_Book.step`` writes, without lists)."""

    raw: dict[str, Any]
    ranged: frozenset[str]

    def step(self, name: str, h: int) -> dict[str, Any]:
        var = self.system.variables[name]
        row: dict[str, Any] = {"variable": name, "label": var.label, "reference": var.reference}
        v = self.raw[name]
        ranged = name in self.ranged
        if var.entity == "household":
            if not ranged:
                row["value"] = v
                return row
            row["value"] = v[0]
            if v[0] != v[1]:
                row["determined"] = False
                row["range"] = [v[0], v[1]]
            return row
        keys = self.keys(var.entity, h)
        if not ranged:
            row["value"] = {k: v[j] for k, j in keys}
            return row
        row["value"] = {k: v[j][0] for k, j in keys}
        if any(v[j][0] != v[j][1] for _, j in keys):
            row["determined"] = False
            row["range"] = {k: [v[j][0], v[j][1]] for k, j in keys}
        return row
