"""Dose checks beyond DUR 용량주의: older-adult maxima, weekly-only drugs, DOAC dose criteria."""

from __future__ import annotations

from typing import Any

from gibon.pharm.checks._common import evidence, finding
from gibon.pharm.context import Context
from gibon.pharm.findings import Finding
from gibon.pharm.timeline import Supply

PGP_INHIBITORS_EDOXABAN = {"dronedarone", "cyclosporine", "erythromycin", "ketoconazole"}


def check(ctx: Context) -> list[Finding]:
    rules = ctx.kb.criteria["dose_rules"]
    out = [f for r in rules["weekly_only"] for f in _weekly_only(ctx, r)]
    if ctx.age is None or ctx.age >= 65:
        out += [f for r in rules["elderly_max"] for f in _elderly_max(ctx, r)]
    out += _doac(ctx, rules["doac"])
    return out


def _elderly_max(ctx: Context, rule: dict[str, Any]) -> list[Finding]:
    over = [
        s for s in ctx.by_ingredient.get(rule["drug"], []) if (s.mg_per_day or 0) > rule["max_mg"]
    ]
    if not over:
        return []
    top = max(s.mg_per_day or 0 for s in over)
    return [
        finding(
            "dose",
            rule["severity"],
            [rule["drug"]],
            f"{ctx.kb.ko(rule['drug'])} 1일 {top:g} mg — 노인 최대 {rule['max_mg']:g} mg 초과",
            rule["source"],
            rule["id"],
            rule["text"],
            "실제 복용량을 확인한다.",
            f"{rule['text']} 현재 1일 {top:g} mg입니다. 감량을 검토해 주십시오.",
            evidence(over, [(s.start, s.end) for s in over], daily_mg=top, max_mg=rule["max_mg"]),
        )
    ]


def _weekly_only(ctx: Context, rule: dict[str, Any]) -> list[Finding]:
    daily = [
        s
        for s in ctx.by_ingredient.get(rule["drug"], [])
        if not s.sig.weekly and s.sig.doses_per_day is not None and not s.sig.prn
    ]
    if not daily:
        return []
    return [
        finding(
            "dose",
            rule["severity"],
            [rule["drug"]],
            f"{ctx.kb.ko(rule['drug'])}가 매일 복용으로 처방됨",
            rule["source"],
            rule["id"],
            rule["text"],
            "즉시 복용 방법을 확인하고 매일 복용 중이면 중단시키고 처방의에게 연락한다.",
            "메토트렉세이트가 매일 복용으로 처방되었습니다. 주 1회 용법인지 즉시 확인해 주십시오.",
            evidence(daily, [(s.start, s.end) for s in daily], sig=[s.sig.text for s in daily]),
        )
    ]


def _doac_criteria(ctx: Context, drug: str) -> tuple[list[str], bool]:
    """Reasons that call for the reduced dose, and whether every needed input was known."""
    p, reasons, known = ctx.patient, [], True
    if drug == "apixaban":
        checks = [  # value, threshold, sign (+1: at least, -1: at most), label
            (ctx.age, 80.0, 1, "80세 이상"),
            (p.weight_kg, 60.0, -1, "체중 60 kg 이하"),
            (p.scr_mg_dl, 1.5, 1, "크레아티닌 1.5 mg/dL 이상"),
        ]
        for value, limit, sign, label in checks:
            known &= value is not None
            if value is not None and sign * (value - limit) >= 0:
                reasons.append(label)
        return (reasons if len(reasons) >= 2 else []), known or len(reasons) >= 2
    if drug in ("rivaroxaban", "edoxaban"):
        if ctx.crcl is not None and 15 <= ctx.crcl <= 50:
            reasons.append(f"CrCl {ctx.crcl:.0f} (15~50)")
        known = ctx.crcl is not None
        if drug == "edoxaban":
            if p.weight_kg is not None and p.weight_kg <= 60:
                reasons.append("체중 60 kg 이하")
            known &= p.weight_kg is not None
            reasons += [
                f"{i} 병용" for i in sorted(PGP_INHIBITORS_EDOXABAN & set(ctx.by_ingredient))
            ]
        return reasons, known or bool(reasons)
    if ctx.age is not None and ctx.age >= 80:
        reasons.append("80세 이상")
    if "verapamil" in ctx.by_ingredient:
        reasons.append("베라파밀 병용")
    return reasons, ctx.age is not None or bool(reasons)


def _doac(ctx: Context, spec: dict[str, Any]) -> list[Finding]:
    out = []
    af_only = bool(ctx.has(["I48"])) and not ctx.has(["I26", "I80", "I81", "I82"])
    for drug in ("apixaban", "rivaroxaban", "edoxaban", "dabigatran"):
        supplies = [s for s in ctx.by_ingredient.get(drug, []) if s.mg_per_day]
        if not supplies:
            continue
        reasons, known = _doac_criteria(ctx, drug)
        full = [s for s in supplies if (s.mg_per_day or 0) >= spec[drug]["full"]]
        low = [s for s in supplies if (s.mg_per_day or 0) <= spec[drug]["reduced"]]
        if full and reasons:
            out.append(
                _doac_finding(
                    ctx,
                    drug,
                    spec,
                    full,
                    "high",
                    f"감량 기준({', '.join(reasons)})에 해당하나 표준용량",
                    reasons,
                )
            )
        elif low and not reasons and known and af_only and drug != "dabigatran":
            out.append(
                _doac_finding(
                    ctx,
                    drug,
                    spec,
                    low,
                    "moderate",
                    "감량 기준에 해당하지 않으나 감량 용량(과소용량 가능성)",
                    reasons,
                )
            )
        elif not reasons and not known:
            _doac_not_assessable(ctx, drug, spec)
    return out


DOAC_NEEDS = {
    "apixaban": "나이·체중·혈청 크레아티닌",
    "rivaroxaban": "CrCl(크레아티닌·체중)",
    "edoxaban": "CrCl(크레아티닌·체중)·체중",
    "dabigatran": "나이",
}


def _doac_not_assessable(ctx: Context, drug: str, spec: dict[str, Any]) -> None:
    """Listed in the review's not-assessable list (what is missing), never as a finding."""
    ctx.not_assessable.append(
        {
            "category": "dose",
            "criterion": f"dose-doac-{drug}-not-assessable",
            "text": spec[drug]["text"],
            "drugs": [drug],
            "missing": [DOAC_NEEDS[drug]],
            "status": "not assessable",
        }
    )


def _doac_finding(
    ctx: Context,
    drug: str,
    spec: dict[str, Any],
    used: list[Supply],
    sev: str,
    what: str,
    reasons: list[str],
) -> Finding:
    mg = max(s.mg_per_day or 0 for s in used)
    return finding(
        "dose",
        sev,
        [drug],
        f"{ctx.kb.ko(drug)} 1일 {mg:g} mg: {what}",
        spec["source"],
        f"dose-doac-{drug}",
        spec[drug]["text"],
        "체중·신기능·나이를 확인하고 처방의와 용량을 상의한다.",
        f"{ctx.kb.ko(drug)} 1일 {mg:g} mg — {what}. 용량 재평가를 부탁드립니다.",
        evidence(
            used,
            [(s.start, s.end) for s in used],
            daily_mg=mg,
            reduction_criteria=reasons or None,
            crcl=round(ctx.crcl, 1) if ctx.crcl else None,
        ),
    )
