"""A review as a FHIR R4 Bundle: Patient (KR Core), MedicationStatement, Observation, DetectedIssue.

KR Core (HL7 Korea, STU 2, on FHIR R4) profiles Patient, Medication, MedicationRequest, Observation
and others; it has no MedicationStatement or DetectedIssue profile, so those follow base R4. The
Patient claims the KR Core profile and fills what it requires (identifier, name, gender, birthDate).
Metrics are Observations with gibon's own codes: they are not laboratory results or vital signs,
which KR Core's Observation profiles cover. Pure: no database, no web.
"""

from __future__ import annotations

import uuid
from typing import Any

from gibon.pharm.review import Review
from gibon.pharm.timeline import Supply

KRCORE_PATIENT = "http://www.hl7korea.or.kr/fhir/krcore/StructureDefinition/krcore-patient"
ATC = "http://www.whocc.no/atc"
GIBON = "https://gibon.kr/fhir"  # gibon's own code systems (metrics, criteria, person ids)
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
# FHIR's DetectedIssue codes (v3 ActCode) where one fits; every finding also carries its criterion.
ISSUE_CODE = {
    "interaction": ("DRG", "Drug Interaction Alert"),
    "dur_contraindicated": ("DRG", "Drug Interaction Alert"),
    "duplicate": ("DUPTHPY", "Duplicate Therapy Alert"),
    "dur_duplication": ("DUPTHPY", "Duplicate Therapy Alert"),
}
_NAMESPACE = uuid.UUID("6f1c8e52-3d0a-4f5e-9b7e-2a9d0c4e8b11")


def _urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(map(str, parts)))}"


def bundle(rv: Review, name: str | None = None, address: str | None = None) -> dict[str, Any]:
    """The review as a FHIR R4 ``collection`` Bundle (deterministic ids, so re-export is stable)."""
    key = rv.ctx.patient.id or "patient"
    when = rv.ctx.review_date.isoformat()
    patient = _patient(rv, name, address)
    patient_url = _urn(key, "Patient")
    supplies = sorted(
        {(s.row, s.ingredient): s for ss in rv.ctx.all_by_ingredient.values() for s in ss}.items()
    )
    entries = [(patient_url, patient)]
    by_drug: dict[str, list[str]] = {}
    for (row, ingredient), s in supplies:
        url = _urn(key, "MedicationStatement", row, ingredient)
        entries.append((url, _statement(rv, s, patient_url)))
        by_drug.setdefault(ingredient, []).append(url)
    entries += [
        (_urn(key, "Observation", code), obs) for code, obs in _observations(rv, patient_url, when)
    ]
    entries += [
        (_urn(key, "DetectedIssue", i), _issue(rv, f, patient_url, when, by_drug))
        for i, f in enumerate(rv.findings)
    ]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(_NAMESPACE, f"{key}/{when}")),
        "type": "collection",
        "timestamp": f"{when}T00:00:00+09:00",
        "entry": [{"fullUrl": url, "resource": res} for url, res in entries],
    }


def _patient(rv: Review, name: str | None, address: str | None) -> dict[str, Any]:
    p = rv.ctx.patient
    out: dict[str, Any] = {
        "resourceType": "Patient",
        "meta": {"profile": [KRCORE_PATIENT]},
        "identifier": [{"system": f"{GIBON}/person-id", "value": p.id or "unknown"}],
        "name": [{"text": name or p.name or "이름 없음"}],
    }
    if p.sex:
        out["gender"] = "male" if p.sex == "M" else "female"
    if p.birth_date:
        out["birthDate"] = p.birth_date.isoformat()
    if address:
        out["address"] = [{"text": address, "country": "KR"}]
    return out


def _statement(rv: Review, s: Supply, patient_url: str) -> dict[str, Any]:
    drug = rv.ctx.kb.drug(s.ingredient)
    concept: dict[str, Any] = {"text": f"{rv.ctx.kb.ko(s.ingredient)} ({s.product})"}
    if drug is not None and len(drug.atc) == 7:
        concept["coding"] = [{"system": ATC, "code": drug.atc, "display": drug.name}]
    active = s.end >= rv.ctx.review_date
    out: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "status": "active" if active else "completed",
        "medicationCodeableConcept": concept,
        "subject": {"reference": patient_url},
        "effectivePeriod": {"start": s.start.isoformat(), "end": s.end.isoformat()},
        "dateAsserted": s.dispensed.isoformat(),
        "note": [{"text": f"조제 {s.dispensed.isoformat()} · {s.prescriber} · {s.pharmacy}"}],
    }
    if s.sig.text:
        out["dosage"] = [{"text": s.sig.text}]
    return out


def _observations(rv: Review, patient_url: str, when: str) -> list[tuple[str, dict[str, Any]]]:
    m = rv.metrics
    values: list[tuple[str, str, float | None, str]] = [
        ("priority-score", "방문 우선순위 점수", rv.priority["score"], "{score}"),
        ("acb", "항콜린 부담(ACB) 점수", m["acb"], "{score}"),
        ("dbi", "약물부담지수(DBI)", m["dbi"], "{score}"),
        ("mrci", "복약 복잡도(MRCI)", m["mrci"], "{score}"),
        ("n-ingredients", "1년 복용 성분 수", m["n_ingredients"], "{ingredients}"),
        ("egfr", "eGFR (CKD-EPI 2021)", m["egfr"], "mL/min/{1.73_m2}"),
    ]
    values += [
        (f"pdc-{drug}", f"복약순응도 PDC — {rv.ctx.kb.ko(drug)}", v * 100, "%")
        for drug, v in sorted(m["pdc"].items())
    ]
    return [
        (code, _observation(code, text, value, unit, patient_url, when))
        for code, text, value, unit in values
        if value is not None
    ]


def _observation(
    code: str, text: str, value: float, unit: str, patient_url: str, when: str
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": f"{GIBON}/pharm-metric", "code": code}], "text": text},
        "subject": {"reference": patient_url},
        "effectiveDateTime": when,
        "valueQuantity": {"value": round(float(value), 2), "unit": unit},
    }


def _issue(
    rv: Review, f: Any, patient_url: str, when: str, by_drug: dict[str, list[str]]
) -> dict[str, Any]:
    coding = [{"system": f"{GIBON}/pharm-criterion", "code": f.criterion["id"]}]
    if f.category in ISSUE_CODE:
        code, display = ISSUE_CODE[f.category]
        coding.insert(0, {"system": ACT_CODE, "code": code, "display": display})
    implicated = [{"reference": url} for d in f.drugs for url in by_drug.get(d, [])[-1:]]
    out: dict[str, Any] = {
        "resourceType": "DetectedIssue",
        "status": "final",
        "code": {"coding": coding, "text": f"{f.to_dict()['category_ko']}: {f.title}"},
        "severity": f.severity,
        "patient": {"reference": patient_url},
        "identifiedDateTime": when,
        "detail": f"{f.criterion['text']} — 근거: {f.criterion['source']}. 조치: {f.action}",
    }
    if implicated:
        out["implicated"] = implicated
    return out
