"""One small interpreter for the declarative criteria (Beers, STOPP/START, interactions).

A rule's ``when`` block lists conditions that must all hold; see docs/pharm.md for each key.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from datetime import date
from typing import Any

from gibon.pharm import labs
from gibon.pharm.checks._common import all_periods, evidence, finding, names_ko, supplies_for
from gibon.pharm.checks._rule_plan import Plan, index_of, plan_of
from gibon.pharm.context import Context, most_concurrent
from gibon.pharm.findings import Finding
from gibon.pharm.knowledge import KnowledgeBase
from gibon.pharm.timeline import Supply

Periods = list[tuple[date, date]]
MISSING_KO = {
    "egfr": "eGFR (scr_mg_dl·나이·성별 필요)",
    "sex": "성별(sex)",
    "vaccinations": "예방접종 기록(vaccinations)",
    **{name: f"{spec.label_ko} ({labs.group_of(name)}.{name})" for name, spec in labs.ALL.items()},
}


def intersect(a: Periods, b: Periods) -> Periods:
    out = []
    for s1, e1 in a:
        for s2, e2 in b:
            s, e = max(s1, s2), min(e1, e2)
            if s <= e:
                out.append((s, e))
    return out


def _touches(s: Supply, periods: Periods) -> bool:
    """``intersect([(s.start, s.end)], periods)`` is not empty."""
    start, end = s.start, s.end
    return any(p_start <= end and start <= p_end for p_start, p_end in periods)


# Modified-release markers in a product name (the same words the DUR 분할주의 check reads).
MODIFIED_RELEASE = re.compile(r"서방|장용|지속형|\b(?:SR|ER|CR|XL|XR|OROS|LA|CD|MR)\b")


def _selected(s: Supply, when: dict[str, Any]) -> bool:
    """A supply that meets the rule's dose threshold and release form, when the rule sets them."""
    limit = (when.get("dose_above") or {}).get(s.ingredient)
    if limit is not None and (s.mg_per_day or 0) <= limit:
        return False
    if when.get("scheduled") and s.sig.prn:  # "scheduled use": an as-needed supply does not count
        return False
    words = when.get("not_if_text", ())  # a local form named in the product or directions (질정)
    if any(w in f"{s.product} {s.strength} {s.sig.text}" for w in words):
        return False
    if when.get("release") == "immediate":
        # Only a product that does not say it is modified release and is taken >= 3 times a day
        # is read as immediate release; anything less certain is not reported.
        label = f"{s.product} {s.strength}"
        return not MODIFIED_RELEASE.search(label) and (s.sig.doses_per_day or 0) >= 3
    return True


def _new_start(ctx: Context, ing: str, after_days: int) -> bool:
    """The ingredient was first supplied at least ``after_days`` into the history (a new start)."""
    first = min(s.start for s in ctx.by_ingredient[ing])
    return (first - min(s.dispensed for s in ctx.supplies)).days >= after_days


def _course_stopped(ctx: Context, ing: str, when: dict[str, Any]) -> bool:
    """``min_fills`` dispensings, the last one more than ``not_dispensed_for_days`` ago (if set)."""
    fills = ctx.by_ingredient[ing]
    if len({s.row for s in fills}) < when.get("min_fills", 0):
        return False
    gap = when.get("not_dispensed_for_days")
    return gap is None or (ctx.review_date - max(s.dispensed for s in fills)).days > gap


def _crosses(value: float, item: dict[str, Any]) -> bool:
    return (
        ("lt" in item and value < item["lt"])
        or ("gt" in item and value > item["gt"])
        or ("ge" in item and value >= item["ge"])
        or ("le" in item and value <= item["le"])
    )


def _any_measure(ctx: Context, items: list[dict[str, Any]]) -> tuple[bool, list[str]]:
    """Whether any listed measurement crosses its limit (or a listed condition is coded)."""
    gaps: list[str] = []
    for item in items:
        if "conditions" in item:
            if ctx.has(item["conditions"]):
                return True, []
            continue
        if "falls" in item:
            if ctx.patient.falls_last_year >= item["falls"]:
                return True, []
            continue
        if item.get("sex") and ctx.patient.sex != item["sex"]:
            if ctx.patient.sex is None:
                gaps.append("sex")
            continue
        value = ctx.measure(item["lab"])
        if value is None:
            gaps.append(item["lab"])
        elif _crosses(value, item):
            return True, []
    return False, gaps


def _measured(ctx: Context, when: dict[str, Any]) -> tuple[bool | None, list[str]]:
    """True/False when the measurements the rule reads decide it; None (and what is missing) if not."""
    missing: list[str] = []
    if ("egfr_below" in when or "egfr_at_least" in when) and ctx.egfr is None:
        missing.append("egfr")
    groups = ([when["measure_any"]] if "measure_any" in when else []) + when.get("measure_all", [])
    for group in groups:  # every group must hold; within a group, any item
        hit, gaps = _any_measure(ctx, group)
        if not hit and not gaps:
            return False, []
        missing += [] if hit else gaps
    vaccine = when.get("vaccine_missing")
    if vaccine is not None:
        if ctx.patient.vaccinations is None:
            missing.append("vaccinations")
        elif any(_covers(ctx, v, vaccine) for v in ctx.patient.vaccinations):
            return False, []
    for name, days in (when.get("measured_before") or {}).items():
        on = ctx.measured_on(name)
        if on is None:
            missing.append(name)
        elif (ctx.review_date - on).days <= days:
            return False, []  # monitored recently enough
    return (None if missing else True), sorted(set(missing))


def _covers(ctx: Context, v: Any, want: dict[str, Any]) -> bool:
    """A record of the wanted vaccine, given within ``within_days`` of the review date if set."""
    if v.vaccine != want["vaccine"]:
        return False
    days = want.get("within_days")
    return days is None or (v.date is not None and (ctx.review_date - v.date).days <= days)


def _assessed(ctx: Context, rule: dict[str, Any], category: str, drugs: list[str]) -> bool:
    ok, missing = _measured(ctx, rule.get("when", {}))
    if ok is None:
        ctx.not_assessable.append(
            {
                "category": category,
                "criterion": rule["id"],
                "text": rule["text"],
                "drugs": drugs,
                "missing": [MISSING_KO.get(m, m) for m in missing],
                "status": "not assessable",
            }
        )
    return bool(ok)


def _triggers(ctx: Context, plan: Plan) -> dict[str, Periods]:
    """Triggering ingredients and the periods in which the rule holds for each."""
    when = plan.when
    taken = ctx.taken
    found = (plan.drugs & taken) - plan.exempt_drugs
    out: dict[str, Periods] = {}
    for ing in found:
        if plan.min_days and ctx.longest_run(ing) < plan.min_days:
            continue
        if plan.started_after is not None and not _new_start(ctx, ing, plan.started_after):
            continue
        if (plan.min_fills or plan.stopped_for is not None) and not _course_stopped(ctx, ing, when):
            continue
        if ing in plan.dose_above or plan.filters_supplies:
            periods = [(s.start, s.end) for s in ctx.by_ingredient[ing] if _selected(s, when)]
        else:
            periods = ctx.periods(ing)
        floor = plan.dose_min.get(ing)
        if floor is not None:
            periods = [
                (s.start, s.end) for s in ctx.by_ingredient[ing] if (s.mg_per_day or 0) >= floor
            ]
        for members in plan.partners:
            partners = (members & taken) - {ing}
            periods = intersect(periods, all_periods(ctx, partners))
        if plan.exempt_with is not None:
            cover = all_periods(ctx, (plan.exempt_with & taken) - {ing})
            if cover and intersect(periods, cover):
                continue
        if periods:
            out[ing] = periods
    return out


def _with_local_supplies(ctx: Context, when: dict[str, Any]) -> Context | None:
    """A view in which local forms count too, for a criterion about a local product (a plaster)."""
    if not ctx.kb.members(when["drugs_any"]) & set(ctx.all_by_ingredient):
        return None
    return dataclasses.replace(
        ctx,
        by_ingredient=ctx.all_by_ingredient,
        _match_cache={},
        _has_cache={},
        _period_cache={},
        _memo={},
    )


def evaluate(ctx: Context, rule: dict[str, Any], category: str, source: str) -> list[Finding]:
    return _evaluate(ctx, plan_of(rule, ctx.kb), category, source)


def _evaluate(ctx: Context, plan: Plan, category: str, source: str) -> list[Finding]:
    rule, when = plan.rule, plan.when
    if plan.local:
        view = _with_local_supplies(ctx, when)
        if view is None:
            return []
        ctx = view
    if plan.names_drugs and not plan.drugs & ctx.taken:
        return []  # the cheap test first: most rules name drugs the patient does not take
    if plan.names_drugs and not plan.same_class:
        for names in plan.partners:
            if not names & ctx.taken:
                return []  # no partner taken: _triggers would find nothing (and note nothing)
    for test, value in plan.tests:
        if not test(ctx, value):
            return []
    if plan.same_class:
        return _same_class(ctx, rule, category, source)
    if not plan.names_drugs:  # an omission (START): the patient condition alone triggers
        if plan.measures and not _assessed(ctx, rule, category, []):
            return []
        found = ctx.has(when.get("conditions_any", []))
        return [_make(ctx, rule, category, source, [], evidence([], conditions=found))]
    triggers = _triggers(ctx, plan)
    if not triggers or (plan.measures and not _assessed(ctx, rule, category, sorted(triggers))):
        return []
    if plan.concurrent_min:
        n, members, day = most_concurrent(triggers)
        if n < plan.concurrent_min:
            return []
        ev = evidence(
            supplies_for(ctx, members),
            all_periods(ctx, members),
            concurrent=n,
            on=day.isoformat() if day else None,
        )
        return [_make(ctx, rule, category, source, sorted(members), ev)]
    partners: set[str] = set()
    for names in plan.partners:
        partners |= names
    drugs = set(triggers) | (partners & ctx.taken)
    periods = [p for ps in triggers.values() for p in ps]
    used = [s for s in supplies_for(ctx, drugs) if _touches(s, periods)]
    codes: list[str] | None = ctx.has(when.get("conditions_any", [])) or None
    return [
        _make(ctx, rule, category, source, sorted(drugs), evidence(used, periods, conditions=codes))
    ]


def _looks_like_switch(ctx: Context, a: str, b: str) -> bool:
    """One prescriber, and the older drug was never dispensed again once the newer one started."""
    sa, sb = ctx.by_ingredient[a], ctx.by_ingredient[b]
    if len({s.prescriber for s in (*sa, *sb)}) > 1:
        return False
    old, new = (
        (sa, sb) if min(s.dispensed for s in sa) <= min(s.dispensed for s in sb) else (sb, sa)
    )
    return max(s.dispensed for s in old) <= min(s.dispensed for s in new)


def _duplicated(ctx: Context, members: frozenset[str], when: dict[str, Any]) -> frozenset[str]:
    """Members that overlap another member for at least ``overlap_min_days``, switches excepted."""
    pairs = [(a, b) for a in sorted(members) for b in sorted(members) if a < b]
    out: set[str] = set()
    for a, b in pairs:
        days = sum((e - s).days + 1 for s, e in intersect(ctx.periods(a), ctx.periods(b)))
        if days >= when.get("overlap_min_days", 1) and not (
            when.get("except_switches") and _looks_like_switch(ctx, a, b)
        ):
            out |= {a, b}
    return frozenset(out)


def _class_specs(kb: KnowledgeBase) -> dict[str, dict[str, Any]]:
    """One drug spec per class, kept, so the knowledge base's member cache finds it by identity."""
    return {}


def _same_class(ctx: Context, rule: dict[str, Any], category: str, source: str) -> list[Finding]:
    out = []
    known = ctx.kb.derived(_class_specs)
    least = rule["when"].get("concurrent_min", 2)
    for cls in rule["when"]["same_class_any"]:
        members = ctx.matching(known.setdefault(cls, {"classes": [cls]}))
        if len(members) < least and least >= 1:
            continue  # fewer members taken than the rule needs at once: nothing to find
        if "overlap_min_days" in rule["when"] or "except_switches" in rule["when"]:
            members = _duplicated(ctx, members, rule["when"])
        n, active, _ = ctx.max_concurrent(members)
        if n >= least:
            ev = evidence(supplies_for(ctx, active), all_periods(ctx, active), drug_class=cls)
            out.append(_make(ctx, rule, category, source, sorted(active), ev))
    return out


def _make(
    ctx: Context,
    rule: dict[str, Any],
    category: str,
    source: str,
    drugs: list[str],
    ev: dict[str, Any],
) -> Finding:
    if rule.get("source"):
        source, where = rule["source"], ""
    else:
        where = rule.get("table") or rule.get("section") or ""
    title = _title(rule["text"])
    if drugs:
        title = f"{names_ko(ctx, drugs)}: {title}"
    return finding(
        category,
        rule["severity"],
        drugs,
        title[:120],
        f"{source} — {where}".strip(" —"),
        rule["id"],
        rule["text"],
        rule["action"],
        rule["prescriber_note"],
        ev,
    )


@functools.lru_cache(maxsize=1024)  # one per criterion text
def _title(text: str) -> str:
    """A criterion's first sentence without its parenthesised asides."""
    return re.sub(r"\(.*?\)", "", text).split(". ")[0].rstrip(".")


def run(
    ctx: Context, rules: list[dict[str, Any]], category: str, source: str, age_min: int | None
) -> list[Finding]:
    """Every rule in order; rules naming only drugs the patient does not take, or only conditions
    the patient does not have, are skipped unread (``evaluate`` would return nothing for them and
    note nothing: its first tests are that drug list and ``conditions_any``)."""
    if age_min is not None and ctx.age is not None and ctx.age < age_min:
        return []
    index = index_of(ctx.kb, rules)
    todo = set(index.always)
    for ing in ctx.by_ingredient:
        todo.update(index.by_ingredient.get(ing, ()))
    todo -= index.gated - index.conditions_met(ctx)
    return [f for i in sorted(todo) for f in _evaluate(ctx, index.plans[i], category, source)]
