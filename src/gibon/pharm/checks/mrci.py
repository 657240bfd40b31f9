"""Medication Regimen Complexity Index (George et al. 2004) read from Korean directions."""

from __future__ import annotations

from typing import Any

from gibon.pharm.checks._common import evidence, finding
from gibon.pharm.checks.burden import current
from gibon.pharm.context import Context
from gibon.pharm.findings import Finding
from gibon.pharm.sig import Sig

HIGH = 20  # gibon triage cut-off; MRCI has no universal threshold (documented in docs/pharm.md)


def _frequency(w: dict[str, Any], s: Sig) -> float:
    if s.weekly:
        return float(w["weekly"])
    per_day = s.doses_per_day
    if per_day is None:
        return float(w["prn"]) if s.prn else 0.0
    weight = float(w.get(str(int(per_day)), per_day)) if per_day == int(per_day) else per_day
    return weight / 2 if s.prn else weight


def _directions(w: dict[str, Any], s: Sig) -> float:
    score = 0.0
    score += w["split"] if s.split else 0
    score += w["multiple_units"] if (s.units_per_dose or 1) > 1 else 0
    score += w["specified_time"] if s.slots else 0
    score += w["food"] if s.food else 0
    score += w["as_directed"] if s.as_directed else 0
    score += w["taper"] if s.taper else 0
    return score


def score(ctx: Context) -> tuple[float, dict[str, float]]:
    """Total MRCI of the current regimen and each ingredient's B + C share (A is per form)."""
    total, parts = ctx.memo("mrci", _score)
    return total, dict(parts)


def _score(ctx: Context) -> tuple[float, dict[str, float]]:
    w = ctx.kb.criteria["mrci_ko"]
    latest: dict[tuple[int, str], Sig] = {}
    for ing in current(ctx):
        last = max(ctx.by_ingredient[ing], key=lambda x: x.dispensed)
        latest[(last.row, last.product)] = last.sig
    forms = {sg.form for sg in latest.values()}
    total = sum(float(w["form"].get(f, 1)) for f in forms)
    parts = {}
    for (_, product), sg in latest.items():
        parts[product] = _frequency(w["frequency"], sg) + _directions(w["directions"], sg)
    return round(total + sum(parts.values()), 1), parts


def findings(ctx: Context) -> list[Finding]:
    total, parts = score(ctx)
    if total < HIGH:
        return []
    return [
        finding(
            "mrci",
            "moderate" if total >= 30 else "low",
            [],
            f"복약 복잡도(MRCI) {total}점",
            ctx.kb.criteria["mrci_ko"]["citation"],
            "mrci-20",
            "복약 방법이 복잡할수록(MRCI 점수 높음) 복약 오류와 불순응이 늘어난다.",
            "복용 시간을 하루 2~3번으로 모을 수 있는지 보고 약 달력을 함께 만든다.",
            f"복약 복잡도 {total}점입니다. 복용 횟수 단순화(1일 1회 제형, 복합제)를 검토해 주십시오.",
            evidence([], mrci=total, per_product=parts),
        )
    ]
