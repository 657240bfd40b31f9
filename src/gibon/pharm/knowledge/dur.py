"""The MFDS DUR lists, read once from src/gibon/data/pharm/kr_dur into plain records.

Source: 식품의약품안전처 고시 「의약품 병용금기 성분 등의 지정에 관한 규정」 and 공고 「의약품 적정사용을
위한 주의 정보의 공고」 (DUR ingredient lists, snapshot 2026-02-10; see kr_dur/SOURCE.md).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from gibon.pharm.knowledge.names import split_combination

CITATION = "식약처 DUR 성분정보(2026-02-10) — 「의약품 병용금기 성분 등의 지정에 관한 규정」 / 「의약품 적정사용을 위한 주의 정보의 공고」"
_ORAL = (
    "정",
    "캡슐",
    "시럽",
    "과립",
    "산제",
    "액제",
    "현탁",
    "트로키",
    "필름",
    "츄어블",
    "저작",
    "캅셀",
    "환",
)
_ROUTES = {
    "injection": ("주사",),
    "nasal_spray": ("점비", "비강"),
    "transdermal": ("경피", "패취", "패치"),
    "topical": ("외용", "크림", "연고", "겔", "라카", "로션"),
    "eye_drops": ("점안",),
    "inhaled": ("흡입",),
    "rectal": ("좌제", "관장"),
}


_WINDOW = re.compile(r"(\d+)\s*(시간|주|일)\s*이내")


@dataclass(frozen=True)
class Pair:
    sn: int
    side1: tuple[str, ...]
    side2: tuple[str, ...]
    reason: str
    remark: str
    routes1: frozenset[str]
    routes2: frozenset[str]

    @cached_property
    def ingredients(self) -> frozenset[str]:
        """Every ingredient either side names: the pair can apply only to someone taking all."""
        return frozenset(self.side1 + self.side2)

    @cached_property
    def window_days(self) -> int:
        """'48시간 이내 병용금기' / '1주 이내': contraindicated within that time of each other."""
        m = _WINDOW.search(self.remark)
        if not m:
            return 0
        n = int(m.group(1))
        return -(-n // 24) if m.group(2) == "시간" else n * 7 if m.group(2) == "주" else n


@dataclass(frozen=True)
class Entry:
    sn: int
    ingredients: tuple[str, ...]
    name_ko: str
    routes: frozenset[str]
    value: str = ""
    detail: str = ""


def routes(forms_ko: str) -> frozenset[str]:
    """Route classes named by a DUR dosage-form text; empty text means every route."""
    if not forms_ko.strip():
        return frozenset()
    found = {r for r, words in _ROUTES.items() if any(w in forms_ko for w in words)}
    stripped = forms_ko
    for words in _ROUTES.values():
        for w in words:
            stripped = stripped.replace(w, "")
    if any(w in stripped for w in _ORAL):
        found.add("oral")
    return frozenset(found)


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _side(text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    route = frozenset({"injection"}) if "주사" in text else frozenset()
    return tuple(split_combination(text)), route


def pairs(folder: Path) -> list[Pair]:
    out = []
    for r in _rows(folder, "contraindicated_combination_병용금기.csv"):
        s1, r1 = _side(r["ingredient_1"])
        s2, r2 = _side(r["ingredient_2"])
        out.append(Pair(int(r["sn"]), s1, s2, r["reason_ko"], r["remark_ko"], r1, r2))
    return out


def simple(folder: Path, name: str, value_col: str = "", detail_col: str = "") -> list[Entry]:
    out = []
    for r in _rows(folder, name):
        en = r.get("ingredient_en") or r.get("ingredient") or ""
        forms = r.get("dosage_forms_ko", "")
        out.append(
            Entry(
                int(r["sn"]),
                tuple(split_combination(en)),
                r.get("ingredient_ko", ""),
                routes(forms.split("/")[0]),
                r.get(value_col, ""),
                r.get(detail_col, ""),
            )
        )
    return out


def max_daily_mg(text: str) -> list[tuple[str, float]]:
    """'글리메피리드 8mg/메트포르민염산염 2,000mg' -> [(ko name, mg), ...]; µg converted to mg."""
    out = []
    for part in re.split(r"/|또는", text):
        m = re.search(r"([^\d]*?)\s*([\d,]+(?:\.\d+)?)\s*(mg|㎎|g|㎍|μg|µg|mcg)", part)
        if m:
            value = float(m.group(2).replace(",", ""))
            unit = m.group(3)
            value = (
                value * 1000
                if unit == "g"
                else value / 1000
                if unit in ("㎍", "μg", "µg", "mcg")
                else value
            )
            out.append((m.group(1).strip(), value))
            if "또는" in text:
                break  # the first form named is the base; salts after 또는 are alternatives
    return out
