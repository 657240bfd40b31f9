"""DUR single-ingredient lists: 연령금기, 임부금기, 용량주의, 투여기간주의, 노인주의, 분할주의."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TypeVar

from gibon.pharm.checks._common import evidence, finding
from gibon.pharm.context import Context
from gibon.pharm.findings import Finding
from gibon.pharm.knowledge import dur
from gibon.pharm.timeline import Supply

_RELEASE = re.compile(r"서방|장용|지속형|\b(?:SR|ER|CR|XL|XR|OROS|LA|CD|MR)\b")


T = TypeVar("T")


def _lookup(
    table: dict[str, list[T]], ing: str, supplies: list[Supply], salts: dict[str, list[str]]
) -> list[tuple[T, list[Supply]]]:
    """Entries for the moiety apply to every supply; salt-specific entries only to that salt."""
    out = [(e, supplies) for e in table.get(ing, [])]
    for v in salts.get(ing, ()):
        out += [(e, [s for s in supplies if s.variant == v]) for e in table.get(v, [])]
    return out


def _salts(ctx: Context) -> dict[str, list[str]]:
    """The salt-specific names written for each ingredient (diclofenac potassium), if any."""
    found: dict[str, set[str]] = {}
    for ing, supplies in ctx.all_by_ingredient.items():
        for s in supplies:
            if s.variant:
                found.setdefault(ing, set()).add(s.variant)
    return {ing: sorted(names) for ing, names in found.items()}


def _route_ok(entry: dur.Entry, s: Supply) -> bool:
    return not entry.routes or s.route in entry.routes


def age(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    if ctx.age is None:
        return out
    salts = ctx.memo("salts", _salts)
    for ing, all_supplies in ctx.all_by_ingredient.items():
        for e, supplies in _lookup(ctx.kb.age, ing, all_supplies, salts):
            limit, cond = int(e.value), e.detail
            hit = {"미만": ctx.age < limit, "이하": ctx.age <= limit, "이상": ctx.age >= limit}.get(
                cond, False
            )
            if hit:
                out.append(
                    finding(
                        "dur_age",
                        "high",
                        [ing],
                        f"연령금기: {ctx.kb.ko(ing)} ({limit}세 {cond})",
                        dur.CITATION + " 연령금기",
                        f"DUR-연령금기-{e.sn}",
                        f"{ing}: {limit}세 {cond} 금기",
                        "처방의에게 연령금기임을 알린다.",
                        f"{ctx.age}세 환자에게 연령금기({limit}세 {cond}) 성분이 처방되었습니다.",
                        evidence(supplies, ctx.periods(ing), patient_age=ctx.age),
                    )
                )
                break
    return out


def pregnancy(ctx: Context) -> list[Finding]:
    if not ctx.patient.pregnant:
        return []
    since = ctx.review_date - timedelta(days=280)
    out = []
    salts = ctx.memo("salts", _salts)
    for ing, all_supplies in ctx.all_by_ingredient.items():
        for e, supplies in _lookup(ctx.kb.pregnancy, ing, all_supplies, salts)[:1]:
            recent = [s for s in supplies if s.end >= since]
            if recent:
                sev = "high" if e.value == "1" else "moderate"
                out.append(
                    finding(
                        "dur_pregnancy",
                        sev,
                        [ing],
                        f"임부금기 {e.value}등급: {ctx.kb.ko(ing)}",
                        dur.CITATION + " 임부금기",
                        f"DUR-임부금기-{e.sn}",
                        e.detail,
                        "임신 주수와 복용 여부를 확인하고 처방의에게 알린다.",
                        f"임부금기 {e.value}등급 성분입니다: {e.detail}",
                        evidence(recent),
                    )
                )
    return out


def _never_above(supplies: list[Supply], ceiling: float) -> bool:
    """True when no day's total can pass ``ceiling``: the dosed supplies never overlap, so a
    day's total is one supply's dose, and none is above it (the common case: chained refills)."""
    dosed = sorted((s.start, s.end, s.mg_per_day) for s in supplies if s.mg_per_day is not None)
    last_end = None
    for start, end, mg in dosed:
        if (last_end is not None and start <= last_end) or mg > ceiling:
            return False
        last_end = end
    return True


def _daily_totals(supplies: list[Supply]) -> tuple[float, date | None, list[Supply]]:
    """Highest summed mg on one day across concurrent supplies, the day, and what made it."""
    dosed = [s for s in supplies if s.mg_per_day is not None]
    by_start = sorted(range(len(dosed)), key=lambda k: dosed[k].start)
    best: tuple[float, date | None, list[Supply]] = (0.0, None, [])
    active: list[int] = []  # places in ``dosed`` of the supplies covering ``day``, in that order
    j = 0
    for day in sorted({s.start for s in supplies}):
        while j < len(by_start) and dosed[by_start[j]].start <= day:
            active.append(by_start[j])
            j += 1
        active = sorted(k for k in active if dosed[k].end >= day)
        total = sum(dosed[k].mg_per_day or 0.0 for k in active)  # summed in the supplies' order
        if total > best[0]:
            best = (total, day, [dosed[k] for k in active])
    return best


def _dose_finding(
    ctx: Context, ing: str, limit: float, e: dur.Entry, supplies: list[Supply]
) -> Finding | None:
    relevant = [s for s in supplies if _route_ok(e, s)]
    if _never_above(relevant, limit * 1.0001):
        return None
    total, day, active = _daily_totals(relevant)
    if day is None or total <= limit * 1.0001:
        return None
    return finding(
        "dur_dose",
        "high",
        [ing],
        f"용량주의: {ctx.kb.ko(ing)} 1일 {total:g} mg (최대 {limit:g} mg)",
        dur.CITATION + " 용량주의",
        f"DUR-용량주의-{e.sn}",
        f"1일 최대용량 {e.value}",
        "실제 복용량과 중복 처방 여부를 확인한다.",
        f"{ing} 1일 합산 {total:g} mg로 1일 최대용량({e.value})을 넘습니다.",
        evidence(
            active,
            [(max(s.start for s in active), min(s.end for s in active))],
            summed_daily_mg=round(total, 3),
            max_daily_mg=limit,
            on=day.isoformat(),
        ),
    )


def dose(ctx: Context) -> list[Finding]:
    """Summed daily dose over every concurrent supply, against the 1일 최대용량."""
    out: dict[str, Finding] = {}
    salts = ctx.memo("salts", _salts)
    for ing, all_supplies in ctx.all_by_ingredient.items():
        for (limit, e), supplies in _lookup(ctx.kb.dose_limits, ing, all_supplies, salts)[:1]:
            f = _dose_finding(ctx, ing, limit, e, supplies)
            if f is not None:
                out[ing] = f
    rows: dict[int, set[str]] = {}
    for s in ctx.supplies:
        rows.setdefault(s.row, set()).add(s.ingredient)
    # combination products in the order first dispensed (a set of them would follow the hash seed)
    for key in dict.fromkeys(frozenset(v) for v in rows.values() if len(v) > 1):
        for ing, limit, e in ctx.kb.dose_combo.get(key, []):
            same = [s for s in ctx.by_ingredient[ing] if rows[s.row] == key]
            f = None if ing in out else _dose_finding(ctx, ing, limit, e, same)
            if f is not None:
                out[ing] = f
    return list(out.values())


def duration(ctx: Context) -> list[Finding]:
    out = []
    salts = ctx.memo("salts", _salts)
    for ing, all_supplies in ctx.all_by_ingredient.items():
        for e, supplies in _lookup(ctx.kb.duration, ing, all_supplies, salts):
            relevant = [s for s in supplies if _route_ok(e, s)]
            limit = int(e.value)
            runs = _runs(relevant)
            long = [(s, t, items) for s, t, items in runs if (t - s).days + 1 > limit]
            if long:
                s, t, items = max(long, key=lambda r: (r[1] - r[0]).days)
                days = (t - s).days + 1
                out.append(
                    finding(
                        "dur_duration",
                        "moderate",
                        [ing],
                        f"투여기간주의: {ctx.kb.ko(ing)} {days}일 연속 (최대 {limit}일)",
                        dur.CITATION + " 투여기간주의",
                        f"DUR-투여기간주의-{e.sn}",
                        f"{ing} 최대 투여기간 {limit}일",
                        "계속 복용 중인지와 복용 이유를 확인한다.",
                        f"{ing}이(가) {days}일 연속 처방되어 권장 기간({limit}일)을 넘었습니다.",
                        evidence(items, [(s, t)], continuous_days=days, max_days=limit),
                    )
                )
                break
    return out


def _runs(supplies: list[Supply]) -> list[tuple[date, date, list[Supply]]]:
    runs: list[tuple[date, date, list[Supply]]] = []
    for s in sorted(supplies, key=lambda s: s.start):
        if runs and s.start <= runs[-1][1] + timedelta(days=1):
            start, end, items = runs[-1]
            runs[-1] = (start, max(end, s.end), [*items, s])
        else:
            runs.append((s.start, s.end, [s]))
    return runs


def elderly(ctx: Context) -> list[Finding]:
    if ctx.age is None or ctx.age < 65:
        return []
    out = []
    salts = ctx.memo("salts", _salts)
    for ing, all_supplies in ctx.all_by_ingredient.items():
        found = _lookup(ctx.kb.elderly, ing, all_supplies, salts)
        relevant = list({id(s): s for e, ss in found for s in ss if _route_ok(e, s)}.values())
        if relevant:
            e = found[0][0]
            low_dose_aspirin = ing == "aspirin" and all(
                (s.mg_per_day or 999) <= 325 for s in relevant
            )
            out.append(
                finding(
                    "dur_elderly",
                    "low" if low_dose_aspirin else "moderate",
                    [ing],
                    f"노인주의: {ctx.kb.ko(ing)}",
                    dur.CITATION + " 노인주의",
                    f"DUR-노인주의-{e.sn}",
                    f"{e.name_ko}({ing})는 식약처 노인주의 성분(65세 이상)",
                    "부작용(졸림·어지러움·낙상·출혈 등)을 확인한다.",
                    f"65세 이상 노인주의 성분({e.name_ko})입니다. 필요성과 용량을 재검토해 주십시오.",
                    evidence(relevant, ctx.periods(ing), patient_age=ctx.age),
                )
            )
    return out


def split(ctx: Context) -> list[Finding]:
    """분할주의: a modified-release product directed to be split (the MFDS list is not in our data)."""
    out, seen = [], set()
    for s in ctx.supplies:
        if not s.sig.split:
            continue
        label = f"{s.product} {s.strength} {s.sig.text}"
        if _RELEASE.search(label) and s.row not in seen:
            seen.add(s.row)
            out.append(
                finding(
                    "dur_split",
                    "moderate",
                    [s.ingredient],
                    f"분할주의: {s.product} 쪼개 복용",
                    "식약처 DUR 분할주의 원칙(서방형·장용 제제는 분할하지 않음); 제품별 목록은 gibon에 없음",
                    "DUR-분할주의-서방형",
                    "서방형·장용 제제를 쪼개면 약효 방출 조절이 깨진다.",
                    "쪼개서 복용하는지 확인하고 분할 가능한 용량의 제품으로 변경을 요청한다.",
                    "서방형 제제를 분할 복용하도록 처방되었습니다. 저용량 제품으로 변경을 검토해 주십시오.",
                    evidence([s]),
                )
            )
    return out
