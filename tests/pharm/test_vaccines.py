"""Vaccination records for START v3 section L: read from JSON, CSV and FHIR; unknown != none."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gibon.errors import InvalidInput
from gibon.pharm import inputs
from gibon.pharm.review import review

START_L = {"START L1", "START L2", "START L3", "START L4"}


def _data(patient: dict[str, Any]) -> dict[str, Any]:
    dispensing = {
        "date": "2026-01-05",
        "drug": "amlodipine",
        "sig": "1정 1일 1회",
        "days_supply": 60,
    }
    return {"patient": patient, "review_date": "2026-03-01", "dispensings": [dispensing]}


def test_no_record_leaves_the_vaccine_criteria_not_assessable_an_empty_one_reports_them() -> None:
    unknown = review(inputs.from_data(_data({"age": 77})))
    none_given = review(inputs.from_data(_data({"age": 77, "vaccinations": []})))
    assert {n["criterion"] for n in unknown.not_assessable} >= START_L
    assert not START_L & {f.criterion["id"] for f in unknown.findings}
    assert {f.criterion["id"] for f in none_given.findings} >= START_L


def test_korean_and_abbreviated_names_and_the_csv_form_are_understood() -> None:
    p = inputs.from_data(
        _data({"age": 77, "vaccinations": "독감@2025-10-01; PPSV23; 대상포진"})
    ).patient
    assert [(v.vaccine, v.date) for v in p.vaccinations or []] == [
        ("influenza", date(2025, 10, 1)),
        ("pneumococcal", None),
        ("zoster", None),
    ]


def test_an_unknown_vaccine_or_a_future_date_is_an_error_naming_the_record() -> None:
    with pytest.raises(InvalidInput) as err:
        inputs.from_data(_data({"age": 77, "vaccinations": [{"vaccine": "hepatitis"}]}))
    assert err.value.where == "patient.vaccinations.0.vaccine"
    assert "influenza" in (err.value.example or "")
    with pytest.raises(InvalidInput) as err:
        inputs.from_data(_data({"age": 77, "vaccinations": "influenza@2026-05-01"}))
    assert err.value.where == "patient.vaccinations[0].date"


def test_fhir_immunizations_are_read_by_cvx_code_or_name() -> None:
    def imm(code: str, text: str, when: str, status: str = "completed") -> dict[str, Any]:
        return {
            "resource": {
                "resourceType": "Immunization",
                "status": status,
                "vaccineCode": {
                    "text": text,
                    "coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": code}],
                },
                "occurrenceDateTime": when,
            }
        }

    bundle = {
        "resourceType": "Bundle",
        "timestamp": "2026-03-01T09:00:00Z",
        "entry": [
            {
                "resource": {
                    "resourceType": "Patient",
                    "birthDate": "1948-02-01",
                    "gender": "female",
                }
            },
            imm("197", "Influenza, high-dose", "2025-10-10"),
            imm("999", "대상포진 재조합 백신", "2024-04-01"),
            imm("43", "Hepatitis B", "2020-01-01"),
            imm("208", "COVID-19 mRNA", "2025-10-10", status="not-done"),
        ],
    }
    p = inputs.from_data(bundle).patient
    assert sorted(v.vaccine for v in p.vaccinations or []) == ["influenza", "zoster"]
