"""Korean product names (products.yaml) and the drug search over products and ingredients."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml

from gibon.pharm.knowledge import DATA, kb

_STRENGTH = re.compile(r"\d.*$")


@dataclass(frozen=True)
class Match:
    """One search hit: what to write in the row (drug, drug_ko) and how to show it."""

    drug: str  # English ingredient name(s), "a + b" for a combination
    drug_ko: str  # product name, or the Korean ingredient name
    kind: str  # 제품 / 성분
    label: str


@cache
def table() -> dict[str, str]:
    """Product base name (no form, no strength) -> ingredients."""
    data = yaml.safe_load((DATA / "products.yaml").read_text(encoding="utf-8"))
    return {p["name"]: p["ingredients"] for p in data["products"]}


def _key(name: str) -> str:
    return _STRENGTH.sub("", "".join(name.split()))


def ingredients(name: str) -> str | None:
    """The ingredients of a product name as typed ("노바스크정 5mg" -> "amlodipine"), else None."""
    key = _key(name)
    if not re.search(r"[가-힣]", key):
        return None
    hits = [p for p in table() if key.startswith(p) or (p.startswith(key) and len(key) >= 3)]
    return table()[max(hits, key=len)] if hits else None


def search(query: str, limit: int = 15) -> list[Match]:
    """Products by Korean name, ingredients by Korean or English name; prefix hits first."""
    q = "".join(query.split()).lower()
    if not q:
        return []
    found: list[tuple[int, Match]] = []
    knowledge = kb()
    for product, ings in table().items():
        names = [i.strip() for i in ings.split("+")]
        kos = " + ".join(knowledge.ko(i) for i in names)
        by_ingredient = [_rank(q, n) for i in names for n in (knowledge.ko(i), i.replace(" ", ""))]
        ranks = [_rank(q, product.lower())] + [r + 2 for r in by_ingredient if r is not None]
        rank = min((r for r in ranks if r is not None), default=None)
        if rank is not None:
            found.append((rank, Match(ings, product, "제품", f"{product} ({kos})")))
    for drug in knowledge.drugs.values():
        rank = min(
            (r for r in (_rank(q, drug.ko), _rank(q, drug.name.replace(" ", ""))) if r is not None),
            default=None,
        )
        if rank is not None:
            found.append((rank, Match(drug.name, drug.ko, "성분", f"{drug.ko} ({drug.name})")))
    found.sort(key=lambda x: (x[0], x[1].label))
    return [m for _, m in found[:limit]]


def _rank(query: str, name: str) -> int | None:
    if name.startswith(query):
        return 0
    return 1 if query in name else None
