"""Whole-regimen checks: duplicates, duration, adherence (PDC), polypharmacy, MRCI, prescribers."""

from __future__ import annotations

from datetime import timedelta
from itertools import combinations

from gibon.pharm.checks._common import evidence, finding, names_ko
from gibon.pharm.checks.burden import current
from gibon.pharm.context import Context
from gibon.pharm.findings import Finding
from gibon.pharm.knowledge import KnowledgeBase
from gibon.pharm.timeline import Supply, days_in, merge_periods

# Same mechanism, different DUR groups (or no DUR group): STOPP v3 Section A counts any duplicate
# drug class as inappropriate; ACEI + ARB dual blockade is also named in STOPP v3 Section B.
MECHANISMS = {
    "RAS 이중차단(ACEI+ARB)": ("acei", "arb"),
    "위산분비억제제 중복": ("ppi", "pcab", "h2ra"),
    "세로토닌 재흡수억제제 중복": ("ssri", "snri"),
    "진정수면제 중복(벤조디아제핀·Z-drug)": ("benzodiazepine", "z_drug"),
    "오피오이드 중복": ("opioid",),
    "1세대 항히스타민제 중복": ("antihistamine_1g",),
}
# Maintenance therapy, where days without medicine matter (PQA adherence measures cover
# antihypertensives, statins and diabetes drugs; we add the other long-term classes).
MAINTENANCE = frozenset(
    {
        "antihypertensive",
        "statin",
        "antidiabetic",
        "anticoagulant",
        "antiplatelet",
        "antidepressant",
        "antiepileptic",
        "chei",
        "dopaminergic",
        "antipsychotic",
        "inhaled_bronchodilator",
        "bisphosphonate",
        "thyroid",
        "digoxin",
        "antigout",
        "lithium",
        "methotrexate",
    }
)
STOPP_A = "STOPP/START v3 (O'Mahony 2023) — STOPP Section A (duplicate drug class)"
OVERLAP_MIN_DAYS = 7
SUSTAINED_DAYS = 28


def duplicate(ctx: Context) -> list[Finding]:
    return _same_ingredient(ctx) + _same_mechanism(ctx)


def _same_ingredient(ctx: Context) -> list[Finding]:
    out = []
    for ing, supplies in ctx.by_ingredient.items():
        if len({(s.prescriber, s.product) for s in supplies}) < 2:
            continue  # one prescriber's one product: refills, never a duplicate (no pair to test)
        hits = [
            (a, b)
            for a, b in combinations(supplies, 2)
            if (a.prescriber, a.product) != (b.prescriber, b.product)
            and _days(a, b) >= OVERLAP_MIN_DAYS
        ]
        if hits:
            used = [s for h in hits for s in h]
            periods = [(max(a.start, b.start), min(a.end, b.end)) for a, b in hits]
            combo = any("+" in s.product or "/" in s.product for s in used)
            out.append(
                finding(
                    "duplicate",
                    _same_ingredient_severity(used, days_in(periods)),
                    [ing],
                    f"동일성분 중복: {ctx.kb.ko(ing)}" + (" (복합제 포함)" if combo else ""),
                    STOPP_A,
                    "dup-same-ingredient",
                    "같은 성분을 서로 다른 처방(복합제 포함)으로 동시에 받음",
                    "약 봉투를 모두 꺼내 같은 성분을 두 번 복용하는지 확인한다.",
                    f"{ing} 성분이 중복 처방되어 {days_in(periods)}일 겹칩니다. 정리를 부탁드립니다.",
                    evidence(used, periods, overlap_days=days_in(periods)),
                )
            )
    return out


def _same_ingredient_severity(used: list[Supply], overlap_days: int) -> str:
    """Two prescribers for four weeks or more is a real double supply; a shorter overlap may be the
    last days of an old clinic's supply after moving to a new one."""
    return (
        "high"
        if len({s.prescriber for s in used}) > 1 and overlap_days >= SUSTAINED_DAYS
        else "moderate"
    )


def _days(a: Supply, b: Supply) -> int:
    return (min(a.end, b.end) - max(a.start, b.start)).days + 1


def _mechanism_index(
    kb: KnowledgeBase,
) -> tuple[dict[str, str], list[tuple[str, frozenset[str]]]]:
    """The DUR duplication group of each ingredient, and the ingredients of each mechanism."""
    dur_groups = {ings[0]: code for code, _, ings in kb.duplication if ings}
    mechanisms = [
        (label, kb.members({"classes": list(classes)})) for label, classes in MECHANISMS.items()
    ]
    return dur_groups, mechanisms


def _same_mechanism(ctx: Context) -> list[Finding]:
    dur_groups, mechanisms = ctx.kb.derived(_mechanism_index)
    out = []
    for label, known in mechanisms:
        members = sorted(known & ctx.taken)
        hits = [
            h
            for a, b in combinations(members, 2)
            if dur_groups.get(a) is None or dur_groups.get(a) != dur_groups.get(b)
            for h in ctx.overlaps(a, b)
            if (h[1] - h[0]).days + 1 >= OVERLAP_MIN_DAYS and h[2].row != h[3].row
        ]
        if hits:
            used = [s for h in hits for s in h[2:]]
            drugs = {s.ingredient for s in used}
            periods = [(h[0], h[1]) for h in hits]
            out.append(
                finding(
                    "duplicate",
                    "moderate",
                    drugs,
                    f"{label}: {names_ko(ctx, drugs)}",
                    STOPP_A,
                    "dup-same-mechanism",
                    f"작용기전이 같은 약({label})을 동시에 복용",
                    "두 약을 모두 복용 중인지 확인한다.",
                    f"{label} 상태입니다({days_in(periods)}일). 한 가지로 정리를 검토해 주십시오.",
                    evidence(used, periods, overlap_days=days_in(periods)),
                )
            )
    return out


def duration(ctx: Context) -> list[Finding]:
    out = []
    for ing in ctx.by_ingredient:
        drug = ctx.kb.drug(ing)
        if drug is None or drug.chronic:
            continue
        longest = max(((e - s).days + 1, s, e) for s, e in ctx.periods(ing))
        if longest[0] > 30:
            out.append(
                finding(
                    "duration",
                    "moderate",
                    [ing],
                    f"단기 사용 약 {ctx.kb.ko(ing)} {longest[0]}일 연속",
                    "gibon: short-course drug classes (antibiotics, antitussives, ketorolac) per their labels",
                    "duration-short-course",
                    "단기간 사용하는 약을 30일 넘게 연속으로 받음",
                    "아직 복용 중인지, 같은 증상이 계속되는지 확인한다.",
                    f"{ing}이(가) {longest[0]}일 연속 처방되었습니다. 지속 필요성 확인을 부탁드립니다.",
                    evidence(
                        ctx.by_ingredient[ing],
                        [(longest[1], longest[2])],
                        continuous_days=longest[0],
                    ),
                )
            )
    return out


def pdc(ctx: Context) -> dict[str, float]:
    """Proportion of days covered, from the first fill to the review date, for chronic drugs."""
    return pdc_with_reasons(ctx)[0]


def pdc_with_reasons(ctx: Context) -> tuple[dict[str, float], dict[str, str]]:
    """PDC per maintenance drug, and for every other drug why it is not computed (in Korean)."""
    values, skipped = ctx.memo("pdc", _pdc_with_reasons)
    return dict(values), dict(skipped)


def _pdc_with_reasons(ctx: Context) -> tuple[dict[str, float], dict[str, str]]:
    out: dict[str, float] = {}
    skipped: dict[str, str] = {}
    for ing, supplies in ctx.by_ingredient.items():
        reason = _pdc_skip(ctx, ing, supplies)
        if reason:
            skipped[ing] = reason
            continue
        start = min(s.dispensed for s in supplies)
        window = (ctx.review_date - start).days + 1
        covered = days_in(
            [(s.start, min(s.end, ctx.review_date)) for s in supplies if s.start <= ctx.review_date]
        )
        out[ing] = round(min(1.0, covered / window), 2)
    return out, skipped


def _pdc_skip(ctx: Context, ing: str, supplies: list[Supply]) -> str:
    drug = ctx.kb.drug(ing)
    if drug is None or not drug.chronic:
        return "짧게 쓰는 약이라 계산하지 않음"
    if all(s.sig.prn for s in supplies):
        return "필요할 때만 먹는 약이라 계산하지 않음"
    if not MAINTENANCE & drug.classes:  # sleeping pills, painkillers: often taken as needed
        return "매일 먹어야 하는 유지 약이 아니라 계산하지 않음"
    if len({s.dispensed for s in supplies}) < 2:  # PDC needs at least two fills
        return "조제 기록이 2회 미만이라 계산하지 않음"
    if (ctx.review_date - min(s.dispensed for s in supplies)).days + 1 < 30:
        return "첫 조제 뒤 30일이 지나지 않아 계산하지 않음"
    return ""


def adherence(ctx: Context) -> list[Finding]:
    per_drug = _adherence_per_drug(ctx)
    return per_drug + _adherence_together(ctx, per_drug)


# Therapeutic groups in which two drugs with gaps at once is one problem: the condition they treat
# together goes uncontrolled (two antihypertensives missed -> blood pressure not controlled).
ADHERENCE_GROUPS = {"antihypertensive": "혈압약", "antidiabetic": "당뇨약"}


def _adherence_together(ctx: Context, per_drug: list[Finding]) -> list[Finding]:
    gaps = {f.drugs[0]: f for f in per_drug}
    out = []
    for cls, name in ADHERENCE_GROUPS.items():
        drugs = sorted(d for d in gaps if ctx.kb.in_class(d, cls))
        if len(drugs) < 2:
            continue
        parts = [f"{ctx.kb.ko(d)} {gaps[d].title.split(': ', 1)[1]}" for d in drugs]
        supplies = [s for d in drugs for s in ctx.by_ingredient[d]]
        out.append(
            finding(
                "adherence",
                "moderate",
                drugs,
                f"{name} {len(drugs)}종 모두 복용 공백: " + ", ".join(parts),
                "PDC (Pharmacy Quality Alliance; adherent if PDC >= 0.8), per drug",
                f"adherence-pdc-{cls}",
                f"같은 병을 함께 조절하는 {name}을 모두 빠뜨리면 하나를 빠뜨릴 때보다 조절이 더 "
                "크게 무너진다 — 약마다 PDC 80% 미만.",
                f"{name}을 어떻게 먹고 있는지 함께 확인하고, 복용을 단순하게(복합제·한 번에) "
                "할 수 있는지 본다. 혈압·혈당 기록을 확인한다.",
                f"{name} {len(drugs)}종 모두 복약 공백이 있습니다. 조절 상태 확인과 "
                "복용 단순화를 검토해 주십시오.",
                evidence(supplies, pdc={d: gaps[d].evidence.get("pdc") for d in drugs}),
            )
        )
    return out


def _adherence_per_drug(ctx: Context) -> list[Finding]:
    out = []
    for ing, value in sorted(pdc(ctx).items()):
        supplies = ctx.by_ingredient[ing]
        last_end = max(s.end for s in supplies)
        gap = (ctx.review_date - last_end).days
        ran_out = len({s.dispensed for s in supplies}) >= 2 and gap > 14
        if value >= 0.8 and not ran_out:
            continue
        what = f"약이 {gap}일 전에 떨어짐" if ran_out else f"PDC {value:.0%}"
        out.append(
            finding(
                "adherence",
                "moderate" if ran_out or value < 0.5 else "low",
                [ing],
                f"{ctx.kb.ko(ing)}: {what}",
                "PDC (Pharmacy Quality Alliance; adherent if PDC >= 0.8)",
                "adherence-pdc",
                "만성질환 약은 처방일수로 덮인 날의 비율(PDC)이 80% 이상이어야 한다.",
                "남은 약 개수를 세어 보고 복용을 중단했거나 잊는 이유를 확인한다.",
                f"{ctx.kb.ko(ing)} 복약 공백({what})이 있습니다. 중단 지시였는지 확인 부탁드립니다.",
                evidence(
                    supplies,
                    merge_periods([(s.start, s.end) for s in supplies]),
                    pdc=value,
                    days_since_last_supply_ended=max(gap, 0),
                ),
            )
        )
    return out


REGULAR_DAYS = 60  # NHIS 다제약물 관리사업 counts ingredients taken for 60 days or more


def polypharmacy(ctx: Context) -> list[Finding]:
    """Regular medicines: supplied in the last 90 days and for 60 days or more in the year."""
    recent = current(ctx)
    meds = [i for i in recent if ctx.exposure_days(i) >= REGULAR_DAYS]
    if len(meds) < 5:
        return []
    sev = "high" if len(meds) >= 10 else "moderate"
    return [
        finding(
            "polypharmacy",
            sev,
            meds,
            f"정기 복용 성분 {len(meds)}종 (최근 90일 전체 {len(recent)}종)",
            "Masnoon N et al. BMC Geriatr 2017;17:230 (polypharmacy >= 5); "
            "국민건강보험공단 다제약물 관리사업(10종 이상, 60일 이상 복용)",
            "polypharmacy",
            "정기 복용 약이 5종 이상이면 다제약물, 10종 이상이면 과다 다제약물로 약물 검토 대상이다.",
            "모든 약(일반약·건강기능식품 포함)을 꺼내 목록을 확인한다.",
            f"정기 복용 성분이 {len(meds)}종입니다. 전체 약물 검토를 부탁드립니다.",
            evidence([], n_regular=len(meds), n_last_90_days=len(recent)),
        )
    ]


def multiple_prescribers(ctx: Context) -> list[Finding]:
    since = ctx.review_date - timedelta(days=365)
    year = [s for s in ctx.supplies if s.dispensed >= since]
    prescribers = sorted({s.prescriber for s in year})
    if len(prescribers) < 3:
        return []
    return [
        finding(
            "multiple_prescribers",
            "moderate" if len(prescribers) >= 4 else "low",
            sorted({s.ingredient for s in year}),
            f"지난 1년 처방기관 {len(prescribers)}곳",
            "스마트 방문약료 대상 기준(여러 의료기관 이용) — gibon triage rule",
            "multiple-prescribers-3",
            "3곳 이상에서 처방받으면 서로의 처방을 모르는 중복·상호작용 위험이 커진다.",
            "다니는 병원과 약국을 모두 확인하고 한 곳의 단골 약국을 권한다.",
            "여러 의료기관에서 처방을 받고 있습니다. 전체 처방 목록을 공유드립니다.",
            {"prescribers": prescribers, "pharmacies": sorted({s.pharmacy for s in year})},
        )
    ]
