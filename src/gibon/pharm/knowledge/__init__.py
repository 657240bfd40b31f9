"""The knowledge base: cited data files loaded once into lookup tables (pure, no I/O after load)."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from gibon.pharm.knowledge import dur
from gibon.pharm.knowledge.names import SYNONYMS, norm, split_combination, strip_salt, strip_salt_ko

T = TypeVar("T")
DATA = Path(str(resources.files("gibon") / "data" / "pharm"))


@dataclass(frozen=True)
class Drug:
    name: str
    ko: str
    atc: str
    chronic: bool = True
    form: str = "oral"
    classes: frozenset[str] = frozenset()


@dataclass
class KnowledgeBase:
    drugs: dict[str, Drug]
    classes: dict[str, dict[str, Any]]
    ko_index: dict[str, str]
    known: list[str]
    pairs: list[dur.Pair]
    pair_index: dict[str, list[dur.Pair]]
    age: dict[str, list[dur.Entry]]
    pregnancy: dict[str, list[dur.Entry]]
    duplication: list[tuple[str, str, tuple[str, ...]]]
    dose_limits: dict[str, list[tuple[float, dur.Entry]]]
    dose_combo: dict[frozenset[str], list[tuple[str, float, dur.Entry]]]
    duration: dict[str, list[dur.Entry]]
    elderly: dict[str, list[dur.Entry]]
    criteria: dict[str, Any] = field(default_factory=dict)

    def drug(self, name: str) -> Drug | None:
        return self.drugs.get(name)

    def ko(self, name: str) -> str:
        """Korean name: ours, else the one the MFDS lists use, else the English name."""
        d = self.drugs.get(name)
        return d.ko if d else self._ko_names.get(name, name)

    def in_class(self, name: str, cls: str) -> bool:
        d = self.drugs.get(name)
        return d is not None and cls in d.classes

    def resolve(self, name: str) -> str | None:
        """Canonical ingredient for one component name, or None when unknown."""
        if name not in self._resolved:
            n = norm(name)
            n = SYNONYMS.get(n, n)
            s = strip_salt(n)
            s = SYNONYMS.get(s, s)
            # The bare moiety wins when it is a known ingredient (diclofenac potassium -> diclofenac);
            # the salted name is kept only when the moiety alone is unknown (potassium chloride).
            found = (
                s
                if s in self._drug_names
                else n
                if n in self._known_set
                else s
                if s in self._known_set
                else None
            )
            self._resolved[name] = found or self.ko_index.get(strip_salt_ko(name.strip()))
        return self._resolved[name]

    def by_atc(self, atc: str) -> str | None:
        """The ingredient with exactly this 7-character ATC code, if gibon knows exactly one."""
        code = atc.strip().upper()
        found = [d.name for d in self.drugs.values() if d.atc == code and len(code) == 7]
        return found[0] if len(found) == 1 else None

    def variant(self, name: str) -> str | None:
        """The salt-specific DUR name written in the input (diclofenac potassium), if DUR lists it."""
        n = norm(name)
        return n if n in self._known_set and n != self.resolve(name) else None

    def members(self, spec: dict[str, Any]) -> frozenset[str]:
        """Every known ingredient that fits a drug spec {classes, drugs, acb_min, exclude} (cached)."""
        hit = self._by_id.get(id(spec))
        if (
            hit is not None and hit[0] is spec
        ):  # the entry keeps spec alive, so its id is not reused
            return hit[1]
        key = repr(sorted(spec.items()))
        if key not in self._members:
            self._members[key] = frozenset(n for n in self.known if self._fits(n, spec))
        self._by_id[id(spec)] = (spec, self._members[key])
        return self._members[key]

    def _fits(self, ing: str, spec: dict[str, Any]) -> bool:
        if ing in spec.get("exclude", ()):
            return False
        if ing in spec.get("drugs", ()):
            return True
        if any(self.in_class(ing, c) for c in spec.get("classes", ())):
            return True
        acb_min = spec.get("acb_min")
        burden = self.criteria["burden"]
        score = burden["acb"].get(ing) or burden["acb_class_based"].get(ing) or 0
        return acb_min is not None and score >= acb_min

    def derived(self, build: Callable[[KnowledgeBase], T]) -> T:
        """``build(self)``, computed once per knowledge base: the checks' own indexes of it."""
        if build not in self._derived:
            self._derived[build] = build(self)
        return cast(T, self._derived[build])

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Closest known names; a Korean name is matched against the Korean names."""
        if re.search(r"[가-힣]", name):
            close = difflib.get_close_matches(
                strip_salt_ko(name.strip()), list(self.ko_index), n=n, cutoff=0.5
            )
            return [f"{self.ko_index[k]} ({k})" for k in close]
        return difflib.get_close_matches(strip_salt(norm(name)), self.known, n=n, cutoff=0.6)

    def __post_init__(self) -> None:
        self._known_set = frozenset(self.known)
        self._drug_names = frozenset(self.drugs)
        self._ko_names = {en: ko for ko, en in self.ko_index.items()}
        self._resolved: dict[str, str | None] = {}
        self._members: dict[str, frozenset[str]] = {}
        self._by_id: dict[int, tuple[dict[str, Any], frozenset[str]]] = {}
        # dispensed name (+ Korean name, ATC) -> its parts read (gibon.pharm.context.read_row)
        self.name_reads: dict[tuple[str, str | None, str | None], Any] = {}
        self._derived: dict[Callable[[KnowledgeBase], Any], Any] = {}


def _yaml(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def _class_members(classes: dict[str, dict[str, Any]], name: str, atc: str) -> frozenset[str]:
    out = set()
    for cls, spec in classes.items():
        if name in spec.get("drugs", ()) or (
            any(atc.startswith(p) for p in spec.get("atc", ()))
            and not any(atc.startswith(p) for p in spec.get("exclude_atc", ()))
        ):
            out.add(cls)
    return frozenset(out)


def _by_ingredient(entries: list[dur.Entry]) -> dict[str, list[dur.Entry]]:
    out: dict[str, list[dur.Entry]] = defaultdict(list)
    for e in entries:
        if len(e.ingredients) == 1:
            out[e.ingredients[0]].append(e)
    return dict(out)


def _dose_combo(
    entries: list[dur.Entry], drugs: dict[str, Drug]
) -> dict[frozenset[str], list[tuple[str, float, dur.Entry]]]:
    """Limits of combination products, per ingredient in the order the MFDS text names them."""
    out: dict[frozenset[str], list[tuple[str, float, dur.Entry]]] = {}
    for e in entries:
        limits = dur.max_daily_mg(e.value)
        if len(e.ingredients) > 1 and len(limits) == len(e.ingredients):
            names = [_canon(i, drugs) for i in e.ingredients]
            rows = [(n, mg, e) for n, (_, mg) in zip(names, limits, strict=True)]
            out.setdefault(frozenset(names), []).extend(rows)
    return out


def _dose_limits(entries: list[dur.Entry]) -> dict[str, list[tuple[float, dur.Entry]]]:
    out: dict[str, list[tuple[float, dur.Entry]]] = defaultdict(list)
    for e in entries:
        limits = dur.max_daily_mg(e.value)
        if len(e.ingredients) == 1 and limits:
            out[e.ingredients[0]].append((limits[0][1], e))
    return dict(out)


def _canon(name: str, drugs: dict[str, Drug]) -> str:
    """DUR interaction/duplication names by moiety: 'amlodipine besylate' -> 'amlodipine'."""
    base = strip_salt(name)
    return base if base in drugs else name


def _canon_pair(p: dur.Pair, drugs: dict[str, Drug]) -> dur.Pair:
    side1 = tuple(_canon(i, drugs) for i in p.side1)
    side2 = tuple(_canon(i, drugs) for i in p.side2)
    return dur.Pair(p.sn, side1, side2, p.reason, p.remark, p.routes1, p.routes2)


@cache
def kb() -> KnowledgeBase:
    """Load every table once; later calls reuse it."""
    classes = _yaml("classes.yaml")["classes"]
    drugs = {}
    for d in _yaml("drugs.yaml")["drugs"]:
        drugs[d["name"]] = Drug(
            d["name"],
            d["ko"],
            d["atc"],
            d.get("chronic", True),
            d.get("form", "oral"),
            _class_members(classes, d["name"], d["atc"]),
        )
    folder = DATA / "kr_dur"
    pairs = [_canon_pair(p, drugs) for p in dur.pairs(folder)]
    pair_index: dict[str, list[dur.Pair]] = defaultdict(list)
    for p in pairs:
        for ing in {*p.side1, *p.side2}:
            pair_index[ing].append(p)
    age = dur.simple(folder, "age_contraindication_연령금기.csv", "age", "age_condition")
    preg = dur.simple(folder, "pregnancy_contraindication_임부금기.csv", "grade", "detail_ko")
    dose = dur.simple(folder, "dose_caution_용량주의.csv", "max_daily_dose_ko")
    duration = dur.simple(folder, "duration_caution_투여기간주의.csv", "max_days")
    elderly = dur.simple(folder, "elderly_caution_노인주의.csv", "remark_ko")
    dup = [
        (r["group_code"], r["efficacy_group_ko"], tuple(split_combination(r["ingredient_en"])))
        for r in dur._rows(folder, "therapeutic_duplication_효능군중복.csv")
    ]
    known = set(drugs)
    for p in pairs:
        known.update(p.side1 + p.side2)
    for entries in (age, preg, dose, duration, elderly):
        for e in entries:
            known.update(e.ingredients)
    known.update(i for _, _, ings in dup for i in ings)
    ko_index = {d.ko: d.name for d in drugs.values()}
    for e in (*dose, *duration, *elderly):
        if len(e.ingredients) == 1 and e.name_ko and "," not in e.name_ko:
            ko_index.setdefault(e.name_ko, e.ingredients[0])
    criteria = {n: _yaml(f"{n}.yaml") for n in CRITERIA_FILES}
    return KnowledgeBase(
        drugs,
        classes,
        ko_index,
        sorted(k for k in known if len(k) > 2),
        pairs,
        dict(pair_index),
        _by_ingredient(age),
        _by_ingredient(preg),
        dup,
        _dose_limits(dose),
        _dose_combo(dose, drugs),
        _by_ingredient(duration),
        _by_ingredient(elderly),
        criteria,
    )


CRITERIA_FILES = (
    "beers",
    "stopp_start",
    "interactions",
    "renal",
    "cascades",
    "burden",
    "dose_rules",
    "mrci_ko",
    "fall_risk",
)
