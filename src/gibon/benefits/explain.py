"""Korean explanations: each step's label, value(s) and legal reference, for one household."""

from __future__ import annotations

from typing import Any

import numpy as np

from gibon.benefits.engine.rules import COUNTED
from gibon.benefits.engine.simulation import Simulation


def household_result(sim: Simulation, h: int, programs: list[Any], explain: bool) -> dict[str, Any]:
    from gibon.benefits.service import outcome

    members = np.flatnonzero(sim.pop.person_household == h)
    out = []
    total = 0
    for prog in programs:
        elig, amount, unk = outcome(sim, prog)
        item: dict[str, Any] = {
            "id": prog.id,
            "name_ko": prog.name_ko,
            "eligible": bool(elig[h]),
            "amount": int(amount[h]),
            "kind": prog.kind,
            "determined": not bool(unk[h]),
            "explanation": [],
            "references": list(prog.references),
        }
        if explain:
            item["explanation"] = steps(sim, prog, h, members, bool(unk[h]))
        if prog.kind in COUNTED:
            total += int(amount[h])
        out.append(item)
    return {"month": sim.month.isoformat()[:7], "programs": out, "total": total}


def steps(
    sim: Simulation, prog: Any, h: int, members: np.ndarray, undetermined: bool
) -> list[dict[str, Any]]:
    rows = [step(sim, name, h, members) for name in prog.explain]
    rows.append(step(sim, prog.eligible, h, members))
    rows.append(step(sim, prog.amount, h, members))
    if prog.note:
        rows.append({"label": "참고", "value": prog.note, "reference": ""})
    if undetermined:
        rows.append(pending(sim, prog))
    return rows


def step(sim: Simulation, name: str, h: int, members: np.ndarray) -> dict[str, Any]:
    var = sim.system.variables[name]
    value, up = sim.bounds(name)
    unk = None if up is None else value != up
    row: dict[str, Any] = {"variable": name, "label": var.label, "reference": var.reference}
    if var.entity == "household":
        row["value"] = _plain(value[h])
        if unk is not None and unk[h]:
            row["determined"] = False
            row["range"] = [_plain(value[h]), _plain(up[h])]  # type: ignore[index]
        return row
    idx = members if var.entity == "person" else np.unique(sim.pop.person_couple[members])
    ids = (
        sim.pop.person_ids[members]
        if var.entity == "person"
        else [
            "+".join(
                str(x) for x in sim.pop.person_ids[members][sim.pop.person_couple[members] == c]
            )
            for c in idx
        ]
    )
    row["value"] = {str(i): _plain(value[j]) for i, j in zip(ids, idx, strict=True)}
    if unk is not None and unk[idx].any():
        row["determined"] = False
    return row


def pending(sim: Simulation, prog: Any) -> dict[str, Any]:
    _, used = sim.system.dependencies(prog.amount)
    eligible_deps = sim.system.dependencies(prog.eligible)[1]
    names = sorted(n for n in used | eligible_deps if not sim.values[n].usable)
    return {
        "label": "판단 보류: 미확정 값 또는 자료 없음",
        "value": names,
        "reference": "미확정 값은 결정에 쓰지 않습니다 (docs/benefits.md)",
    }


def _plain(v: Any) -> Any:
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v
