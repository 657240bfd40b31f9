"""The same dispensing draft over the JSON API: upload, correct, delete, review, find residents."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from gibon.accounts.models import Role
from gibon.residents.models import Person


def _person(session: Any) -> Person:
    q = select(Person).where(Person.birth_date < date(1955, 1, 1)).order_by(Person.id)
    person = session.scalars(q).first()
    assert person is not None
    return person


def _day(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()


def test_an_api_client_uploads_corrects_and_reviews_a_visit(client, session, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    person = _person(session)
    vid = client.post("/api/pharm/visits", json={"person_id": person.id, "empty": True}).json()[
        "id"
    ]
    csv = f"date,drug,days_supply\n{_day(90)},metformin,30\n{_day(60)},metformin,삼십\n{_day(30)},x,30\n"
    r = client.post(
        f"/api/pharm/visits/{vid}/dispensings/upload",
        files={"file": ("a.csv", csv.encode(), "text/csv")},
    )
    assert r.status_code == 200, r.text
    draft = r.json()
    assert len(draft["rows"]) == 3 and draft["rows_with_errors"] == 1
    bad = next(row for row in draft["rows"] if row["errors"])
    assert bad["errors"] == ["2행 투약일수: 정수가 아닙니다 (입력: 삼십) — 예: 30"]
    assert draft["rows"][0]["ingredients"] == "메트포르민"
    refused = client.post(f"/api/pharm/visits/{vid}/dispensings/review")
    assert refused.status_code == 422
    fixed = {**bad["fields"], "days_supply": "30", "version": draft["version"]}
    draft = client.put(f"/api/pharm/visits/{vid}/dispensings/{bad['id']}", json=fixed).json()
    unknown = draft["rows"][2]
    stale = client.delete(
        f"/api/pharm/visits/{vid}/dispensings/{unknown['id']}", params={"version": 1}
    )
    assert stale.status_code == 409
    draft = client.delete(
        f"/api/pharm/visits/{vid}/dispensings/{unknown['id']}", params={"version": draft["version"]}
    ).json()
    assert len(draft["rows"]) == 2 and draft["rows_with_errors"] == 0
    reviewed = client.post(f"/api/pharm/visits/{vid}/dispensings/review")
    assert reviewed.status_code == 200
    detail = client.get(f"/api/pharm/visits/{vid}").json()
    assert len(detail["review"]["metrics"]["pdc"]) == 1  # metformin, two fills


def test_residents_are_searched_in_the_body(client, session, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    person = _person(session)
    r = client.post("/api/pharm/residents/search", json={"q": person.rrn_masked[:8]})
    assert r.status_code == 200
    hit = next(p for p in r.json() if p["id"] == person.id)
    assert hit["name"] == person.name and "관악구" in hit["address"]
