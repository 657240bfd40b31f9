"""Properties of the review engine over generated histories (Hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gibon.pharm import inputs
from gibon.pharm.findings import SEVERITIES
from gibon.pharm.knowledge import kb
from gibon.pharm.review import review

REVIEW = date(2026, 3, 1)
DRUGS = sorted(kb().drugs)
SIGS = [
    "1정 1일 1회",
    "1정 1일 2회 아침·저녁 식후",
    "2정 1일 3회",
    "필요시 1정",
    "1회 4정 주 1회 월요일",
    "반정 1일 1회 취침 전",
]

dispensing = st.fixed_dictionaries(
    {
        "date": st.integers(0, 364).map(lambda d: (REVIEW - timedelta(days=d)).isoformat()),
        "drug": st.sampled_from(DRUGS),
        "strength": st.sampled_from(["5 mg", "10 mg", "100 mg", "500 mg", "0.25 mg"]),
        "sig": st.sampled_from(SIGS),
        "days_supply": st.integers(1, 120),
        "prescriber": st.sampled_from(["가의원", "나의원", "다의원"]),
        "pharmacy": st.sampled_from(["가약국", "나약국"]),
    }
)
patient = st.fixed_dictionaries(
    {
        "age": st.integers(40, 100),
        "sex": st.sampled_from(["M", "F"]),
        "weight_kg": st.one_of(st.none(), st.floats(35, 120)),
        "scr_mg_dl": st.one_of(st.none(), st.floats(0.4, 6)),
        "conditions": st.lists(
            st.sampled_from(["I10", "E11", "I48", "F03", "N18.4", "M81", "I50", "J44"]), max_size=4
        ),
        "falls_last_year": st.integers(0, 3),
    }
)


def _doc(p: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"patient": p, "review_date": REVIEW.isoformat(), "dispensings": rows}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patient, st.lists(dispensing, min_size=1, max_size=25))
def test_any_history_is_reviewed_into_well_formed_findings(
    p: dict[str, Any], rows: list[dict[str, Any]]
) -> None:
    rv = review(inputs.from_data(_doc(p, rows)))
    taken = set(rv.ctx.all_by_ingredient)
    for f in rv.findings:
        assert f.severity in SEVERITIES and f.criterion["id"] and f.criterion["source"] and f.action
        assert set(f.drugs) <= taken or f.category == "unknown_drug"
    assert 0 <= rv.priority["score"] <= 100
    assert all(0 <= v <= 1 for v in rv.metrics["pdc"].values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patient, st.lists(dispensing, min_size=1, max_size=15), dispensing)
def test_another_clinic_adding_a_drug_never_hides_a_dur_contraindication(
    p: dict[str, Any], rows: list[dict[str, Any]], extra: dict[str, Any]
) -> None:
    def pairs(rs: list[dict[str, Any]]) -> set[frozenset[str]]:
        found = review(inputs.from_data(_doc(p, rs))).findings
        return {frozenset(f.drugs) for f in found if f.category == "dur_contraindicated"}

    assert pairs(rows) <= pairs([*rows, {**extra, "prescriber": "새의원"}])
