"""Walking a case through the workflow over the API, for tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.care.models import Provider
from gibon.residents.models import Person

DONG = "신림동"
FULL_SCREEN = {"bathing": True, "dressing": True, "lives_alone": True}
ASSESSMENT = {
    "adl": {"bathing": 3, "dressing": 2, "transfer": 2},
    "iadl": {"housework": 3, "shopping": 3, "transport": 2},
    "cognition": {"mmse_k": 22},
    "falls": {"falls_past_year": 2},
    "housing": {"semi_basement": True},
    "social": {"lives_alone": True, "contacts_per_week": 0},
    "income": {"monthly_income_won": 650000, "basic_livelihood": True},
}


def person_in(session: Session, dong: str = DONG) -> Person:
    person = session.scalars(select(Person).where(Person.dong == dong).order_by(Person.id)).first()
    assert person is not None
    return person


def provider(session: Session, org: str = "prov-t1", capacity: int = 5) -> Provider:
    # get-or-create: on SQLite a refusal's own commit can outlive the test's rollback (see report)
    found = session.scalars(select(Provider).where(Provider.organization_id == org)).first()
    if found is not None:
        return found
    p = Provider(
        organization_id=org,
        name=f"테스트 제공기관 {org}",
        service_types=["visit_nursing", "meals", "housework"],
        dongs=[],
        capacity=capacity,
    )
    session.add(p)
    session.commit()
    return p


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


def open_case(client: TestClient, person_id: str) -> dict[str, Any]:
    body = {
        "person_id": person_id,
        "channel": "family",
        "applicant_name": "김가족",
        "applicant_relation": "딸",
        "consents": ["assessment", "sharing", "referral"],
    }
    return ok(client.post("/api/cases", json=body), 201)


def plan_body(version: int, based_on: int = 0, provider_id: int | None = None) -> dict[str, Any]:
    return {
        "version": version,
        "based_on": based_on,
        "goals": ["낙상 없이 집에서 지내기", "주 3회 이상 식사 지원"],
        "services": [
            {
                "service_type": "visit_nursing",
                "provider_id": provider_id,
                "frequency": "주 1회",
                "start": "2026-12-01",
                "end": "2027-05-31",
            },
            {
                "service_type": "meals",
                "frequency": "주 3회",
                "start": "2026-12-01",
                "end": "2027-05-31",
            },
        ],
    }


def walk_to(
    client: TestClient, case: dict[str, Any], target: str, provider_id: int | None = None
) -> dict[str, Any]:
    """Advance ``case`` step by step until it reaches ``target``; returns the last case version."""
    cid, v = case["id"], case["version"]
    order = ["screened", "assessed", "decided", "planned", "approved"]
    posts = {
        "screened": (
            f"/api/cases/{cid}/screenings",
            lambda v: {"version": v, "items": FULL_SCREEN},
        ),
        "assessed": (f"/api/cases/{cid}/assessments", lambda v: {"version": v, "data": ASSESSMENT}),
        "decided": (
            f"/api/cases/{cid}/decisions",
            lambda v: {"version": v, "level": "moderate", "reasons": "K-ADL 10점, 독거, 낙상 2회"},
        ),
        "planned": (f"/api/cases/{cid}/plans", lambda v: plan_body(v, 0, provider_id)),
        "approved": (
            "/api/conferences",
            lambda v: {
                "version": v,
                "case_id": cid,
                "held_on": "2026-11-30",
                "participants": [
                    {"agency": "district", "name": "통합돌봄과"},
                    {"agency": "nhis", "name": "공단"},
                ],
                "agenda": "지원계획 1판 심의",
                "minutes": "원안 승인",
                "approve_plan": 1,
            },
        ),
    }
    for step in order[: order.index(target) + 1] if target in order else order:
        url, body = posts[step]
        v = ok(client.post(url, json=body(v)), 201)["case_version"]
    return {"id": cid, "version": v}
