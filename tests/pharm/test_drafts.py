"""A pharmacist enters a resident's dispensings on the page: upload, correct, type, delete, review."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from gibon.pharm.models import Draft, DraftRow, Visit
from gibon.residents.models import Person

TODAY = date.today()


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


def _csv(bad_days: str = "삼십") -> bytes:
    lines = [
        "# weight_kg=52",
        "# scr_mg_dl=1.6",
        "date,drug,sig,days_supply,prescriber,pharmacy",
        f"{_day(200)},ibuprofen,1정 1일 3회,30,관악정형외과,봉천약국",
        f"{_day(170)},losartan,1정 1일 1회,{bad_days},관악내과,봉천약국",
        f"{_day(100)},hydrochlorothiazide,1정 1일 1회,90,관악내과,봉천약국",
        f"{_day(60)},ibuprofen,1정 1일 3회,60,관악정형외과,봉천약국",
    ]
    return "\n".join(lines).encode()


def _person(session: Any) -> Person:
    q = select(Person).where(Person.birth_date < date(1955, 1, 1)).order_by(Person.id)
    person = session.scalars(q).first()
    assert person is not None
    return person


def _new_visit(client: Any, session: Any) -> int:
    person = _person(session)
    r = client.post("/pharm/visits", data={"person_id": person.id}, follow_redirects=False)
    assert r.status_code == 303, r.text
    found = re.search(r"/pharm/visits/(\d+)/dispensings", r.headers["location"])
    assert found
    return int(found.group(1))


def _upload(client: Any, vid: int, content: bytes, name: str = "year.csv") -> Any:
    return client.post(
        f"/pharm/visits/{vid}/dispensings/upload",
        files={"file": (name, content, "text/csv")},
        follow_redirects=False,
    )


def _rows(session: Any, vid: int) -> list[DraftRow]:
    draft = session.scalars(select(Draft).where(Draft.visit_id == vid)).one()
    session.refresh(draft)
    q = select(DraftRow).where(DraftRow.draft_id == draft.id).order_by(DraftRow.position)
    return list(session.scalars(q))


def _version(session: Any, vid: int) -> int:
    draft = session.scalars(select(Draft).where(Draft.visit_id == vid)).one()
    session.refresh(draft)
    return draft.version_id


def test_a_new_visit_from_the_page_waits_for_dispensings_instead_of_inventing_them(
    client, session, login
) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    vid = _new_visit(client, session)
    page = client.get(f"/pharm/visits/{vid}")
    assert page.status_code == 200 and "아직 약물 검토를 하지 않았습니다" in page.text
    assert session.get(Visit, vid).review == {}


def test_an_upload_with_one_bad_row_keeps_every_row_and_names_the_bad_one_in_korean(
    client, session, login
) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    vid = _new_visit(client, session)
    r = _upload(client, vid, _csv())
    assert r.status_code == 303
    assert [row.drug for row in _rows(session, vid)] == [
        "ibuprofen",
        "losartan",
        "hydrochlorothiazide",
        "ibuprofen",
    ]
    page = client.get(r.headers["location"])
    assert "오류 1행" in page.text
    assert "투약일수: 정수가 아닙니다 (입력: 삼십) — 예: 30" in page.text
    refused = client.post(f"/pharm/visits/{vid}/dispensings/review", follow_redirects=False)
    assert refused.status_code == 422 and "2행 투약일수" in refused.text


def test_correcting_the_bad_row_then_reviewing_keeps_the_review_on_the_visit(
    client, session, login
) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    vid = _new_visit(client, session)
    _upload(client, vid, _csv())
    bad = _rows(session, vid)[1]
    fields = {"date": bad.date, "drug": "losartan", "sig": "1정 1일 1회", "days_supply": "90"}
    fields["version"] = str(_version(session, vid))
    r = client.post(
        f"/pharm/visits/{vid}/dispensings/rows/{bad.id}", data=fields, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    r = client.post(f"/pharm/visits/{vid}/dispensings/review", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/pharm/visits/{vid}"
    visit = session.get(Visit, vid)
    session.refresh(visit)
    assert len(visit.history["dispensings"]) == 4
    assert visit.history["patient"]["scr_mg_dl"] == "1.6"  # the file's header reached the review
    drugs = {d for f in visit.review["findings"] for d in f["drugs"]}
    assert {"ibuprofen", "losartan"} <= drugs
    actions = {e.action for e in session.scalars(select(AuditEvent))}
    assert {"upload", "edit_row", "review"} <= actions


def test_the_same_file_twice_is_read_once(client, session, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    vid = _new_visit(client, session)
    _upload(client, vid, _csv())
    again = _upload(client, vid, _csv())
    assert again.status_code == 409 and "이미 올린 파일" in again.text
    assert len(_rows(session, vid)) == 4


def test_a_stale_form_is_refused_and_nothing_is_changed(client, session, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    vid = _new_visit(client, session)
    _upload(client, vid, _csv())
    old = _version(session, vid)
    first = _rows(session, vid)[0]
    client.post(f"/pharm/visits/{vid}/dispensings/rows/{first.id}/delete", data={"version": old})
    second = _rows(session, vid)[0]
    stale = client.post(
        f"/pharm/visits/{vid}/dispensings/rows/{second.id}/delete", data={"version": old}
    )
    assert stale.status_code == 409 and "다른 사람이 먼저" in stale.text
    assert len(_rows(session, vid)) == 3


def test_typed_rows_accept_a_korean_product_name_and_dates_as_people_type_them(
    client, session, login
) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    vid = _new_visit(client, session)
    for days_ago, drug in ((120, "노바스크정 5mg"), (90, "엑스포지정"), (30, "노바스크정 5mg")):
        when = (TODAY - timedelta(days=days_ago)).strftime("%Y/%m/%d")
        r = client.post(
            f"/pharm/visits/{vid}/dispensings/rows",
            data={"date": when, "drug": drug, "days_supply": "30", "prescriber": "관악내과"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
    assert client.post(f"/pharm/visits/{vid}/dispensings/review").status_code == 200
    visit = session.get(Visit, vid)
    session.refresh(visit)
    assert not visit.review["unknown_drugs"]
    dup = [f for f in visit.review["findings"] if "amlodipine" in f["drugs"]]
    assert dup, "two products with amlodipine at once are a duplicate"


def test_a_row_without_a_drug_name_is_refused_with_the_field_and_an_example(
    client, session, login
) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    vid = _new_visit(client, session)
    r = client.post(f"/pharm/visits/{vid}/dispensings/rows", data={"date": _day(3)})
    assert r.status_code == 422 and "drug: 약 이름을 입력하세요" in r.text


def test_a_fhir_bundle_with_a_nameless_dispense_keeps_it_for_correction(
    client, session, login
) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    vid = _new_visit(client, session)
    named = {
        "resourceType": "MedicationDispense",
        "status": "completed",
        "medicationCodeableConcept": {"text": "metformin"},
        "whenHandedOver": _day(40),
        "daysSupply": {"value": 30},
    }
    nameless = {**named, "medicationCodeableConcept": {}}
    bundle = {"resourceType": "Bundle", "type": "collection"}
    bundle["entry"] = [{"resource": named}, {"resource": nameless}]
    r = _upload(client, vid, json.dumps(bundle).encode(), "bundle.json")
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    assert "약 이름: 값이 없습니다" in page.text
    assert len(_rows(session, vid)) == 2


def test_the_drug_search_finds_products_and_ingredients_in_korean_and_english(
    client, login
) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    for q, want in (
        ("노바스크", "노바스크정"),
        ("암로디핀", "노바스크정"),
        ("amlodip", "암로디핀"),
    ):
        hits = client.get("/api/pharm/drugs", params={"q": q}).json()
        assert any(want in h["label"] for h in hits), (q, hits)


def test_a_file_that_cannot_be_read_is_refused_in_korean_and_nothing_is_kept(
    client, session, login
) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    vid = _new_visit(client, session)
    for content, words in (
        (b"name,amount\nx,1", "CSV 첫 줄(제목 줄)에 적어도 date, drug, days_supply"),
        (b"# weight_kg=abc\ndate,drug,days_supply\n2026-01-01,x,3", "체중(kg): 숫자가 아닙니다"),
        (b'{"patient": ', "JSON 형식이 아닙니다"),
    ):
        name = "bad.json" if content.startswith(b"{") else "bad.csv"
        r = _upload(client, vid, content, name)
        assert r.status_code == 422 and words in r.text, r.text[-800:]
    assert session.scalars(select(DraftRow)).first() is None
