"""A review exported as a FHIR R4 Bundle that fhir.resources accepts, KR Core Patient profile."""

from __future__ import annotations

from pathlib import Path

from fhir.resources.R4B.bundle import Bundle  # R4B = R4 for every resource used here

from gibon.pharm import fhir_export, inputs
from gibon.pharm.review import review

EXAMPLE = Path(__file__).parents[2] / "src" / "gibon" / "data" / "pharm" / "example_patient.json"


def _export() -> tuple[object, dict[str, object]]:
    rv = review(inputs.load(EXAMPLE))
    return rv, fhir_export.bundle(rv, name="김영희", address="서울 관악구 신림동 1-1")


def test_the_bundle_validates_as_fhir_and_holds_every_finding_as_a_detected_issue() -> None:
    rv, data = _export()
    parsed = Bundle.model_validate(data)
    kinds = [e.resource.get_resource_type() for e in parsed.entry or []]
    assert kinds.count("Patient") == 1
    assert kinds.count("DetectedIssue") == len(rv.findings)  # type: ignore[attr-defined]
    assert "MedicationStatement" in kinds and "Observation" in kinds


def test_the_patient_follows_kr_core_and_carries_no_resident_number() -> None:
    _, data = _export()
    patient = data["entry"][0]["resource"]  # type: ignore[index]
    assert patient["meta"]["profile"] == [fhir_export.KRCORE_PATIENT]
    assert (
        patient["identifier"][0]["value"] == "example-1" and patient["name"][0]["text"] == "김영희"
    )
    assert "rrn" not in str(data).lower()


def test_a_combination_finding_implicates_each_drug_statement() -> None:
    rv, data = _export()
    issues = [
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "DetectedIssue"
    ]  # type: ignore[union-attr,index]
    urls = {e["fullUrl"]: e["resource"] for e in data["entry"]}  # type: ignore[union-attr]
    multi = next(i for i, f in zip(issues, rv.findings, strict=True) if len(f.drugs) >= 2)  # type: ignore[attr-defined]
    implicated = [urls[r["reference"]] for r in multi["implicated"]]
    assert len({s["medicationCodeableConcept"]["text"] for s in implicated}) >= 2


def test_exporting_twice_gives_the_same_bundle() -> None:
    assert _export()[1] == _export()[1]


def test_a_malformed_issue_is_rejected_by_the_validator() -> None:
    import pytest
    from pydantic import ValidationError

    _, data = _export()
    issue = next(e for e in data["entry"] if e["resource"]["resourceType"] == "DetectedIssue")  # type: ignore[union-attr]
    issue["resource"]["identifiedDateTime"] = "어제"  # type: ignore[index]
    with pytest.raises(ValidationError):
        Bundle.model_validate(data)


def test_the_cli_writes_the_bundle(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from gibon.pharm.cli import app

    out = tmp_path / "review.fhir.json"
    result = CliRunner().invoke(app, ["review", str(EXAMPLE), "--format", "fhir", "-o", str(out)])
    assert result.exit_code == 0, result.output
    Bundle.model_validate(json.loads(out.read_text(encoding="utf-8")))


def test_the_api_exports_a_reviewed_visit_and_refuses_an_unreviewed_one(
    client, session, login
) -> None:  # type: ignore[no-untyped-def]
    import json
    from datetime import date

    from sqlalchemy import select

    from gibon.accounts.models import Role
    from gibon.residents.models import Person

    login(Role.pharmacist)
    person = session.scalars(select(Person).where(Person.birth_date < date(1955, 1, 1))).first()
    history = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    vid = client.post(
        "/api/pharm/visits", json={"person_id": person.id, "history": history}
    ).json()["id"]
    r = client.get(f"/api/pharm/visits/{vid}/fhir")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/fhir+json")
    bundle = Bundle.model_validate(r.json())
    assert bundle.entry[0].resource.name[0].text == person.name  # type: ignore[index,union-attr]
    empty = client.post("/api/pharm/visits", json={"person_id": person.id, "empty": True}).json()[
        "id"
    ]
    refused = client.get(f"/api/pharm/visits/{empty}/fhir")
    assert refused.status_code == 422 and "아직 약물 검토를 하지 않은" in refused.json()["message"]
