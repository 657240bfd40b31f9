"""A criterion whose measurement is missing is listed as not assessable: not a finding, not dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gibon.pharm import inputs, report
from gibon.pharm.review import Review, review


def _review(patient: dict[str, Any], *drugs: tuple[str, str]) -> Review:
    dispensings = [
        {"date": "2026-01-05", "drug": d, "strength": s, "sig": "1정 1일 1회", "days_supply": 60}
        for d, s in drugs
    ]
    data = {"patient": patient, "review_date": "2026-03-01", "dispensings": dispensings}
    return review(inputs.from_data(data))


def _criteria(rv: Review) -> set[str]:
    return {f.criterion["id"] for f in rv.findings}


def test_a_beta_blocker_without_a_heart_rate_is_listed_not_assessable_and_not_reported() -> None:
    rv = _review({"age": 81, "sex": "M", "conditions": ["I10"]}, ("bisoprolol", "2.5 mg"))
    listed = {n["criterion"]: n for n in rv.to_dict()["not_assessable"]}
    assert "STOPP B4" in listed and "STOPP B4" not in _criteria(rv)
    assert listed["STOPP B4"]["drugs"] == ["bisoprolol"]
    assert listed["STOPP B4"]["missing"] == ["심박수 (vitals.heart_rate_bpm)"]
    assert listed["STOPP B4"]["status"] == "not assessable"


def test_the_measurement_decides_the_criterion_once_it_is_given() -> None:
    slow = _review(
        {"age": 81, "sex": "M", "vitals": {"heart_rate_bpm": 44}}, ("bisoprolol", "2.5 mg")
    )
    normal = _review(
        {"age": 81, "sex": "M", "vitals": {"heart_rate_bpm": 70}}, ("bisoprolol", "2.5 mg")
    )
    assert "STOPP B4" in _criteria(slow)
    assert "STOPP B4" not in _criteria(normal)
    for rv in (slow, normal):
        assert "STOPP B4" not in {n["criterion"] for n in rv.not_assessable}


def test_a_coded_condition_decides_without_the_measurement() -> None:
    rv = _review({"age": 81, "sex": "M", "conditions": ["I44.2"]}, ("bisoprolol", "2.5 mg"))
    assert "STOPP B4" in _criteria(rv)
    assert "STOPP B4" not in {n["criterion"] for n in rv.not_assessable}


def test_a_measurement_older_than_a_year_is_not_used() -> None:
    old = {"potassium_mmol_l": {"value": 6.1, "date": "2024-12-01"}}
    rv = _review({"age": 79, "sex": "F", "labs": old}, ("losartan", "50 mg"))
    assert "STOPP B12" not in _criteria(rv)
    assert "STOPP B12" in {n["criterion"] for n in rv.not_assessable}


def test_no_drug_no_entry_the_list_names_only_criteria_whose_drug_part_holds() -> None:
    rv = _review({"age": 79, "sex": "F"}, ("amlodipine", "5 mg"))
    assert not {n["criterion"] for n in rv.not_assessable} & {"STOPP B4", "STOPP B12", "STOPP E4"}


def test_the_pharmacist_report_lists_what_could_not_be_assessed() -> None:
    rv = _review({"age": 81, "sex": "M"}, ("bisoprolol", "2.5 mg"))
    page = report.html(rv, "pharmacist")
    assert "검사값이 없어 평가하지 못한 기준" in page
    assert "vitals.heart_rate_bpm" in page


def test_across_every_case_a_criterion_is_never_both_a_finding_and_not_assessable() -> None:
    import yaml

    for path in sorted((Path(__file__).parent / "cases").glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = {k: case[k] for k in ("patient", "review_date", "dispensings")}
        rv = review(inputs.from_data(data))
        listed = {n["criterion"] for n in rv.not_assessable}
        assert not listed & _criteria(rv), path.name
        for n in rv.not_assessable:
            assert n["missing"] and n["text"], (path.name, n["criterion"])


def test_heart_failure_without_an_ejection_fraction_leaves_the_hfref_omissions_undecided() -> None:
    rv = _review({"age": 80, "sex": "M", "conditions": ["I50.9"]}, ("furosemide", "20 mg"))
    listed = {n["criterion"]: n for n in rv.not_assessable}
    assert {"START B5", "START B6"} <= set(listed)
    assert listed["START B5"]["missing"] == ["좌심실 박출률(LVEF) (assessments.lvef_pct)"]
    assert not {"START B5", "START B6"} & _criteria(rv)
