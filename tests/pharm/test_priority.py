"""The priority score explains itself and moves the right way."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gibon.pharm import inputs, priority
from gibon.pharm.context import build
from gibon.pharm.findings import Finding
from gibon.pharm.knowledge import kb

CTX = build(
    inputs.from_data(
        {"patient": {"age": 70, "sex": "F"}, "review_date": "2026-03-01", "dispensings": []}
    ),
    kb(),
)


def _finding(category: str, severity: str) -> Finding:
    return Finding(category, severity, [], "t", {"id": "x", "source": "s", "text": "t"}, "a", "n")


findings = st.lists(
    st.tuples(
        st.sampled_from(["dur_contraindicated", "beers", "renal", "adherence"]),
        st.sampled_from(["high", "moderate", "low"]),
    ),
    max_size=30,
)


@given(findings)
def test_drivers_add_up_to_the_points_behind_the_score(items: list[tuple[str, str]]) -> None:
    p = priority.score(CTX, [_finding(c, s) for c, s in items], 3, 1)
    assert sum(d["points"] for d in p["drivers"]) == p["raw_points"]
    assert 0 <= p["score"] < 100


@given(findings, st.sampled_from(["dur_duplication", "interaction", "stopp"]))
def test_one_more_high_finding_never_lowers_the_score(
    items: list[tuple[str, str]], extra: str
) -> None:
    base = [_finding(c, s) for c, s in items]
    assert (
        priority.score(CTX, [*base, _finding(extra, "high")], 3, 1)["score"]
        >= priority.score(CTX, base, 3, 1)["score"]
    )
