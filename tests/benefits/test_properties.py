"""Hypothesis properties of the engine over random households."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import gibon.benefits as benefits

won = st.integers(min_value=0, max_value=6_000_000)
birth = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2026, 6, 30))


@st.composite
def members(draw: Any) -> list[dict[str, Any]]:
    n = draw(st.integers(min_value=1, max_value=5))
    out = []
    for i in range(n):
        relation = (
            "head" if i == 0 else draw(st.sampled_from(["spouse", "child", "parent", "other"]))
        )
        out.append(
            {
                "id": f"m{i}",
                "relation": relation,
                "birth_date": draw(birth).isoformat(),
                "sex": draw(st.sampled_from(["F", "M"])),
                "disability": draw(st.sampled_from(["none", "none", "mild", "severe"])),
                "student": draw(st.booleans()),
                "earned_income": draw(won),
                "pension_income": draw(st.sampled_from([0, 0, 300000, 900000])),
                "other_income": draw(st.sampled_from([0, 0, 200000])),
                "assets": {
                    "housing": draw(st.sampled_from([0, 0, 150_000_000])),
                    "financial": draw(st.sampled_from([0, 3_000_000, 30_000_000])),
                    "car": draw(st.sampled_from([0, 0, 5_000_000])),
                    "debt": 0,
                },
                "ltc_grade": draw(st.sampled_from([None, None, 2, "cognitive"])),
            }
        )
    return out


@st.composite
def households(draw: Any) -> dict[str, Any]:
    tenure = draw(st.sampled_from(["owner", "jeonse", "monthly_rent", "public_rental", "free"]))
    return {
        "housing": {
            "tenure": tenure,
            "deposit": draw(st.sampled_from([0, 10_000_000, 150_000_000])),
            "monthly_rent": draw(st.sampled_from([0, 250_000, 700_000])),
        },
        "members": draw(members()),
        "crisis": draw(st.booleans()),
    }


def outcome(h: dict[str, Any]) -> dict[str, tuple[bool, int, bool]]:
    r = benefits.calculate(h, "2026-06", explain=False)
    return {p["id"]: (p["eligible"], p["amount"], p["determined"]) for p in r["programs"]}


@settings(max_examples=60, deadline=None)
@given(households())
def test_no_amount_is_ever_negative(h: dict[str, Any]) -> None:
    assert all(amount >= 0 for _, amount, _ in outcome(h).values())


@settings(max_examples=60, deadline=None)
@given(households(), st.integers(min_value=1, max_value=3_000_000), st.data())
def test_more_earned_income_never_raises_the_livelihood_benefit(
    h: dict[str, Any], extra: int, data: Any
) -> None:
    who = data.draw(st.integers(min_value=0, max_value=len(h["members"]) - 1))
    richer = {**h, "members": [dict(m) for m in h["members"]]}
    richer["members"][who]["earned_income"] += extra
    before, after = outcome(h)["livelihood"], outcome(richer)["livelihood"]
    if before[2] and after[2]:
        assert after[1] <= before[1]


@settings(max_examples=60, deadline=None)
@given(households(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_members(h: dict[str, Any], rnd: Any) -> None:
    shuffled = {**h, "members": list(h["members"])}
    rnd.shuffle(shuffled["members"])
    assert outcome(shuffled) == outcome(h)


@settings(max_examples=40, deadline=None)
@given(households())
def test_an_undetermined_program_reports_neither_eligibility_nor_money(h: dict[str, Any]) -> None:
    for eligible, amount, determined in outcome(h).values():
        assert determined or (not eligible and amount == 0)
