"""Expert-style cases written from the criteria: every expected finding found, no listed false alarm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from gibon.pharm import inputs
from gibon.pharm.findings import Finding
from gibon.pharm.review import review

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _matches(f: Finding, want: dict[str, Any]) -> bool:
    return (
        f.category == want["category"]
        and set(want.get("drugs", ())) <= set(f.drugs)
        and want.get("severity", f.severity) == f.severity
        and f.criterion["id"].startswith(want.get("criterion", ""))
    )


def test_there_are_at_least_thirty_cases_each_tracing_its_criterion() -> None:
    assert len(CASES) >= 30
    for path in CASES:
        case = _load(path)
        assert case["criteria"] and case["title"], path.name
        assert case.get("expect") or case.get("absent") or case.get("not_assessable"), path.name


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_finds_every_expected_finding_and_no_listed_false_alarm(path: Path) -> None:
    case = _load(path)
    data = {k: case[k] for k in ("patient", "review_date", "dispensings")}
    rv = review(inputs.from_data(data))
    found = rv.findings
    shown = [(f.category, f.severity, f.drugs, f.criterion["id"]) for f in found]
    for want in case.get("expect", []):
        assert any(_matches(f, want) for f in found), f"missing {want}; found {shown}"
    for unwanted in case.get("absent", []):
        assert not any(_matches(f, unwanted) for f in found), (
            f"false alarm {unwanted}; found {shown}"
        )
    listed = {n["criterion"]: n for n in rv.not_assessable}
    for want in case.get("not_assessable", []):
        entry = listed.get(want["criterion"])
        assert entry is not None, f"not listed as not assessable: {want}; listed {sorted(listed)}"
        assert set(want.get("drugs", ())) <= set(entry["drugs"]), (want, entry)
        assert not any(f.criterion["id"] == want["criterion"] for f in found), (
            f"{want['criterion']} is both not assessable and a finding"
        )
