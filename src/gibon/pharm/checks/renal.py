"""Kidney-function rules: each names its measure (eGFR CKD-EPI 2021 or CrCl Cockcroft-Gault)."""

from __future__ import annotations

from typing import Any

from gibon.pharm.checks._common import evidence, finding, names_ko
from gibon.pharm.checks.rules import MODIFIED_RELEASE
from gibon.pharm.context import Context
from gibon.pharm.findings import Finding
from gibon.pharm.knowledge import KnowledgeBase

MEASURE_KO = {"egfr": "eGFR(CKD-EPI 2021)", "crcl": "CrCl(Cockcroft-Gault)"}


def _value(ctx: Context, measure: str) -> float | None:
    return ctx.egfr if measure == "egfr" else ctx.crcl


def check(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    missing: dict[str, set[str]] = {}
    for rule, members in ctx.kb.derived(_rule_members):
        ings = members & ctx.taken
        if not ings:
            continue
        value = _value(ctx, rule["measure"])
        if value is None:
            missing.setdefault(rule["measure"], set()).update(ings)
            continue
        f = _apply(ctx, rule, ings, value)
        if f is not None:
            out.append(f)
    for measure, needing in sorted(missing.items()):
        _not_assessable(ctx, measure, needing)
    return out


def _rule_members(kb: KnowledgeBase) -> list[tuple[dict[str, Any], frozenset[str]]]:
    """Each renal rule with every ingredient its classes and drugs name."""
    return [
        (rule, kb.members({"classes": rule.get("classes", []), "drugs": rule.get("drugs", [])}))
        for rule in kb.criteria["renal"]["rules"]
    ]


def in_range(rule: dict[str, Any], value: float) -> bool:
    """below / at_most / at_least / above: the kidney-function band in which the rule applies."""
    return not (
        ("below" in rule and value >= rule["below"])
        or ("at_most" in rule and value > rule["at_most"])
        or ("at_least" in rule and value < rule["at_least"])
        or ("above" in rule and value <= rule["above"])
    )


def _band(rule: dict[str, Any]) -> str:
    parts = [f"{k} {rule[k]}" for k in ("at_least", "above", "below", "at_most") if k in rule]
    return ", ".join(parts)


def _apply(
    ctx: Context, rule: dict[str, Any], ings: frozenset[str], value: float
) -> Finding | None:
    if not in_range(rule, value):
        return None
    used = []
    for ing in sorted(ings):
        supplies = ctx.by_ingredient[ing]
        limit = rule.get("dose_above")
        if isinstance(limit, dict):  # per ingredient (trimethoprim in co-trimoxazole)
            limit = limit.get(ing)
        if limit is not None:
            supplies = [s for s in supplies if (s.mg_per_day or 0) > limit]
        if rule.get("release") == "modified":
            supplies = [s for s in supplies if MODIFIED_RELEASE.search(f"{s.product} {s.strength}")]
        if rule.get("min_days") and ctx.longest_run(ing) < rule["min_days"]:
            supplies = []
        used.extend(supplies)
    if not used:
        return None
    drugs = {s.ingredient for s in used}
    label = MEASURE_KO[rule["measure"]]
    ev = evidence(
        used,
        [(s.start, s.end) for s in used],
        measure=label,
        value=round(value, 1),
        threshold=_band(rule),
    )
    return finding(
        "renal",
        rule["severity"],
        drugs,
        f"{names_ko(ctx, drugs)}: {label} {value:.0f} — {rule['text']}"[:120],
        rule["source"],
        rule["id"],
        f"[{label}] {rule['text']}",
        rule["action"],
        f"{label} {value:.0f}. {rule['prescriber_note']}",
        ev,
    )


def _not_assessable(ctx: Context, measure: str, ings: set[str] | frozenset[str]) -> None:
    """Listed in the review's not-assessable list (what is missing), never as a finding."""
    need = "혈청 크레아티닌·나이·성별" + (", 체중" if measure == "crcl" else "")
    label = MEASURE_KO[measure]
    ctx.not_assessable.append(
        {
            "category": "renal",
            "criterion": f"renal-not-assessable-{measure}",
            "text": f"{label}에 따라 용량을 조절하거나 피해야 하는 약: {names_ko(ctx, ings)}",
            "drugs": sorted(ings),
            "missing": [need],
            "status": "not assessable",
        }
    )
