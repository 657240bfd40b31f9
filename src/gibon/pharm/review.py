"""Review one patient's year of dispensings: every check, the metrics and the priority score."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from gibon.pharm import context, priority, problems
from gibon.pharm.checks import (
    burden,
    cascade,
    dose,
    dur_lists,
    dur_pairs,
    mrci,
    regimen,
    renal,
    rules,
)
from gibon.pharm.context import Context
from gibon.pharm.findings import SEVERITIES, Finding
from gibon.pharm.knowledge import kb
from gibon.pharm.schemas import ReviewInput

Check = Callable[[Context], list[Finding]]


def _criteria(name: str, key: str, category: str) -> Check:
    def run(ctx: Context) -> list[Finding]:
        spec = ctx.kb.criteria[name]
        return rules.run(ctx, spec[key], category, spec["citation"], spec.get("age_min"))

    return run


CHECKS: tuple[Check, ...] = (
    dur_pairs.contraindicated,
    dur_lists.age,
    dur_lists.pregnancy,
    dur_pairs.duplication,
    dur_lists.dose,
    dur_lists.duration,
    dur_lists.elderly,
    dur_lists.split,
    _criteria("interactions", "rules", "interaction"),
    regimen.duplicate,
    _criteria("beers", "rules", "beers"),
    _criteria("stopp_start", "stopp", "stopp"),
    _criteria("stopp_start", "start", "start"),
    burden.acb_findings,
    burden.dbi_findings,
    burden.fall_risk,
    renal.check,
    dose.check,
    regimen.duration,
    regimen.adherence,
    regimen.polypharmacy,
    mrci.findings,
    regimen.multiple_prescribers,
    cascade.check,
)


@dataclass
class Review:
    ctx: Context
    findings: list[Finding]
    metrics: dict[str, Any]
    priority: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        p = self.ctx.patient
        return {
            "patient": {
                "id": p.id,
                "age": self.ctx.age,
                "sex": p.sex,
                "review_date": self.ctx.review_date.isoformat(),
            },
            "findings": [f.to_dict() for f in self.findings],
            "metrics": self.metrics,
            "priority": self.priority,
            "unknown_drugs": [
                {"row": u.row, "name": u.name, "closest": u.suggestions} for u in self.ctx.unknown
            ],
            "not_assessable": self.not_assessable,
        }

    @property
    def not_assessable(self) -> list[dict[str, Any]]:
        """Criteria that could not be decided for want of a measurement, once each."""
        seen: dict[str, dict[str, Any]] = {}
        for item in self.ctx.not_assessable:
            seen.setdefault(item["criterion"], item)
        return list(seen.values())


def _drop_covered(findings: list[Finding]) -> list[Finding]:
    """An interaction already reported as DUR 병용금기 is not reported twice, nor a STOPP §E
    kidney criterion for a drug the renal check already reports, nor gibon's wider CNS count when
    the Beers one names the same drugs."""
    dur_sets = [set(f.drugs) for f in findings if f.category == "dur_contraindicated"]
    renal_sets = [
        set(f.drugs)
        for f in findings
        if f.category == "renal" and f.drugs and f.evidence.get("status") != "not assessable"
    ]
    beers_cns = [set(f.drugs) for f in findings if f.criterion["id"] == "beers-t5-cns-3plus"]
    return [
        f
        for f in findings
        if not (f.category == "interaction" and any(set(f.drugs) <= d for d in dur_sets))
        and not (_stopp_e(f) and any(set(f.drugs) <= d for d in renal_sets))
        and not (f.criterion["id"] == "ix-cns-3plus" and any(set(f.drugs) <= d for d in beers_cns))
    ]


def _stopp_e(f: Finding) -> bool:
    return f.category == "stopp" and f.criterion["id"].startswith("STOPP E")


def _unknown_findings(ctx: Context) -> list[Finding]:
    return [
        Finding(
            "unknown_drug",
            "low",
            [u.name],
            f"확인 안 된 약 이름: {u.name}",
            {
                "id": "unknown-drug",
                "source": "gibon knowledge base",
                "text": "약 이름을 지식베이스에서 찾지 못함",
            },
            f"약 봉투에서 정확한 성분명을 확인한다. 비슷한 이름: {', '.join(u.suggestions) or '없음'}",
            "성분명 확인이 필요합니다.",
            {"row": u.row, "closest": u.suggestions},
        )
        for u in ctx.unknown
    ]


def metrics(ctx: Context) -> dict[str, Any]:
    since = ctx.review_date - timedelta(days=365)
    year = [s for ss in ctx.all_by_ingredient.values() for s in ss if s.dispensed >= since]
    acb_total, acb_parts = burden.acb(ctx)
    dbi_total, dbi_parts = burden.dbi(ctx)
    mrci_total, _ = mrci.score(ctx)
    pdc_values, pdc_skipped = regimen.pdc_with_reasons(ctx)
    return {
        "n_ingredients": len({s.ingredient for s in year}),
        "n_current_ingredients": len(burden.current(ctx)),
        "n_prescribers": len({s.prescriber for s in year}),
        "n_pharmacies": len({s.pharmacy for s in year}),
        "n_dispensings": len({s.row for s in year}),
        "acb": acb_total,
        "acb_scale": "ACB (Anticholinergic Cognitive Burden, Boustani 2008/2012)",
        "acb_contributions": acb_parts,
        "dbi": dbi_total,
        "dbi_contributions": dbi_parts,
        "mrci": mrci_total,
        "pdc": pdc_values,
        "pdc_not_computed": pdc_skipped,
        "egfr": round(ctx.egfr, 1) if ctx.egfr is not None else None,
        "egfr_method": "CKD-EPI 2021 (creatinine, race-free)",
        "crcl": round(ctx.crcl, 1) if ctx.crcl is not None else None,
        "crcl_method": "Cockcroft-Gault (actual body weight)",
    }


def review(data: ReviewInput) -> Review:
    """Run every check over one patient's year and rank the findings by severity."""
    ctx = context.build(data, kb())
    found = _drop_covered([f for check in CHECKS for f in check(ctx)]) + _unknown_findings(ctx)
    found = problems.harmonise(ctx.kb, found)
    found.sort(key=lambda f: (SEVERITIES.index(f.severity), f.category))
    m = metrics(ctx)
    return Review(ctx, found, m, priority.score(ctx, found, m["n_ingredients"], m["n_prescribers"]))
