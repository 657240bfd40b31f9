"""Anticholinergic burden (ACB scale), Drug Burden Index, and fall-risk-increasing drugs."""

from __future__ import annotations

from datetime import timedelta

from gibon.pharm.checks._common import evidence, finding, names_ko, supplies_for
from gibon.pharm.context import Context, acb_score
from gibon.pharm.findings import Finding
from gibon.pharm.knowledge import KnowledgeBase

RECENT_DAYS = 90


def current(ctx: Context) -> list[str]:
    """Ingredients supplied in the last 90 days before the review date."""
    return list(ctx.memo("current", _current))


def _current(ctx: Context) -> list[str]:
    since = ctx.review_date - timedelta(days=RECENT_DAYS)
    return sorted(i for i, ss in ctx.by_ingredient.items() if any(s.end >= since for s in ss))


def acb(ctx: Context) -> tuple[int, dict[str, dict[str, object]]]:
    parts = {}
    for ing in current(ctx):
        score, status = acb_score(ctx.kb, ing)
        if score:
            parts[ing] = {"score": score, "status": status}
    return sum(int(str(p["score"])) for p in parts.values()), parts


def acb_findings(ctx: Context) -> list[Finding]:
    total, parts = acb(ctx)
    if total < 3:
        return []
    sev = "high" if total >= 6 else "moderate"
    src = ctx.kb.criteria["burden"]["acb_citation"]
    return [
        finding(
            "anticholinergic_burden",
            sev,
            parts,
            f"항콜린 부담 ACB 점수 {total}점",
            src,
            "acb-total-3",
            "ACB 점수 합계 3점 이상은 인지저하·사망 위험 증가와 관련된다(Fox C et al. JAGS 2011).",
            "입마름·변비·배뇨곤란·기억력 변화를 확인한다.",
            f"ACB 총점 {total}점입니다. 항콜린 작용이 강한 약의 감량·대체를 검토해 주십시오.",
            evidence(
                supplies_for(ctx, parts),
                scale="ACB (Anticholinergic Cognitive Burden)",
                total=total,
                contributions=parts,
            ),
        )
    ]


def dbi(ctx: Context) -> tuple[float | None, dict[str, dict[str, object]]]:
    table = ctx.kb.criteria["burden"]["dbi_delta_mg"]
    parts: dict[str, dict[str, object]] = {}
    unknown = False
    for ing in current(ctx):
        if ing not in table:
            continue
        doses = [
            s.mg_per_day * s.sig.dosing_days_per_week / 7
            for s in ctx.by_ingredient[ing]
            if s.mg_per_day
        ]
        if not doses:
            unknown = True
            continue
        d, delta = max(doses), float(table[ing]["delta"])
        parts[ing] = {
            "daily_mg": round(d, 3),
            "delta_mg": delta,
            "value": round(d / (d + delta), 3),
        }
    total = round(sum(float(str(p["value"])) for p in parts.values()), 2)
    return (None if unknown and not parts else total), parts


def dbi_findings(ctx: Context) -> list[Finding]:
    total, parts = dbi(ctx)
    if total is None or total < 1:
        return []
    src = ctx.kb.criteria["burden"]["dbi_citation"]
    return [
        finding(
            "drug_burden_index",
            "high" if total >= 2 else "moderate",
            parts,
            f"약물부담지수(DBI) {total}",
            src,
            "dbi-1",
            "DBI 1 이상은 신체기능 저하·낙상 증가와 관련된다(Hilmer 2007).",
            "졸림·어지러움·일상생활 수행능력 변화를 확인한다.",
            f"항콜린·진정 작용 약의 DBI가 {total}입니다. 감량을 검토해 주십시오.",
            evidence(supplies_for(ctx, parts), total=total, contributions=parts),
        )
    ]


def _frid_labels(kb: KnowledgeBase) -> dict[str, str]:
    """Each fall-risk drug with the label of the last listed class it belongs to."""
    classes = kb.criteria["fall_risk"]["classes"]
    return {i: ko for i in kb.drugs for c, ko in classes.items() if kb.in_class(i, c)}


def fall_risk(ctx: Context) -> list[Finding]:
    spec = ctx.kb.criteria["fall_risk"]
    labels = ctx.kb.derived(_frid_labels)
    frids = {i: labels[i] for i in current(ctx) if i in labels}
    falls = ctx.patient.falls_last_year
    if not frids or (falls == 0 and len(frids) < 3):
        return []
    sev = "high" if falls and len(frids) >= 2 else "moderate"
    return [
        finding(
            "fall_risk",
            sev,
            frids,
            f"낙상위험 약물 {len(frids)}종, 지난 1년 낙상 {falls}회",
            spec["citation"],
            "frid",
            "낙상위험증가약물(FRID)은 낙상 병력이 있거나 여러 개일 때 감량 대상이다.",
            "낙상 상황·어지러움·야간 배뇨를 확인하고 집안 낙상 위험을 점검한다.",
            f"낙상위험 약물({names_ko(ctx, frids)}) 감량을 검토해 주십시오.",
            evidence(supplies_for(ctx, frids), falls_last_year=falls, frid_classes=frids),
        )
    ]
