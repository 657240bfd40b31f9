"""FHIR R4 Bundle -> our review input: MedicationDispense, Patient, Condition, Observation."""

from __future__ import annotations

from typing import Any

from gibon.errors import InvalidInput
from gibon.pharm import labs, vaccines

ATC_SYSTEM = "http://www.whocc.no/atc"
LOINC_CREATININE = {"2160-0", "38483-4"}
LOINC_WEIGHT = {"29463-7", "3141-9"}


def bundle_to_input(bundle: dict[str, Any], strict: bool = True) -> dict[str, Any]:
    """Map the resources we understand; a MedicationDispense we cannot read is an error, not a drop
    (``strict=False``: it is kept as a row without a name, for the pharmacist to correct)."""
    try:
        return _bundle_to_input(bundle, strict)
    except (TypeError, AttributeError, KeyError, IndexError, ValueError) as exc:
        raise InvalidInput(
            f"malformed FHIR Bundle ({type(exc).__name__}: {exc})",
            where="Bundle",
            example='{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "MedicationDispense"}}]}',
        ) from None


def _bundle_to_input(bundle: dict[str, Any], strict: bool) -> dict[str, Any]:
    patient: dict[str, Any] = {"conditions": []}
    dispensings: list[dict[str, Any]] = []
    meds = _medications(bundle)
    for i, entry in enumerate(bundle.get("entry") or []):
        res = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(res, dict):
            raise InvalidInput("entry has no resource", where=f"entry[{i}]")
        kind = res.get("resourceType")
        if kind == "MedicationDispense":
            dispensings.append(_dispense(res, i, meds, strict))
        elif kind == "Patient":
            patient.update(_patient(res))
        elif kind == "Condition":
            code = _coding(res.get("code"))
            if code:
                patient["conditions"].append({"code": code[0], "label": code[1]})
        elif kind == "Observation":
            _observation(res, patient)
        elif kind == "Immunization":
            _immunization(res, i, patient)
    review_date = (bundle.get("timestamp") or "")[:10] or None
    return {"patient": patient, "review_date": review_date, "dispensings": dispensings}


def _coding(concept: Any, system: str | None = None) -> tuple[str, str | None] | None:
    if not isinstance(concept, dict):
        return None
    for c in concept.get("coding") or []:
        if system is None or c.get("system") == system:
            return str(c.get("code")), c.get("display") or concept.get("text")
    return None


def _medications(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Medication resources by every name a reference may use (fullUrl, Medication/id, #id)."""
    out: dict[str, dict[str, Any]] = {}
    for entry in bundle.get("entry") or []:
        res = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(res, dict) and res.get("resourceType") == "Medication":
            for key in (entry.get("fullUrl"), f"Medication/{res.get('id')}", f"#{res.get('id')}"):
                if key:
                    out[key] = res.get("code") or {}
    return out


def _concept(res: dict[str, Any], meds: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if res.get("medicationCodeableConcept"):
        return dict(res["medicationCodeableConcept"])
    ref = (res.get("medicationReference") or {}).get("reference")
    for contained in res.get("contained") or []:
        if ref == f"#{contained.get('id')}":
            return dict(contained.get("code") or {})
    return meds.get(ref or "", {})


def _dispense(
    res: dict[str, Any], i: int, meds: dict[str, dict[str, Any]], strict: bool
) -> dict[str, Any]:
    concept = _concept(res, meds)
    atc = _coding(concept, ATC_SYSTEM)
    name = concept.get("text") or (atc[1] if atc else None)
    if not name and strict:
        raise InvalidInput(
            "MedicationDispense has no medication name",
            where=f"entry[{i}].medicationCodeableConcept.text",
            example="amlodipine",
        )
    dosage = (res.get("dosageInstruction") or [{}])[0]
    performer = (res.get("performer") or [{}])[0].get("actor", {})
    prescription = (res.get("authorizingPrescription") or [{}])[0]
    return {
        "date": (res.get("whenHandedOver") or res.get("whenPrepared") or "")[:10] or None,
        "drug": name,
        "atc": atc[0] if atc else None,
        "sig": dosage.get("text"),
        "days_supply": (res.get("daysSupply") or {}).get("value"),
        "quantity": (res.get("quantity") or {}).get("value"),
        "pharmacy": performer.get("display"),
        "prescriber": prescription.get("display"),
    }


def _patient(res: dict[str, Any]) -> dict[str, Any]:
    sex = {"male": "M", "female": "F"}.get(res.get("gender") or "")
    out: dict[str, Any] = {"id": res.get("id"), "birth_date": res.get("birthDate"), "sex": sex}
    return {k: v for k, v in out.items() if v is not None}


def _observation(res: dict[str, Any], patient: dict[str, Any]) -> None:
    code = _coding(res.get("code"), "http://loinc.org")
    value = (res.get("valueQuantity") or {}).get("value")
    if code is None or value is None:
        return
    if code[0] in LOINC_CREATININE:
        patient["scr_mg_dl"] = value
    elif code[0] in LOINC_WEIGHT:
        patient["weight_kg"] = value
    elif code[0] in labs.LOINC:
        _measurement(res, code[0], value, patient)


def _measurement(res: dict[str, Any], loinc: str, value: Any, patient: dict[str, Any]) -> None:
    """The latest Observation of each kind wins; calcium in mg/dL is converted to mmol/L."""
    name = labs.LOINC[loinc]
    unit = str((res.get("valueQuantity") or {}).get("unit") or "").lower().replace(" ", "")
    if name == "calcium_mmol_l" and (loinc == "17861-6" or unit == "mg/dl"):
        value = round(float(value) * labs.MG_DL_CALCIUM_TO_MMOL_L, 3)
    when = (res.get("effectiveDateTime") or res.get("issued") or "")[:10] or None
    group = patient.setdefault(labs.group_of(name), {})
    old = group.get(name)
    if old is None or (when or "") >= (old.get("date") or ""):
        group[name] = {"value": value, "date": when}


def _immunization(res: dict[str, Any], i: int, patient: dict[str, Any]) -> None:
    """A completed Immunization of one of the four START vaccines; any other vaccine is skipped
    (it is not a criterion), but the record makes the vaccination history known."""
    records = patient.setdefault("vaccinations", [])
    if res.get("status", "completed") != "completed":
        return
    concept = res.get("vaccineCode") or {}
    names = [concept.get("text") or ""] + [
        c.get("display") or "" for c in concept.get("coding") or []
    ]
    kind = next((vaccines.CVX[str(c.get("code"))] for c in concept.get("coding") or []
                 if str(c.get("code")) in vaccines.CVX), None)  # fmt: skip
    kind = kind or next((k for k in map(vaccines.vaccine_of, names) if k), None)
    if kind is not None:
        when = (res.get("occurrenceDateTime") or "")[:10] or None
        records.append({"vaccine": kind, "date": when})
