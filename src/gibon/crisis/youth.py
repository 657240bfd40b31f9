"""Young one-person households: the youth programs the benefits engine finds, the dong's 작은
1인가구지원센터, and the UCLA 3-item loneliness screen. Pure except ``programs`` (engine call).

The screen: Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT. "A Short Scale for Measuring Loneliness
in Large Surveys". Research on Aging 26(6):655–672, 2004 (doi:10.1177/0164027504268574) — three
items from the R-UCLA scale, each answered 1 (hardly ever) to 3 (often), summed to 3–9. No
validated Korean version of the three-item form was found: the 2024 review of Korean loneliness and
isolation instruments (Korean J Geriatr Gerontol 2024;25:13-21, Table 1) lists only the 20-item
Korean R-UCLA (김옥수, 1997, J Korean Acad Nurs 27(4):871-879, doi:10.4040/jnas.1997.27.4.871), the
6-item De Jong Gierveld and the Lubben scale. The wording below renders the three R-UCLA items
(companionship, left out, isolated) as gibon's team phrased them, and every page says so (see
docs/crisis.md): a conversation aid at contact, not a validated instrument or a diagnosis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl
import yaml

from gibon import benefits
from gibon.crisis import indicators
from gibon.errors import InvalidInput

UCLA_ITEMS = (
    "함께 어울릴 사람이 없다고 느끼는 때가 얼마나 자주 있습니까?",
    "다른 사람들에게서 소외되었다고 느끼는 때가 얼마나 자주 있습니까?",
    "다른 사람들과 단절되어 홀로 있다고 느끼는 때가 얼마나 자주 있습니까?",
)
UCLA_ANSWERS = {1: "거의 없다", 2: "가끔 있다", 3: "자주 있다"}
UCLA_CITATION = (
    "Hughes 외 (2004) Research on Aging 26(6):655–672, UCLA 외로움 척도 3문항. "
    "한국어 3문항판은 타당도 검증을 거치지 않았습니다(한국판 R-UCLA 20문항, 김옥수 1997의 "
    "해당 문항을 gibon이 옮김)"
)
LONELY_FROM = 6  # a common cut in studies using the 3-item scale (estimate; not a diagnosis)
YOUNG = (
    19,
    39,
)  # 청년기본법 제3조: 19–34세; the district's 청년 1인가구 view extends to 39 (estimate)
PROGRAMS = ("youth_rent_molit", "youth_rent_seoul", "youth_allowance_seoul", "housing_benefit")


def ucla_score(answers: list[int]) -> int:
    """The sum of the three answers (3–9); refuses anything else, naming the item."""
    if len(answers) != len(UCLA_ITEMS):
        raise InvalidInput("세 문항 모두 답해야 합니다", where="loneliness", example="[1, 2, 1]")
    for i, a in enumerate(answers, start=1):
        if a not in UCLA_ANSWERS:
            raise InvalidInput(
                f"{i}번 문항의 답은 1–3이어야 합니다", where=f"q{i}", example="1 (거의 없다)"
            )
    return sum(answers)


def ucla_band(score: int) -> str:
    return "외로움 높음 — 관계망 연계 권함" if score >= LONELY_FROM else "외로움 낮음"


@dataclass(frozen=True)
class Centre:
    dong: str
    name: str
    place: str
    address: str | None
    programs: tuple[str, ...]
    programs_sourced: bool
    services: str
    source: str


@lru_cache(maxsize=1)
def _centres() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(
        (indicators.DATA / "single_centres.yaml").read_text(encoding="utf-8")
    )
    return raw


def centre(dong: str) -> Centre | None:
    data = _centres()
    row = data["centres"].get(dong)
    if row is None:
        return None
    return Centre(
        dong=dong,
        name=f"관악형 작은 1인가구지원센터 ({dong})",
        place=str(row["place"]),
        address=row.get("address"),
        programs=tuple(row.get("programs") or ()),
        programs_sourced=row.get("programs_status") == "sourced",
        services=str(data["meta"]["services"]),
        source=str(data["meta"]["source"]),
    )


def is_young_single(living_alone: bool, head_age: int) -> bool:
    return living_alone and YOUNG[0] <= head_age <= YOUNG[1]


@dataclass(frozen=True)
class YouthProgram:
    id: str
    name: str
    state: str  # eligible | undetermined | not_eligible
    state_label: str
    monthly_amount: int
    reference: str
    note: str


STATE = {"eligible": "받을 수 있음", "undetermined": "판단 보류 (자료 부족)",
         "not_eligible": "조건에 맞지 않음"}  # fmt: skip


def programs(hh: pl.DataFrame, ps: pl.DataFrame, month: str) -> list[YouthProgram]:
    """What the engine finds for this household among the youth programs and 주거급여."""
    if hh.height == 0:
        return []
    (result,) = benefits.service.explain_households(hh, ps, month)
    out = []
    for p in result["programs"]:
        if p["id"] not in PROGRAMS:
            continue
        state = (
            "undetermined"
            if not p["determined"]
            else "eligible"
            if p["eligible"]
            else "not_eligible"
        )
        notes = [str(s["value"]) for s in p["explanation"] if s.get("label") == "참고"]
        out.append(
            YouthProgram(
                id=p["id"],
                name=p["name_ko"],
                state=state,
                state_label=STATE[state],
                monthly_amount=int(p["amount"]) if state == "eligible" else 0,
                reference=(p["references"] or [""])[0],
                note=notes[0] if notes and state == "undetermined" else "",
            )
        )
    out.sort(key=lambda y: PROGRAMS.index(y.id))
    return out


def split_payment_note(head_age: int, living_alone: bool, day: dt.date) -> str:
    """청년 주거급여 분리지급: read the age bounds from the benefit parameters; the parents'
    household, which gibon does not hold, decides it."""
    tree = benefits.default_system().parameters
    low = int(tree.leaf("housing_benefit.youth_split_payment_age.min").at(day).value or 19)
    high = int(
        tree.leaf("housing_benefit.youth_split_payment_age.max_exclusive").at(day).value or 30
    )
    if not (living_alone and low <= head_age < high):
        return ""
    return (
        f"청년 주거급여 분리지급: 만 {low}세 이상 {high}세 미만 미혼 청년이 부모와 따로 살고 "
        "부모 가구가 주거급여 수급가구이면 따로 받을 수 있습니다. 부모 가구 자료가 없어 "
        "확인이 필요합니다 (주거급여법 시행령·주거급여 사업안내)."
    )
