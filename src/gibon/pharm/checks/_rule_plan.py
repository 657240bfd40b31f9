"""The criteria interpreter's compiled form: each rule's ``when`` block read once into a plan,
and per rule list an index of which rules a patient's drugs and conditions can make fire."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from gibon.pharm.context import Context
from gibon.pharm.knowledge import KnowledgeBase


def _has_any(ctx: Context, v: Any) -> bool:
    return not v or bool(ctx.has(v))


def _has_all(ctx: Context, v: Any) -> bool:
    # an item of conditions_all is one code or a list of alternatives (E11 and any of N18/R80)
    return all(ctx.has(c if isinstance(c, list) else [c]) for c in v)


def _age_at_most(ctx: Context, v: Any) -> bool:
    return v is None or ctx.age is None or ctx.age <= v


def _age_at_least(ctx: Context, v: Any) -> bool:
    return v is None or (ctx.age is not None and ctx.age >= v)


# an unknown eGFR is not a "no": _measured reports the rule as not assessable
def _egfr_below(ctx: Context, v: Any) -> bool:
    return v is None or ctx.egfr is None or ctx.egfr < v


def _egfr_at_least(ctx: Context, v: Any) -> bool:
    return v is None or ctx.egfr is None or ctx.egfr >= v


def _crcl_below(ctx: Context, v: Any) -> bool:
    return v is None or (ctx.crcl is not None and ctx.crcl < v)


def _fall_history(ctx: Context, v: Any) -> bool:
    return v is None or bool(ctx.patient.falls_last_year or ctx.has(v))


# The patient part of a rule's ``when``: one test per key, each true when the patient qualifies.
PATIENT_TESTS: dict[str, Callable[[Context, Any], bool]] = {
    "conditions_any": _has_any,
    "conditions_all": _has_all,
    "conditions_none": lambda ctx, v: not (v and ctx.has(v)),
    "sex": lambda ctx, v: not v or ctx.patient.sex == v,
    "falls": lambda ctx, v: not v or ctx.patient.falls_last_year >= 1,
    "falls_min": lambda ctx, v: ctx.patient.falls_last_year >= v,
    "age_max": _age_at_most,
    "age_min": _age_at_least,
    "egfr_below": _egfr_below,
    "egfr_at_least": _egfr_at_least,
    "crcl_below": _crcl_below,
    "fall_history": _fall_history,
    "exempt_when": lambda ctx, v: not any(_exempt(ctx, e) for e in v),
    "without_any": lambda ctx, v: not (v and ctx.matching(v)),
}
_COMPILED: dict[int, tuple[dict[str, Any], list[tuple[Callable[[Context, Any], bool], Any]]]] = {}


def patient_tests(when: dict[str, Any]) -> list[tuple[Callable[[Context, Any], bool], Any]]:
    """The tests a ``when`` block's keys name, with their values, worked out once per block
    (keyed by id; the entry keeps the block alive, so the id is not reused)."""
    if not when:
        return []  # a rule without ``when`` (a fresh {} each time: not worth remembering)
    hit = _COMPILED.get(id(when))
    if hit is None or hit[0] is not when:
        tests = [(PATIENT_TESTS[k], v) for k, v in when.items() if k in PATIENT_TESTS]
        hit = _COMPILED[id(when)] = (when, tests)
    return hit[1]


def _exempt(ctx: Context, exemption: dict[str, Any]) -> bool:
    """A stated exception: the patient has one of the conditions (and takes one of the drugs)."""
    if not ctx.has(exemption["conditions_any"]):
        return False
    return "drugs" not in exemption or bool(ctx.matching(exemption["drugs"]))


SUPPLY_FILTERS = frozenset({"release", "scheduled", "not_if_text"})  # keys rules._selected reads


@dataclasses.dataclass(frozen=True)
class Plan:
    """A rule's ``when`` block read once into what ``evaluate`` asks of it, so a patient's
    evaluation does not look each key up again (about twenty rules a patient, a million a screen)."""

    rule: dict[str, Any]
    kb: KnowledgeBase
    when: dict[str, Any]
    local: bool
    names_drugs: bool  # "drugs_any" in when (a START omission names none)
    drugs: frozenset[str]  # every ingredient drugs_any names (ctx.matching is these & taken)
    tests: tuple[tuple[Callable[[Context, Any], bool], Any], ...]
    same_class: bool
    partners: tuple[frozenset[str], ...]  # the ingredients of with_any, then of each with_all
    exempt_drugs: frozenset[str]
    min_days: int | None
    started_after: int | None
    min_fills: int
    stopped_for: int | None
    dose_above: dict[str, float]
    filters_supplies: bool  # release, scheduled or not_if_text: every supply is selected
    dose_min: dict[str, float]
    exempt_with: frozenset[str] | None
    concurrent_min: int | None
    measures: bool  # reads a measurement, vaccination or eGFR: may be not assessable


MEASURE_KEYS = frozenset(
    {
        "egfr_below",
        "egfr_at_least",
        "measure_any",
        "measure_all",
        "vaccine_missing",
        "measured_before",
    }
)
# keyed by id(rule), id(kb); the plan keeps both alive, so the ids are not reused
PLANS: dict[tuple[int, int], Plan] = {}


def _members(kb: KnowledgeBase, spec: dict[str, Any] | None) -> frozenset[str]:
    """What ``Context.matching`` intersects with the ingredients taken."""
    return kb.members(spec) if spec else frozenset()


def plan_of(rule: dict[str, Any], kb: KnowledgeBase) -> Plan:
    hit = PLANS.get((id(rule), id(kb)))
    if hit is not None and hit.rule is rule and hit.kb is kb:
        return hit
    when = rule.get("when", {})
    partners = ([when["with_any"]] if "with_any" in when else []) + list(when.get("with_all", ()))
    plan = Plan(
        rule,
        kb,
        when,
        bool(when.get("local")),
        "drugs_any" in when,
        _members(kb, when.get("drugs_any")),
        tuple(patient_tests(when)),
        "same_class_any" in when,
        tuple(_members(kb, spec) for spec in partners),
        frozenset(when.get("exempt_drugs", ())),
        when.get("min_days") or None,
        when.get("started_after_days"),
        when.get("min_fills", 0),
        when.get("not_dispensed_for_days"),
        when.get("dose_above") or {},
        bool(SUPPLY_FILTERS & set(when)),
        when.get("dose_min") or {},
        _members(kb, when["exempt_with_any"]) if "exempt_with_any" in when else None,
        when.get("concurrent_min") or None,
        bool(MEASURE_KEYS & set(when)),
    )
    PLANS[(id(rule), id(kb))] = plan
    return plan


@dataclasses.dataclass(frozen=True)
class RuleIndex:
    """Which rules can fire for a patient: a rule naming drugs fires only if one of them is taken,
    and a rule naming conditions (``conditions_any``) only if the patient has one of them."""

    # rules without a drug list, or about local forms: evaluated for everyone
    always: frozenset[int]
    by_ingredient: dict[str, tuple[int, ...]]
    # rules with ``conditions_any``, and those rules by each condition prefix (dots removed)
    gated: frozenset[int]
    by_prefix: dict[str, tuple[int, ...]]
    # condition code as written -> the gated rules it meets, worked out once per code
    by_code: dict[str, frozenset[int]] = dataclasses.field(default_factory=dict)
    plans: tuple[Plan, ...] = ()  # each rule's plan, in list order

    def conditions_met(self, ctx: Context) -> set[int]:
        """The gated rules whose condition list the patient meets (a code starts with a prefix)."""
        out: set[int] = set()
        for c in ctx.patient.conditions:
            hit = self.by_code.get(c.code)
            if hit is None:
                hit = self.by_code[c.code] = self._met_by(c.code)
            out |= hit
        return out

    def _met_by(self, written: str) -> frozenset[int]:
        code = written.replace(".", "")
        return frozenset(
            i for k in range(1, len(code) + 1) for i in self.by_prefix.get(code[:k], ())
        )


# keyed by id(rules); the entry keeps the rule list and knowledge base alive, so ids are not reused
INDEXES: dict[tuple[int, int], tuple[list[dict[str, Any]], KnowledgeBase, RuleIndex]] = {}


def index_of(kb: KnowledgeBase, rules: list[dict[str, Any]]) -> RuleIndex:
    hit = INDEXES.get((id(rules), id(kb)))
    if hit is not None and hit[0] is rules and hit[1] is kb:
        return hit[2]
    always: set[int] = set()
    by_ing: dict[str, list[int]] = {}
    by_prefix: dict[str, list[int]] = {}
    for i, rule in enumerate(rules):
        when = rule.get("when", {})
        for prefix in dict.fromkeys(p.replace(".", "") for p in when.get("conditions_any") or ()):
            by_prefix.setdefault(prefix, []).append(i)
        if "drugs_any" not in when or when.get("local"):
            always.add(i)
            continue
        for ing in kb.members(when["drugs_any"]):
            by_ing.setdefault(ing, []).append(i)
    index = RuleIndex(
        frozenset(always),
        {k: tuple(v) for k, v in by_ing.items()},
        frozenset(i for i, r in enumerate(rules) if r.get("when", {}).get("conditions_any")),
        {k: tuple(v) for k, v in by_prefix.items()},
        plans=tuple(plan_of(rule, kb) for rule in rules),
    )
    INDEXES[(id(rules), id(kb))] = (rules, kb, index)
    return index
