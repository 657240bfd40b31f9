"""Permission matrix: every role against every care and audit endpoint; refusals are 403 and audited."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from tests import factories
from tests.care import helpers
from tests.care.helpers import ok

# Personas: a role plus its area; "officer_other" is a dong officer of another dong.
PERSONAS: dict[str, dict[str, Any]] = {
    "admin": {"role": Role.admin},
    "district": {"role": Role.district_team},
    "officer": {"role": Role.dong_officer, "dong": helpers.DONG},
    "officer_other": {"role": Role.dong_officer, "dong": "보라매동"},
    "doctor": {"role": Role.visiting_professional, "organization_id": "doc-t1"},
    "pharmacist": {"role": Role.pharmacist, "organization_id": "pha-t1"},
    "provider": {"role": Role.provider, "organization_id": "prov-t1"},
    "provider_other": {"role": Role.provider, "organization_id": "prov-zz"},
    "analyst": {"role": Role.policy_analyst},
}
CASE_WORKERS = {"admin", "district", "officer"}
CASE_ROLES = CASE_WORKERS | {"officer_other"}
PLAN = helpers.plan_body(1)
CONF = {
    "version": 1,
    "case_id": 0,
    "held_on": "2026-12-01",
    "agenda": "심의",
    "participants": [{"agency": "dong", "name": "담당"}],
}

# (method, path template, body, personas allowed)
MATRIX: list[tuple[str, str, Any, set[str]]] = [
    ("GET", "/api/cases", None, CASE_ROLES),
    ("GET", "/api/cases/stats", None, CASE_ROLES | {"analyst"}),
    ("POST", "/api/cases", "NEW_CASE", CASE_WORKERS),
    ("GET", "/api/cases/{case}", None, CASE_WORKERS),
    ("POST", "/api/cases/{case}/close", {"version": 1, "reason": "death"}, CASE_WORKERS),
    ("GET", "/api/cases/{case}/close", None, CASE_WORKERS),
    ("POST", "/api/cases/{case}/reopen", {"version": 1, "reason": "잘못 종료함"}, CASE_WORKERS),
    ("POST", "/api/cases/{case}/intake", {"version": 1, "target_group": "age_65"}, CASE_WORKERS),
    (
        "POST",
        "/api/cases/{case}/decisions/notice",
        {"version": 1, "notified_on": "2026-12-01", "notice_method": "post"},
        CASE_WORKERS,
    ),
    (
        "POST",
        "/api/cases/{case}/plans/notice",
        {"version": 1, "notified_on": "2026-12-01", "notice_to": "본인"},
        CASE_WORKERS,
    ),
    ("POST", "/api/cases/{case}/consents", {"version": 1, "purpose": "sharing"}, CASE_WORKERS),
    (
        "POST",
        "/api/cases/{case}/consents/withdraw",
        {"version": 1, "purpose": "sharing"},
        CASE_WORKERS,
    ),
    ("GET", "/api/cases/discharge-notices", None, CASE_ROLES),
    ("POST", "/api/cases/discharge-notices", "DISCHARGE", CASE_WORKERS),
    ("GET", "/api/cases/{case}/info-requests", None, CASE_WORKERS),
    (
        "POST",
        "/api/cases/{case}/info-requests",
        {
            "direction": "from",
            "counterpart": "국민연금공단",
            "items": ["contact"],
            "purpose": "연락처 확인",
            "requested_on": "2026-12-01",
        },
        CASE_WORKERS,
    ),
    ("GET", "/api/cases/{case}/documents", None, CASE_WORKERS),
    (
        "POST",
        "/api/cases/{case}/documents",
        {"document": "resident_register", "via": "shared", "checked_on": "2026-12-01"},
        CASE_WORKERS,
    ),
    ("GET", "/api/cases/{case}/screenings", None, CASE_WORKERS),
    ("POST", "/api/cases/{case}/screenings", {"version": 1, "items": {}}, CASE_WORKERS),
    ("GET", "/api/cases/{case}/assessments", None, CASE_WORKERS),
    (
        "POST",
        "/api/cases/{case}/assessments",
        {"version": 1, "data": helpers.ASSESSMENT, "agency": "nhis", "agency_part": "조사 일부"},
        CASE_WORKERS,
    ),
    ("GET", "/api/cases/{case}/decisions", None, CASE_WORKERS),
    (
        "POST",
        "/api/cases/{case}/decisions",
        {"version": 1, "medical_need": "low", "care_need": "low", "reasons": "사유 다섯자"},
        CASE_WORKERS,
    ),
    ("GET", "/api/cases/{case}/plans", None, CASE_WORKERS),
    ("POST", "/api/cases/{case}/plans", PLAN, CASE_WORKERS),
    ("GET", "/api/cases/{case}/plans/compare?a=1&b=1", None, CASE_WORKERS),
    ("POST", "/api/conferences", "CONF", CASE_WORKERS),
    ("GET", "/api/conferences/{conference}", None, CASE_WORKERS),
    ("PATCH", "/api/conferences/{conference}", {"version": 1, "minutes": "수정"}, CASE_WORKERS),
    ("GET", "/api/providers", None, set(PERSONAS)),
    (
        "POST",
        "/api/providers",
        {
            "organization_id": "prov-new",
            "name": "새 기관",
            "service_types": ["meals"],
            "capacity": 3,
        },
        {"admin", "district"},
    ),
    ("GET", "/api/referrals", None, {"provider", "provider_other"}),
    ("POST", "/api/referrals", "REFERRAL", CASE_WORKERS),
    ("GET", "/api/referrals/{referral}", None, CASE_WORKERS | {"provider"}),
    (
        "PATCH",
        "/api/referrals/{referral}",
        {"version": 99, "action": "accept"},
        CASE_WORKERS | {"provider"},
    ),
    ("GET", "/api/followups", None, CASE_ROLES | {"doctor", "pharmacist"}),
    ("POST", "/api/followups", "FOLLOWUP", CASE_WORKERS),
    (
        "POST",
        "/api/followups/{followup}/done",
        {"version": 99, "notes": "방문 완료"},
        CASE_WORKERS | {"doctor"},
    ),
    ("GET", "/api/audit", None, {"admin"}),
    ("GET", "/api/audit/verify", None, {"admin"}),
]


@pytest.fixture
def world(client, session, login) -> dict[str, Any]:
    """A case in service in 신림동 with a referral to prov-t1 and a follow-up for doc-t1."""
    login(Role.district_team)
    prov = helpers.provider(session, "prov-t1")
    # a follow-up is assigned only to a known visiting professional's organisation
    factories.make_user(session, Role.visiting_professional, organization_id="doc-t1")
    person = helpers.person_in(session)
    case = helpers.open_case(client, person.id)
    state = helpers.walk_to(client, case, "approved", prov.id)
    ref = ok(
        client.post(
            "/api/referrals",
            json={
                "version": state["version"],
                "case_id": case["id"],
                "provider_id": prov.id,
                "service_type": "meals",
            },
        ),
        201,
    )
    login(Role.provider, organization_id="prov-t1")  # 법 제14조③: the provider decides
    ok(
        client.patch(
            f"/api/referrals/{ref['id']}", json={"version": ref["version"], "action": "accept"}
        )
    )
    login(Role.district_team)
    version = ok(client.get(f"/api/cases/{case['id']}"))["case"]["version"]
    conf = ok(
        client.post("/api/conferences", json={**CONF, "version": version, "case_id": case["id"]}),
        201,
    )
    fu = ok(
        client.post(
            "/api/followups",
            json={
                "version": conf["case_version"],
                "case_id": case["id"],
                "kind": "visit",
                "due_on": "2027-01-10",
                "assignee_org": "doc-t1",
            },
        ),
        201,
    )
    detail = ok(client.get(f"/api/cases/{case['id']}"))
    return {
        "case": case["id"],
        "conference": detail["conferences"][0]["id"],
        "referral": ref["id"],
        "followup": fu["id"],
        "person": person.id,
        "provider": prov.id,
    }


def _body(spec: Any, w: dict[str, Any]) -> Any:
    if spec == "NEW_CASE":
        return {
            "person_id": w["person"],
            "channel": "ex_officio",
            "ex_officio_ground": "no_carer",
            "applicant_name": "담당",
            "applicant_relation": "공무원",
        }
    if spec == "DISCHARGE":
        return {
            "person_id": w["person"],
            "institution_kind": "hospital",
            "institution_name": "관악병원",
            "leaving_on": "2026-12-01",
            "consent_by": "본인",
        }
    if spec == "CONF":
        return {**CONF, "case_id": w["case"]}
    if spec == "REFERRAL":
        return {
            "version": 1,
            "case_id": w["case"],
            "provider_id": w["provider"],
            "service_type": "meals",
        }
    if spec == "FOLLOWUP":
        return {"version": 1, "case_id": w["case"], "kind": "phone", "due_on": "2027-02-01"}
    return spec


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_endpoint_admits_exactly_the_roles_in_the_matrix(
    persona, world, client, session, login
):
    login(**PERSONAS[persona])
    wrong = []
    for method, template, spec, allowed in MATRIX:
        path = template.format(**world)
        response = client.request(method, path, json=_body(spec, world))
        # another dong's resident answers as an unknown one (404), so existence does not leak
        hidden = spec == "NEW_CASE" and response.status_code == 404
        if (response.status_code == 403 or hidden) == (persona in allowed):
            wrong.append(f"{method} {path} -> {response.status_code}")
        assert response.status_code < 500, f"{method} {path}: {response.text}"
    assert not wrong, wrong


def test_a_refusal_answers_403_and_is_recorded_in_the_audit_log(world, client, session, login):
    user = login(Role.dong_officer, dong="보라매동")
    response = client.get(f"/api/cases/{world['case']}")
    assert response.status_code == 403
    denied = session.scalars(
        select(AuditEvent).where(
            AuditEvent.actor == user.username, AuditEvent.resource != "session"
        )
    ).all()
    assert [(e.action, e.resource_id) for e in denied] == [("denied", str(world["case"]))]


def test_without_sign_in_every_endpoint_answers_401(world, client):
    client.headers.pop("Authorization", None)
    for method, template, spec, _ in MATRIX:
        response = client.request(method, template.format(**world), json=_body(spec, world))
        assert response.status_code == 401, f"{method} {template}"


def test_the_policy_analyst_sees_aggregates_but_no_person(world, client, login):
    login(Role.policy_analyst)
    stats = ok(client.get("/api/cases/stats"))
    assert stats["by_status"]["in_service"] >= 1
    assert "name" not in str(stats) and "rrn" not in str(stats)


def test_a_provider_loses_sight_of_a_referral_the_moment_consent_is_withdrawn(
    world, client, session, login
):
    login(Role.district_team)
    version = ok(client.get(f"/api/cases/{world['case']}"))["case"]["version"]
    ok(
        client.post(
            f"/api/cases/{world['case']}/consents/withdraw",
            json={"version": version, "purpose": "referral"},
        )
    )
    login(Role.provider, organization_id="prov-t1")
    assert client.get(f"/api/referrals/{world['referral']}").status_code == 403
    listed = ok(client.get("/api/referrals"))
    assert (
        listed[0]["consent_active"] is False and listed[0]["person_name"] == "(동의 철회로 비공개)"
    )
