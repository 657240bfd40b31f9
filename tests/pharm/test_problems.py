"""One problem named by several criteria is shown with one severity, and says whose."""

from __future__ import annotations

from datetime import date, timedelta

from gibon.pharm import inputs
from gibon.pharm.findings import SEVERITIES
from gibon.pharm.review import review

DAY = date(2026, 12, 1)


def _fills(drug: str, n: int = 11) -> list[dict[str, object]]:
    return [
        {"date": (DAY - timedelta(days=330 - 30 * i)).isoformat(), "drug": drug, "days_supply": 30}
        for i in range(n)
    ]


def test_criteria_that_name_the_same_problem_agree_on_its_severity_and_say_which_they_follow() -> (
    None
):
    data = {"patient": {"age": 80, "sex": "F"}, "review_date": DAY.isoformat()}
    data["dispensings"] = _fills("amitriptyline") + _fills("oxybutynin")
    found = review(inputs.from_data(data)).findings
    pair = [f for f in found if f.criterion["id"] in ("STOPP M1", "beers-t5-anticholinergic-2plus")]
    assert len(pair) == 2 and {f.severity for f in pair} == {"high"}
    assert all("STOPP M1의 '높음'" in f.evidence["severity_basis"] for f in pair)


def test_every_combination_finding_names_each_drug_in_its_title() -> None:
    data = {"patient": {"age": 80, "sex": "F"}, "review_date": DAY.isoformat()}
    data["dispensings"] = _fills("zolpidem") + _fills("alprazolam") + _fills("trazodone")
    found = review(inputs.from_data(data)).findings
    cns = next(f for f in found if f.criterion["id"] == "ix-cns-3plus")
    assert cns.drugs == ["alprazolam", "trazodone", "zolpidem"]
    assert all(name in cns.title for name in ("알프라졸람", "트라조돈", "졸피뎀"))
    assert cns.severity in SEVERITIES and cns.evidence["dispensings"]
