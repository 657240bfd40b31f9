"""Lab values and vital signs: JSON, CSV `# key=value` lines and FHIR Observations, each validated."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gibon.errors import InvalidInput
from gibon.pharm import inputs


def _load(patient: dict[str, Any]) -> Any:
    return inputs.from_data({"patient": patient, "review_date": "2026-03-01", "dispensings": []})


def test_a_lab_value_is_read_as_a_number_or_a_value_with_its_date() -> None:
    p = _load(
        {
            "age": 80,
            "labs": {
                "potassium_mmol_l": 5.8,
                "sodium_mmol_l": {"value": 131, "date": "2026-02-01"},
            },
            "vitals": {"heart_rate_bpm": 48},
        }
    ).patient
    assert p.measurement("potassium_mmol_l").value == 5.8  # type: ignore[union-attr]
    assert p.measurement("sodium_mmol_l").date == date(2026, 2, 1)  # type: ignore[union-attr]
    assert p.measurement("heart_rate_bpm").value == 48  # type: ignore[union-attr]
    assert p.measurement("qtc_ms") is None


def test_csv_header_lines_carry_labs_and_vitals_with_an_optional_date() -> None:
    text = (
        "# age=81\n# review_date=2026-03-01\n# potassium_mmol_l=5.9@2026-02-10\n# systolic_bp_mmhg=168\n"
        "date,drug,days_supply\n2026-02-01,losartan,30\n"
    )
    p = inputs.from_csv(text).patient
    k = p.measurement("potassium_mmol_l")
    assert k is not None and k.value == 5.9 and k.date == date(2026, 2, 10)
    assert p.vitals.systolic_bp_mmhg is not None and p.vitals.systolic_bp_mmhg.value == 168


@pytest.mark.parametrize(
    ("labs", "words"),
    [
        ({"potasium_mmol_l": 5.0}, "unknown field 'potasium_mmol_l'"),
        ({"potassium_mmol_l": 55}, "potassium_mmol_l = 55 is outside 1-10 mmol/L"),
        ({"sodium_mmol_l": "low"}, "sodium_mmol_l: not a number"),
    ],
)
def test_a_bad_lab_value_is_an_error_naming_the_field_with_an_example(
    labs: dict[str, Any], words: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        _load({"age": 80, "labs": labs})
    assert words in str(err.value)
    assert "patient.labs" in err.value.where  # type: ignore[operator]
    assert "potassium_mmol_l" in (err.value.example or "")


def test_a_measurement_dated_after_the_review_date_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        _load({"age": 80, "vitals": {"heart_rate_bpm": {"value": 60, "date": "2026-04-01"}}})
    assert err.value.where == "patient.vitals.heart_rate_bpm.date"


def test_fhir_observations_are_read_by_loinc_code_and_calcium_in_mg_dl_is_converted() -> None:
    def obs(code: str, value: float, unit: str, when: str) -> dict[str, Any]:
        return {
            "resource": {
                "resourceType": "Observation",
                "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
                "valueQuantity": {"value": value, "unit": unit},
                "effectiveDateTime": when,
            }
        }

    bundle = {
        "resourceType": "Bundle",
        "timestamp": "2026-03-01T09:00:00Z",
        "entry": [
            {
                "resource": {
                    "resourceType": "Patient",
                    "birthDate": "1944-05-01",
                    "gender": "female",
                }
            },
            obs("2823-3", 4.1, "mmol/L", "2025-11-01"),
            obs("2823-3", 5.7, "mmol/L", "2026-02-01"),
            obs("17861-6", 11.2, "mg/dL", "2026-02-01"),
            obs("8867-4", 52, "/min", "2026-02-20"),
        ],
    }
    p = inputs.from_data(bundle).patient
    assert p.labs.potassium_mmol_l is not None and p.labs.potassium_mmol_l.value == 5.7
    assert p.labs.calcium_mmol_l is not None and p.labs.calcium_mmol_l.value == pytest.approx(2.794)
    assert p.vitals.heart_rate_bpm is not None and p.vitals.heart_rate_bpm.date == date(2026, 2, 20)


def test_assessments_carry_ejection_fraction_nyha_class_and_frailty() -> None:
    p = _load(
        {"age": 84, "lvef_pct": 35, "assessments": {"nyha_class": 3, "clinical_frailty_scale": 6}}
    ).patient
    assert p.measurement("lvef_pct").value == 35  # type: ignore[union-attr]
    assert p.measurement("nyha_class").value == 3  # type: ignore[union-attr]
    with pytest.raises(InvalidInput) as err:
        _load({"age": 84, "assessments": {"nyha_class": 5}})
    assert "nyha_class = 5 is outside 1-4" in str(err.value)


def test_vitamin_d_ferritin_and_pain_are_read_from_fhir_loinc_codes() -> None:
    def obs(code: str, value: float) -> dict[str, Any]:
        return {
            "resource": {
                "resourceType": "Observation",
                "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
                "valueQuantity": {"value": value},
                "effectiveDateTime": "2026-02-01",
            }
        }

    bundle = {
        "resourceType": "Bundle",
        "timestamp": "2026-03-01T09:00:00Z",
        "entry": [
            {"resource": {"resourceType": "Patient", "birthDate": "1944-05-01", "gender": "male"}},
            obs("1989-3", 14),
            obs("2276-4", 88),
            obs("72514-3", 2),
            obs("10230-1", 35),
        ],
    }
    p = inputs.from_data(bundle).patient
    assert p.measurement("vitamin_d_ng_ml").value == 14  # type: ignore[union-attr]
    assert p.measurement("ferritin_ng_ml").value == 88  # type: ignore[union-attr]
    assert p.measurement("pain_nrs").value == 2  # type: ignore[union-attr]
    assert p.measurement("lvef_pct").value == 35  # type: ignore[union-attr]
