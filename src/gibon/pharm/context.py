"""Everything the checks read about one patient: supplies per ingredient, age, kidney function."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar, cast

from gibon.pharm import kidney
from gibon.pharm.knowledge import KnowledgeBase, products
from gibon.pharm.knowledge.names import split_combination
from gibon.pharm.schemas import Patient, ReviewInput
from gibon.pharm.timeline import Supply, merge_periods, overlap, supplies_of

T = TypeVar("T")
RUN_GAP_DAYS = 7  # a refill up to a week late still counts as continuous use


@dataclass
class UnknownDrug:
    row: int
    name: str
    suggestions: list[str]


@dataclass
class Context:
    kb: KnowledgeBase
    patient: Patient
    review_date: date
    age: int | None
    supplies: list[Supply]
    by_ingredient: dict[str, list[Supply]]
    unknown: list[UnknownDrug]
    egfr: float | None
    crcl: float | None
    # Every supply, local ones included (eye drops, nasal sprays, creams, NSAID plasters): the DUR
    # lists match them by route; all other checks read only ``by_ingredient`` (systemic supplies).
    all_by_ingredient: dict[str, list[Supply]] = field(default_factory=dict)
    # Criteria whose drug and condition part holds but whose measurement is missing: reported in the
    # review's ``not_assessable`` list, never as a finding and never dropped silently.
    not_assessable: list[dict[str, Any]] = field(default_factory=list)
    _match_cache: dict[str, frozenset[str]] = field(default_factory=dict)
    _has_cache: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    _period_cache: dict[str, list[tuple[date, date]]] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)
    # not an __init__ field, so dataclasses.replace (a view with local forms) starts it afresh
    _taken: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    def memo(self, key: str, build: Callable[[Context], T]) -> T:
        """``build(self)`` once per patient: figures several checks and the metrics all read."""
        if key not in self._memo:
            self._memo[key] = build(self)
        return cast(T, self._memo[key])

    @property
    def ingredients(self) -> list[str]:
        return sorted(self.by_ingredient)

    def matching(self, spec: dict[str, Any] | None) -> frozenset[str]:
        """Ingredients taken this year that satisfy a drug spec {classes, drugs, acb_min, exclude}."""
        if not spec:
            return frozenset()
        return self.kb.members(spec) & self.taken

    @property
    def taken(self) -> frozenset[str]:
        """The ingredients in ``by_ingredient``, as a set."""
        if self._taken is None:
            self._taken = frozenset(self.by_ingredient)
        return self._taken

    def periods(self, ing: str) -> list[tuple[date, date]]:
        """The merged days ``ing`` was supplied (a fresh list: callers may change it)."""
        if ing not in self._period_cache:
            self._period_cache[ing] = merge_periods(
                [(s.start, s.end) for s in self.by_ingredient.get(ing, [])]
            )
        return list(self._period_cache[ing])

    def exposure_days(self, ing: str) -> int:
        return sum((e - s).days + 1 for s, e in self.periods(ing))

    def longest_run(self, ing: str, gap_days: int = RUN_GAP_DAYS) -> int:
        """Longest continuous use in days; gaps up to ``gap_days`` (late refills) do not break it."""
        best, run_start, run_end = 0, None, None
        for s, e in self.periods(ing):
            if run_end is not None and run_start is not None and (s - run_end).days <= gap_days + 1:
                run_end = max(run_end, e)
            else:
                run_start, run_end = s, e
            best = max(best, (run_end - run_start).days + 1)
        return best

    def overlaps(self, a: str, b: str) -> list[tuple[date, date, Supply, Supply]]:
        out = []
        for sa in self.by_ingredient.get(a, []):
            for sb in self.by_ingredient.get(b, []):
                o = overlap(sa, sb)
                if o:
                    out.append((o[0], o[1], sa, sb))
        return out

    def max_concurrent(self, ings: frozenset[str]) -> tuple[int, set[str], date | None]:
        """Largest number of distinct ingredients from ``ings`` supplied on the same day."""
        return most_concurrent({ing: self.periods(ing) for ing in ings})

    def measure(self, name: str, max_age_days: int = 365) -> float | None:
        """A lab value or vital sign measured within ``max_age_days`` of the review date."""
        m = self.patient.measurement(name)
        if m is None:
            return None
        if m.date is not None and (self.review_date - m.date).days > max_age_days:
            return None
        return m.value

    def measured_on(self, name: str) -> date | None:
        m = self.patient.measurement(name)
        if m is None:
            return None
        return m.date or self.review_date

    def has(self, prefixes: list[str] | tuple[str, ...]) -> list[str]:
        """The patient's condition codes under any of ``prefixes`` (I48 matches I48.0)."""
        if not self.patient.conditions or not prefixes:
            return []
        key = tuple(prefixes)
        if key not in self._has_cache:
            self._has_cache[key] = self.patient.has_condition(
                tuple(p.replace(".", "") for p in key)
            )
        return self._has_cache[key]


def acb_score(kb: KnowledgeBase, ing: str) -> tuple[int, str]:
    b = kb.criteria["burden"]
    if ing in b["acb"]:
        return int(b["acb"][ing]), "listed"
    if ing in b["acb_class_based"]:
        return int(b["acb_class_based"][ing]), "class-based"
    return 0, "not listed"


LOCAL_ROUTES = frozenset({"topical", "eye_drops", "nasal_spray"})


def is_systemic(kb: KnowledgeBase, s: Supply) -> bool:
    """A patch is systemic only for drugs made as patches to act systemically (fentanyl, rivastigmine)."""
    if s.route in LOCAL_ROUTES:
        return False
    if s.route == "transdermal":
        drug = kb.drug(s.ingredient)
        return drug is not None and drug.form == "transdermal"
    return True


def read_name(
    kb: KnowledgeBase, drug: str, drug_ko: str | None = None, atc: str | None = None
) -> list[tuple[str, str | None]]:
    """Each component of a dispensed name (a product is read as its ingredients) and the
    ingredient it resolves to, or None; a single name falls back to the Korean name, then ATC."""
    product = None if kb.resolve(drug) else products.ingredients(drug)
    parts = split_combination(product or drug)
    out: list[tuple[str, str | None]] = []
    for part in parts:
        name = kb.resolve(part)
        if name is None and drug_ko and len(parts) == 1:
            name = kb.resolve(drug_ko)
        if name is None and atc and len(parts) == 1:
            name = kb.by_atc(atc)
        out.append((part, name))
    return out


NAME_READS_MAX = 50_000  # distinct dispensed names remembered per knowledge base


def read_row(
    kb: KnowledgeBase, drug: str, drug_ko: str | None, atc: str | None
) -> tuple[tuple[str, str | None, str | None], ...]:
    """``read_name`` with each known part's DUR variant, remembered per knowledge base: a year of
    dispensings repeats the same few names, and the knowledge base does not change under it."""
    key = (drug, drug_ko, atc)
    hit: tuple[tuple[str, str | None, str | None], ...] | None = kb.name_reads.get(key)
    if hit is None:
        hit = tuple(
            (part, name, None if name is None else kb.variant(part))
            for part, name in read_name(kb, drug, drug_ko, atc)
        )
        if len(kb.name_reads) >= NAME_READS_MAX:
            kb.name_reads.clear()
        kb.name_reads[key] = hit
    return hit


def build(review: ReviewInput, kb: KnowledgeBase) -> Context:
    rows, unknown = [], []
    for i, d in enumerate(review.dispensings):
        hit = kb.name_reads.get((d.drug, d.drug_ko, d.atc))  # read_row's memory, looked at first
        parts = read_row(kb, d.drug, d.drug_ko, d.atc) if hit is None else hit
        if len(parts) == 1 and parts[0][1] is not None:  # one known ingredient: most rows
            rows.append((i, d, [parts[0][1]], [parts[0][2]]))
            continue
        known: list[str] = []
        variants: list[str | None] = []
        for part, name, variant in parts:
            if name is None:
                unknown.append(UnknownDrug(i + 1, part, kb.suggest(part)))
            else:
                known.append(name)
                variants.append(variant)
        rows.append((i, d, known, variants))
    every = supplies_of(rows, kb)
    supplies = [s for s in every if s.route == "oral" or is_systemic(kb, s)]
    by_ing: dict[str, list[Supply]] = defaultdict(list)
    all_by_ing: dict[str, list[Supply]] = defaultdict(list)
    for s in supplies:
        by_ing[s.ingredient].append(s)
    for s in every:
        all_by_ing[s.ingredient].append(s)
    p, when = review.patient, review.review_date
    if when is None:
        raise ValueError("review_date must be set by gibon.pharm.inputs before review")
    age = p.age_on(when)
    egfr = crcl = None
    if p.scr_mg_dl and age is not None and p.sex:
        egfr = kidney.egfr_ckd_epi_2021(p.scr_mg_dl, age, p.sex == "F")
        if p.weight_kg:
            crcl = kidney.crcl_cockcroft_gault(p.scr_mg_dl, age, p.weight_kg, p.sex == "F")
    return Context(kb, p, when, age, supplies, dict(by_ing), unknown, egfr, crcl, dict(all_by_ing))


def most_concurrent(
    periods: dict[str, list[tuple[date, date]]],
) -> tuple[int, set[str], date | None]:
    """Most ingredients active on one day over the given periods, which ones, and the first day."""
    events = [
        (day, delta, ing)
        for ing, spans in periods.items()
        for s, e in spans
        for day, delta in ((s, 1), (e + timedelta(days=1), -1))
    ]
    events.sort(key=lambda x: (x[0], x[1]))
    active: dict[str, int] = defaultdict(int)
    best: tuple[int, set[str], date | None] = (0, set(), None)
    for day, delta, ing in events:
        active[ing] += delta  # overlapping spans of one ingredient count it once
        if active[ing] == 0:
            del active[ing]
        if len(active) > best[0]:
            best = (len(active), set(active), day)
    return best
