"""The pharmacist's workflow over the JSON API and the pages: plan, decide per finding, follow up."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.residents.models import Person

CASE = Path(__file__).parent / "cases" / "27_warfarin_naproxen.yaml"


def _older_person(session: Session) -> Person:
    q = select(Person).where(Person.birth_date < date(1955, 1, 1)).order_by(Person.id)
    person = next((p for p in session.scalars(q) if p.conditions), None)
    assert person is not None
    return person


def _history() -> dict[str, Any]:
    case = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    return json.loads(
        json.dumps({k: case[k] for k in ("patient", "review_date", "dispensings")}, default=str)
    )


def test_a_pharmacist_reviews_a_posted_history_without_storing_it(client, login):  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    r = client.post("/api/pharm/review", json=_history())
    assert r.status_code == 200
    assert any(f["category"] == "interaction" for f in r.json()["findings"])


def test_bad_history_is_a_422_naming_the_field(client, login):  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    body = _history()
    body["dispensings"][0]["days_supply"] = -1
    r = client.post("/api/pharm/review", json=body)
    assert r.status_code == 422 and r.json()["where"] == "dispensings[0].days_supply"


def test_labs_are_validated_and_what_is_missing_is_returned_as_not_assessable(client, login):  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    body = _history()
    body["patient"]["labs"] = {"potassium_mmol_l": 42}
    r = client.post("/api/pharm/review", json=body)
    assert r.status_code == 422 and "potassium_mmol_l" in r.json()["message"]
    body["patient"]["labs"] = {"potassium_mmol_l": {"value": 4.2, "date": "2026-02-01"}}
    r = client.post("/api/pharm/review", json=body)
    assert r.status_code == 200
    missing = {n["criterion"] for n in r.json()["not_assessable"]}
    assert "STOPP H2" in missing  # naproxen without a blood pressure


def test_a_dong_officer_may_not_use_the_pharm_api(client, login):  # type: ignore[no-untyped-def]
    login(Role.dong_officer, dong="신림동")
    assert client.get("/api/pharm/visits").status_code == 403


def test_visit_workflow_plan_decide_dismiss_needs_reason_follow_up_close(client, session, login):  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    person = _older_person(session)
    created = client.post("/api/pharm/visits", json={"person_id": person.id, "history": _history()})
    assert created.status_code == 201, created.text
    vid = created.json()["id"]
    detail = client.get(f"/api/pharm/visits/{vid}").json()
    assert detail["records"] and detail["review"]["findings"]
    rec = detail["records"][0]["id"]
    refused = client.put(f"/api/pharm/visits/{vid}/records/{rec}", json={"decision": "dismissed"})
    assert refused.status_code == 422 and refused.json()["where"] == "reason"
    ok = client.put(
        f"/api/pharm/visits/{vid}/records/{rec}", json={"decision": "prescriber_contacted"}
    )
    assert ok.status_code == 200 and ok.json()["decision"] == "prescriber_contacted"
    assert client.patch(f"/api/pharm/visits/{vid}", json={"status": "follow_up"}).status_code == 409
    assert (
        client.patch(
            f"/api/pharm/visits/{vid}", json={"status": "visited", "visited_on": "2026-03-05"}
        ).status_code
        == 200
    )
    fu = client.post(f"/api/pharm/visits/{vid}/followups", json={"due_on": "2030-04-05"})
    assert fu.status_code == 201
    done = client.put(
        f"/api/pharm/visits/{vid}/followups/{fu.json()['id']}",
        json={"done_on": "2030-04-05", "outcome": "NSAID 중단 확인"},
    )
    assert done.status_code == 200
    assert (
        client.patch(f"/api/pharm/visits/{vid}", json={"status": "closed"}).json()["status"]
        == "closed"
    )


def test_visit_pages_show_the_list_the_report_and_record_a_decision(client, session, login):  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    person = _older_person(session)
    created = client.post("/api/pharm/visits", json={"person_id": person.id, "history": _history()})
    url = f"/pharm/visits/{created.json()['id']}"
    page = client.get(url).text
    assert "발견 사항과 결정" in page and "추적 방문" in page
    listing = client.get("/pharm").text
    assert person.name in listing and person.dong in listing and "관악구" in listing
    report = client.get(
        url.replace("/pharm/visits/", "/api/pharm/visits/") + "/report?audience=resident"
    )
    assert "약 먹는 시간표" in report.text


def test_planning_a_visit_for_an_unknown_resident_shows_the_error_on_the_page(client, login):  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    r = client.post("/pharm/visits", data={"person_id": "P99999999"})
    assert r.status_code == 404 or (r.status_code == 422 and "대상자를 찾을 수 없습니다" in r.text)


def test_demo_load_plans_visits_for_the_highest_priority_residents(session):  # type: ignore[no-untyped-def]
    from gibon.pharm import demo
    from gibon.pharm.models import Visit

    made = demo.load(session, None, visits=5, today=date(2026, 3, 1))  # type: ignore[arg-type]
    scores = [
        v.priority_score
        for v in session.scalars(select(Visit).order_by(Visit.planned_on, Visit.id))
    ]
    assert made == len(scores) and 0 < made <= 5
    assert scores == sorted(scores, reverse=True)
