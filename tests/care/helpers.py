"""Walking a case through the workflow over the API, for tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.care.models import Provider
from gibon.residents.models import Person

DONG = "신림동"
FULL_SCREEN = {"bathing": True, "dressing": True, "lives_alone": True}
ASSESSMENT = {
    "needs": {"wishes": "집에서 계속 살고 싶고, 씻을 때 도움이 필요하다"},
    "adl": {"bathing": 3, "dressing": 2, "transfer": 2},
    "iadl": {"housework": 3, "shopping": 3, "transport": 2},
    "cognition": {"mmse_k": 22},
    "falls": {"falls_past_year": 2},
    "housing": {"semi_basement": True},
    "social": {"lives_alone": True, "contacts_per_week": 0},
    "income": {"monthly_income_won": 650000, "basic_livelihood": True},
}


OLDER = date(date.today().year - 66, 1, 1)  # 65 or more (영 제2조제1항제1호)


def person_in(session: Session, dong: str = DONG, older: bool = True) -> Person:
    """The first resident of ``dong``; by default one aged 65 or more (covered by the law)."""
    query = select(Person).where(Person.dong == dong)
    if older:
        query = query.where(Person.birth_date <= OLDER)
    person = session.scalars(query.order_by(Person.id)).first()
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
    """A complete plan (법 제13조): 제공 주체 and 수량 for each service, and the stated views."""
    return {
        "version": version,
        "based_on": based_on,
        "goals": ["낙상 없이 집에서 지내기", "주 3회 이상 식사 지원"],
        "services": [
            {
                "service_type": "visit_nursing",
                "provider_id": provider_id,
                "frequency": "주 1회, 회당 60분",
                "method": "가정 방문",
                "start": "2026-12-01",
                "end": "2027-05-31",
            },
            {
                "service_type": "meals",
                "provider_id": provider_id,
                "frequency": "주 3회",
                "method": "도시락 배달",
                "start": "2026-12-01",
                "end": "2027-05-31",
            },
        ],
        "views": "본인: 집에서 지내고 싶다. 딸: 식사가 가장 걱정이다",
        "views_by": "본인, 딸",
        "views_on": "2026-12-01",
    }


DECISION = {
    "medical_need": "moderate",
    "care_need": "moderate",
    "reasons": "K-ADL 10점, 독거, 낙상 2회",
    "notified_on": "2026-12-01",
    "notice_method": "in_person",
}


def walk_to(
    client: TestClient, case: dict[str, Any], target: str, provider_id: int | None = None
) -> dict[str, Any]:
    """Advance ``case`` step by step until it reaches ``target``; returns the last case version."""
    cid, v = case["id"], case["version"]
    order = ["screened", "assessed", "decided", "planned", "approved"]
    assessment = {
        "data": ASSESSMENT,
        "agency": "nhis",
        "agency_part": "장기요양 인정조사 결과 제공",
    }
    posts = {
        "screened": (
            f"/api/cases/{cid}/screenings",
            lambda v: {"version": v, "items": FULL_SCREEN},
        ),
        "assessed": (
            f"/api/cases/{cid}/assessments",
            lambda v: {"version": v, **assessment},
        ),
        "decided": (f"/api/cases/{cid}/decisions", lambda v: {"version": v, **DECISION}),
        "planned": (f"/api/cases/{cid}/plans", lambda v: plan_body(v, 0, provider_id)),
        "approved": (
            f"/api/cases/{cid}/plans/notice",
            lambda v: {"version": v, "notified_on": "2026-12-01", "notice_to": "본인"},
        ),
    }
    for step in order[: order.index(target) + 1] if target in order else order:
        url, body = posts[step]
        v = ok(client.post(url, json=body(v)), 200 if step == "approved" else 201)["case_version"]
    return {"id": cid, "version": v}


def accepted_referral(
    client: TestClient, session: Session, login: Any, service_type: str = "visit_nursing"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A dong officer's case walked to an approved plan, referred, and accepted by the provider
    (법 제14조③: the provider decides); the officer is signed in again. Returns (case, referral)."""
    login(Role.dong_officer, dong=DONG)
    prov = provider(session)
    case = open_case(client, person_in(session).id)
    state = walk_to(client, case, "approved", provider_id=prov.id)
    body = {
        "version": state["version"],
        "case_id": case["id"],
        "provider_id": prov.id,
        "service_type": service_type,
    }
    ref = ok(client.post("/api/referrals", json=body), 201)
    login(Role.provider, organization_id=prov.organization_id)
    patch = {"version": ref["version"], "action": "accept"}
    ref = ok(client.patch(f"/api/referrals/{ref['id']}", json=patch))
    login(Role.dong_officer, dong=DONG)
    return case, ref


def case_version(client: TestClient, case_id: int) -> int:
    return int(ok(client.get(f"/api/cases/{case_id}"))["case"]["version"])
