"""Reading JSON, CSV and FHIR R4 input; bad input names its row and field, never a silent drop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gibon.errors import InvalidInput
from gibon.pharm import inputs
from gibon.pharm.review import review

ROW = {
    "date": "2026-01-05",
    "drug": "amlodipine",
    "strength": "5 mg",
    "sig": "1정 1일 1회",
    "days_supply": 30,
}


def _doc(*rows: dict[str, object], **patient: object) -> dict[str, object]:
    return {
        "patient": {"age": 80, "sex": "F", **patient},
        "review_date": "2026-03-01",
        "dispensings": list(rows),
    }


def test_an_impossible_date_names_the_row_and_field() -> None:
    with pytest.raises(InvalidInput) as exc:
        inputs.from_data(_doc(ROW, {**ROW, "date": "2026-02-30"}))
    assert exc.value.where == "dispensings[1].date"


def test_a_negative_quantity_names_the_row_and_field() -> None:
    with pytest.raises(InvalidInput) as exc:
        inputs.from_data(_doc({**ROW, "quantity": -3}))
    assert exc.value.where == "dispensings[0].quantity"


def test_zero_days_supply_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="greater than or equal to 1"):
        inputs.from_data(_doc({**ROW, "days_supply": 0}))


def test_a_dispensing_after_the_review_date_is_rejected() -> None:
    with pytest.raises(InvalidInput) as exc:
        inputs.from_data(_doc({**ROW, "date": "2026-04-01"}))
    assert "after review_date" in exc.value.message


def test_a_malformed_json_file_says_where(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"patient": {"age": 80,}', encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        inputs.load(path)
    assert exc.value.where is not None and exc.value.where.startswith(str(path))


def test_csv_with_patient_header_lines_is_read(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "# age=81\n# sex=여\n# conditions=I10;E11\n# review_date=2026-03-01\n"
        "date,drug,strength,sig,days_supply,prescriber,pharmacy\n"
        "2026-01-05,metformin,500 mg,1정 1일 2회,60,가내과,가약국\n",
        encoding="utf-8",
    )
    data = inputs.load(path)
    assert data.patient.sex == "F" and [c.code for c in data.patient.conditions] == ["I10", "E11"]
    assert data.dispensings[0].drug == "metformin"


def test_csv_bad_value_names_the_data_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "date,drug,days_supply\n2026-01-05,metformin,30\n2026-01-06,aspirin,-5\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInput) as exc:
        inputs.load(path)
    assert exc.value.where == "row 2 field days_supply"


def test_fhir_bundle_of_medication_dispense_is_read() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": "2026-03-01T09:00:00+09:00",
        "entry": [
            {
                "resource": {
                    "resourceType": "Patient",
                    "id": "p1",
                    "gender": "female",
                    "birthDate": "1944-02-01",
                }
            },
            {
                "resource": {
                    "resourceType": "Condition",
                    "code": {
                        "coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "I48"}]
                    },
                }
            },
            {
                "resource": {
                    "resourceType": "Observation",
                    "code": {"coding": [{"system": "http://loinc.org", "code": "2160-0"}]},
                    "valueQuantity": {"value": 1.1, "unit": "mg/dL"},
                }
            },
            {
                "resource": {
                    "resourceType": "MedicationDispense",
                    "whenHandedOver": "2026-01-10",
                    "medicationCodeableConcept": {
                        "text": "warfarin",
                        "coding": [{"system": "http://www.whocc.no/atc", "code": "B01AA03"}],
                    },
                    "daysSupply": {"value": 60},
                    "dosageInstruction": [{"text": "1정 1일 1회 저녁"}],
                    "performer": [{"actor": {"display": "가약국"}}],
                    "authorizingPrescription": [{"display": "가내과"}],
                }
            },
            {
                "resource": {
                    "resourceType": "MedicationDispense",
                    "whenHandedOver": "2026-01-20",
                    "medicationCodeableConcept": {"text": "naproxen"},
                    "daysSupply": {"value": 14},
                    "dosageInstruction": [{"text": "1정 1일 2회"}],
                    "authorizingPrescription": [{"display": "나의원"}],
                }
            },
        ],
    }
    data = inputs.from_json_text(json.dumps(bundle))
    assert data.review_date.isoformat() == "2026-03-01" and data.patient.scr_mg_dl == 1.1
    assert {f.category for f in review(data).findings} >= {"interaction", "stopp"}


def test_a_fhir_dispense_without_a_date_is_an_error_not_a_drop() -> None:
    bundle = {
        "resourceType": "Bundle",
        "timestamp": "2026-03-01",
        "entry": [
            {
                "resource": {
                    "resourceType": "MedicationDispense",
                    "medicationCodeableConcept": {"text": "aspirin"},
                    "daysSupply": {"value": 30},
                }
            }
        ],
    }
    with pytest.raises(InvalidInput) as exc:
        inputs.from_data(bundle)
    assert exc.value.where == "dispensings[0].date"


def test_an_unknown_drug_is_reported_with_closest_names_and_the_rest_reviewed() -> None:
    rv = review(
        inputs.from_data(
            _doc({**ROW, "drug": "amlodipin"}, {**ROW, "drug": "zolpidem", "strength": "10 mg"})
        )
    )
    out = rv.to_dict()
    assert out["unknown_drugs"][0]["name"] == "amlodipin"
    assert "amlodipine" in out["unknown_drugs"][0]["closest"]
    assert any(f["category"] == "dose" and f["drugs"] == ["zolpidem"] for f in out["findings"])


def test_a_korean_drug_name_alone_is_resolved() -> None:
    rv = review(inputs.from_data(_doc({**ROW, "drug": "암로디핀베실산염"})))
    assert rv.ctx.ingredients == ["amlodipine"] and not rv.ctx.unknown


def test_fhir_medication_reference_to_a_bundled_medication_is_followed() -> None:
    bundle = {
        "resourceType": "Bundle",
        "timestamp": "2026-03-01",
        "entry": [
            {
                "fullUrl": "urn:uuid:med-1",
                "resource": {
                    "resourceType": "Medication",
                    "id": "m1",
                    "code": {
                        "text": "zolpidem",
                        "coding": [{"system": "http://www.whocc.no/atc", "code": "N05CF02"}],
                    },
                },
            },
            {
                "resource": {
                    "resourceType": "MedicationDispense",
                    "whenHandedOver": "2026-02-01",
                    "medicationReference": {"reference": "urn:uuid:med-1"},
                    "daysSupply": {"value": 30},
                    "dosageInstruction": [{"text": "1정 1일 1회 취침 전"}],
                }
            },
        ],
    }
    data = inputs.from_data(bundle)
    assert data.dispensings[0].drug == "zolpidem" and data.dispensings[0].atc == "N05CF02"


def test_days_supply_is_worked_out_from_quantity_and_directions() -> None:
    row = {k: v for k, v in ROW.items() if k != "days_supply"}
    data = inputs.from_data(_doc({**row, "quantity": 60, "sig": "1정 1일 2회"}))
    assert data.dispensings[0].days_supply == 30


def test_missing_days_supply_without_quantity_names_the_field() -> None:
    row = {k: v for k, v in ROW.items() if k != "days_supply"}
    with pytest.raises(InvalidInput) as exc:
        inputs.from_data(_doc(row))
    assert exc.value.where == "dispensings[0].days_supply"


def test_an_unknown_brand_name_with_an_atc_code_is_reviewed_as_its_ingredient() -> None:
    rv = review(
        inputs.from_data(
            _doc({**ROW, "drug": "Stilnox CR", "atc": "N05CF02", "strength": "12.5 mg"})
        )
    )
    assert rv.ctx.ingredients == ["zolpidem"] and not rv.ctx.unknown


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
shapes = st.fixed_dictionaries(
    {"resourceType": st.just("Bundle")}, optional={"entry": json_values, "timestamp": json_values}
) | st.fixed_dictionaries(
    {}, optional={"patient": json_values, "review_date": json_values, "dispensings": json_values}
)


@given(shapes | json_values)
def test_any_json_is_either_a_review_input_or_an_invalid_input_error(data: object) -> None:
    try:
        parsed = inputs.from_data(data)
    except InvalidInput as exc:
        assert exc.where  # every refusal says where
    else:
        assert parsed.review_date is not None


def test_a_misspelt_korean_name_gets_korean_suggestions() -> None:
    rv = review(inputs.from_data(_doc({**ROW, "drug": "졸피댐"})))
    assert rv.to_dict()["unknown_drugs"][0]["closest"][0] == "zolpidem (졸피뎀)"


def test_a_row_with_only_a_korean_drug_name_is_reviewed() -> None:
    row = {k: v for k, v in ROW.items() if k != "drug"}
    rv = review(inputs.from_data(_doc({**row, "drug_ko": "졸피뎀정", "strength": "10 mg"}, age=70)))
    assert rv.ctx.ingredients == ["zolpidem"] and not rv.ctx.unknown
