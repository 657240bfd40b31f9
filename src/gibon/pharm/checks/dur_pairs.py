"""DUR 병용금기 and 효능군중복, recomputed over the whole year across every prescriber."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from itertools import combinations, pairwise

from gibon.pharm.checks._common import evidence, finding, names_ko
from gibon.pharm.context import Context
from gibon.pharm.findings import Finding
from gibon.pharm.knowledge import KnowledgeBase, dur
from gibon.pharm.timeline import Supply

_SYSTEMIC = {"oral", "injection"}


def _side_supplies(ctx: Context, side: tuple[str, ...], routes: frozenset[str]) -> list[Supply]:
    """Supplies that carry every ingredient of a DUR side (a combination side needs all parts)."""
    if not all(i in ctx.by_ingredient for i in side):
        return []
    out = [s for s in ctx.by_ingredient[side[0]] if not routes or s.route in routes]
    if len(side) > 1:
        rows = set.intersection(*({s.row for s in ctx.by_ingredient[i]} for i in side))
        out = [s for s in out if s.row in rows]
    return out


def _remark_blocks(ctx: Context, pair: dur.Pair, a: Supply, b: Supply) -> bool:
    """True when the pair's remark excludes this case (weekly MTX dose, sex/age, route)."""
    remark = pair.remark
    m = re.search(r"methotrexate 1주에 (\d+)\s*mg 이상", remark)
    if m:
        mtx = a if a.ingredient == "methotrexate" else b
        weekly = mtx.mg_per_week
        return weekly is not None and weekly < float(m.group(1))
    if "75세 이상 남성" in remark:
        return not (ctx.age is not None and ctx.age >= 75 and ctx.patient.sex == "M")
    if "전신제제에 한함" in remark:
        return a.route not in _SYSTEMIC or b.route not in _SYSTEMIC
    return False


# per ingredient: the places in ``kb.pair_index[ing]`` of pairs naming it alone, and of pairs
# naming it with each other ingredient (so a patient's pairs are found without reading the rest)
PartnerIndex = dict[str, tuple[tuple[int, ...], dict[str, tuple[int, ...]]]]


def _partners(kb: KnowledgeBase) -> PartnerIndex:
    out: PartnerIndex = {}
    for ing, pairs in kb.pair_index.items():
        alone: list[int] = []
        with_other: dict[str, list[int]] = defaultdict(list)
        for k, pair in enumerate(pairs):
            others = pair.ingredients - {ing}
            if not others:
                alone.append(k)
            for other in others:
                with_other[other].append(k)
        out[ing] = (tuple(alone), {o: tuple(ks) for o, ks in with_other.items()})
    return out


def _candidates(ctx: Context, ing: str, index: PartnerIndex) -> list[dur.Pair]:
    """The pairs listed under ``ing`` that name only ingredients the patient takes, in list order."""
    entry = index.get(ing)
    if entry is None:
        return []
    alone, with_other = entry
    places = set(alone)
    for other in ctx.by_ingredient:
        places.update(with_other.get(other, ()))
    pairs, taken = ctx.kb.pair_index[ing], ctx.taken
    return [pairs[k] for k in sorted(places) if pairs[k].ingredients <= taken]


def contraindicated(ctx: Context) -> list[Finding]:
    seen: set[int] = set()
    found: dict[frozenset[str], Finding] = {}
    index = ctx.kb.derived(_partners)
    for ing in ctx.by_ingredient:
        for pair in _candidates(ctx, ing, index):
            if pair.sn in seen:
                continue
            seen.add(pair.sn)
            f = _pair_finding(ctx, pair)
            if f is not None:
                found.setdefault(frozenset(f.drugs), f)
    return list(found.values())


def _pair_finding(ctx: Context, pair: dur.Pair) -> Finding | None:
    side1 = _side_supplies(ctx, pair.side1, pair.routes1)
    side2 = _side_supplies(ctx, pair.side2, pair.routes2)
    hits: list[tuple[date, date, Supply, Supply]] = []
    window = timedelta(days=pair.window_days)
    for a in side1:
        for b in side2:
            start, end = max(a.start, b.start), min(a.end, b.end)
            if (
                start <= end + window
                and a.ingredient != b.ingredient
                and a.row
                != b.row  # an approved combination product is not contraindicated with itself
                and not _remark_blocks(ctx, pair, a, b)
            ):
                hits.append((min(start, end), max(start, end), a, b))
    if not hits:
        return None
    drugs = {*pair.side1, *pair.side2}
    used = [s for h in hits for s in h[2:]]
    same = len({s.prescriber for s in used}) == 1
    ev = evidence(
        used,
        [(h[0], h[1]) for h in hits],
        dur_sn=pair.sn,
        reason=pair.reason,
        remark=pair.remark or None,
        same_prescriber=same,
    )
    return finding(
        "dur_contraindicated",
        "high",
        drugs,
        f"병용금기: {names_ko(ctx, drugs)} 동시 복용",
        dur.CITATION + " 병용금기",
        f"DUR-병용금기-{pair.sn}",
        f"{' + '.join(pair.side1)} 와 {' + '.join(pair.side2)} 병용금기: {pair.reason}",
        "두 약을 실제로 함께 복용했는지(기간·남은 약) 확인하고 처방의에게 즉시 알린다.",
        f"DUR 병용금기 성분 동시 처방({pair.reason}). 한쪽 약 변경을 검토해 주십시오.",
        ev,
    )


def _replaced(ctx: Context, members: set[str]) -> bool:
    """One prescriber moved from one member to another: the old one is never dispensed again."""
    firsts = sorted((min(s.dispensed for s in ctx.by_ingredient[m]), m) for m in members)
    for (_, old), (started, _new) in pairwise(firsts):
        if any(s.dispensed >= started for s in ctx.by_ingredient[old]):
            return False
    return True


def _duplication_rows(kb: KnowledgeBase) -> dict[str, list[tuple[int, str, str]]]:
    """The 효능군중복 rows by the ingredient each lists first, with their place in the list."""
    out: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for i, (code, name, ings) in enumerate(kb.duplication):
        if ings:
            out[ings[0]].append((i, code, name))
    return dict(out)


def duplication(ctx: Context) -> list[Finding]:
    index = ctx.kb.derived(_duplication_rows)
    rows = sorted(r for ing in ctx.by_ingredient for r in index.get(ing, ()))
    groups: dict[str, tuple[str, set[str]]] = {}
    for i, code, name in rows:  # in list order, so a group keeps the name it is first listed with
        groups.setdefault(code, (name, set()))[1].add(ctx.kb.duplication[i][2][0])
    out = []
    for code, (name, members) in sorted(groups.items()):
        if len(members) >= 2:
            f = _group_finding(ctx, code, name, members)
            if f is not None:
                out.append(f)
    return out


ANTIPLATELET_NOTE = (
    "저용량(1일 325 mg 이하) 아스피린은 항혈소판 목적일 수 있어 해열진통 효능군 중복인지 확인 필요"
)


def _low_dose_aspirin_only(hits: list[tuple[date, date, Supply, Supply]]) -> bool:
    """Every overlap involves aspirin at antiplatelet doses (<= 325 mg/day)."""

    def low(s: Supply) -> bool:
        return s.ingredient == "aspirin" and s.mg_per_day is not None and s.mg_per_day <= 325

    return all(low(a) or low(b) for _, _, a, b in hits)


def _group_finding(ctx: Context, code: str, name: str, members: set[str]) -> Finding | None:
    hits: list[tuple[date, date, Supply, Supply]] = []
    for a, b in combinations(sorted(members), 2):
        hits.extend(h for h in ctx.overlaps(a, b) if h[2].row != h[3].row)
    if not hits:
        return None
    used = [s for h in hits for s in h[2:]]
    days = len({h[0] + timedelta(days=k) for h in hits for k in range((h[1] - h[0]).days + 1)})
    switch = len({s.prescriber for s in used}) == 1 and (days < 7 or _replaced(ctx, members))
    drugs = {s.ingredient for s in used}
    antiplatelet_aspirin = _low_dose_aspirin_only(hits)
    ev = evidence(
        used,
        [(h[0], h[1]) for h in hits],
        group_code=code,
        group=name,
        overlap_days=days,
        possible_switch=switch or None,
        note=ANTIPLATELET_NOTE if antiplatelet_aspirin else None,
    )
    return finding(
        "dur_duplication",
        "low" if switch or antiplatelet_aspirin else "moderate",
        drugs,
        f"효능군중복({name}): {names_ko(ctx, drugs)} {days}일 겹침",
        dur.CITATION + " 효능군중복",
        f"DUR-효능군중복-{code}",
        f"같은 효능군({name}, {code})의 약을 같은 기간에 함께 복용",
        "두 약을 모두 복용 중인지, 한 약이 다른 약으로 바뀐 것인지 확인한다.",
        f"같은 효능군({name}) 약이 {days}일 겹칩니다. 한 가지로 정리를 검토해 주십시오.",
        ev,
    )
