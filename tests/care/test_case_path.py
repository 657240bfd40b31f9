"""The whole integrated-care path over the JSON API, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from gibon.accounts.models import Role
from gibon.care import repository, serialize
from tests.care import helpers
from tests.care.helpers import ok


def test_a_case_goes_from_intake_to_closure_and_every_step_is_recorded(client, session, login):
    case, ref = helpers.accepted_referral(client, session, login)
    assert case["status"] == "applied" and case["rrn_masked"].endswith("******")
    version = helpers.case_version(client, case["id"])
    fu = ok(
        client.post(
            "/api/followups",
            json={
                "version": version,
                "case_id": case["id"],
                "kind": "visit",
                "due_on": "2026-12-15",
            },
        ),
        201,
    )
    done = ok(
        client.post(
            f"/api/followups/{fu['id']}/done", json={"version": fu["version"], "notes": "안정적"}
        )
    )
    closed = ok(
        client.post(
            f"/api/cases/{case['id']}/close",
            json={
                "version": done["case_version"],
                "reason": "no_complex_need",
                "settle": [{"kind": "referral", "id": ref["id"], "how": "carry"}],
            },
        )
    )
    assert closed["status"] == "closed"
    detail = ok(client.get(f"/api/cases/{case['id']}"))
    actions = [e["action"] for e in detail["events"]]
    assert actions == [
        "open",
        "screen",
        "assess",
        "decide",
        "plan",
        "notify",
        "refer",
        "link",
        "follow_up",
        "follow_up",
        "close",
    ]
    assert detail["plans"][0]["notified_on"] and detail["referrals"][0]["status"] == "accepted"
    # the detail reads only the steps that have rows: the probe names exactly those, and each
    # step the detail shows equals the step read on its own
    present = repository.steps_with_rows(session, case["id"])
    assert present == {
        w for w in repository.PATH_MODELS if repository.path_rows(session, w, case["id"])
    }
    assert "conferences" not in present and {"events", "referrals", "followups"} <= present
    for what in repository.PATH_MODELS:
        alone = serialize.case_step(session, case["id"], what)
        assert detail[what] == [json.loads(m.model_dump_json()) for m in alone]


def test_a_plan_before_a_decision_is_refused_with_the_reason(client, session, login):
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    response = client.post(
        f"/api/cases/{case['id']}/plans", json=helpers.plan_body(case["version"])
    )
    assert response.status_code == 409
    assert response.json()["error"] == "InvalidTransition"
    assert "판정 후에" in response.json()["message"]
    assert ok(client.get(f"/api/cases/{case['id']}"))["plans"] == []


def test_a_pre_screen_with_no_difficulty_goes_on_to_a_survey_and_never_closes_the_case(
    client, session, login
):
    login(Role.district_team)
    case = helpers.open_case(client, helpers.person_in(session).id)
    ok(
        client.post(
            f"/api/cases/{case['id']}/screenings", json={"version": case["version"], "items": {}}
        ),
        201,
    )
    detail = ok(client.get(f"/api/cases/{case['id']}"))
    assert detail["case"]["status"] == "screened" and detail["case"]["close_reason"] is None
    assert detail["screenings"][0]["outcome"] == "district_survey"


def test_a_second_writer_with_a_stale_version_gets_a_conflict_showing_both_versions(
    client, session, login
):
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    first = {"version": case["version"], "items": helpers.FULL_SCREEN}
    ok(client.post(f"/api/cases/{case['id']}/screenings", json=first), 201)
    response = client.post(f"/api/cases/{case['id']}/screenings", json=first)
    assert response.status_code == 409
    details = response.json()["details"]
    assert details["your_version"] == case["version"]
    assert details["current_version"] > case["version"]
    assert details["current"]["status"] == "screened"
    assert len(ok(client.get(f"/api/cases/{case['id']}"))["screenings"]) == 1


def test_editing_an_old_plan_version_is_a_conflict_and_versions_stay_comparable(
    client, session, login
):
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    state = helpers.walk_to(client, case, "planned")
    body = helpers.plan_body(state["version"], based_on=1)
    body["goals"] = ["낙상 없이 집에서 지내기", "외출 동행 주 1회"]
    v2 = ok(client.post(f"/api/cases/{case['id']}/plans", json=body), 201)
    stale = helpers.plan_body(v2["case_version"], based_on=1)
    conflict = client.post(f"/api/cases/{case['id']}/plans", json=stale)
    assert conflict.status_code == 409 and conflict.json()["details"]["current_version"] == 2
    diff = ok(client.get(f"/api/cases/{case['id']}/plans/compare", params={"a": 1, "b": 2}))
    assert diff["goals_added"] == ["외출 동행 주 1회"] and diff["goals_removed"] == [
        "주 3회 이상 식사 지원"
    ]
    assert [p["number"] for p in ok(client.get(f"/api/cases/{case['id']}/plans"))] == [1, 2]


def test_searching_the_queue_by_resident_number_uses_the_keyed_hash(client, session, login, app):
    login(Role.district_team)
    person = helpers.person_in(session)
    case = helpers.open_case(client, person.id)
    rrn = app.state.vault.decrypt(person.rrn_enc)
    page = ok(client.post("/api/cases/search", json={"q": rrn}))
    assert [c["id"] for c in page["items"]] == [case["id"]]
    by_name = ok(client.post("/api/cases/search", json={"q": person.name}))
    assert case["id"] in [c["id"] for c in by_name["items"]]
    # a name is matched as typed: LIKE's wildcards in it match only themselves
    for wild in ("%", "_"):
        typed = ok(client.post("/api/cases/search", json={"q": person.name[0] + wild}))
        assert case["id"] not in [c["id"] for c in typed["items"]]
    bad = client.post("/api/cases/search", json={"q": "12345"})
    assert bad.status_code == 422 and bad.json()["where"] == "q"


def test_a_conference_is_refused_once_sharing_consent_is_withdrawn(client, session, login):
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    state = helpers.walk_to(client, case, "planned")
    withdrawn = ok(
        client.post(
            f"/api/cases/{case['id']}/consents/withdraw",
            json={"version": state["version"], "purpose": "sharing"},
        )
    )
    body = {
        "version": withdrawn["case_version"],
        "case_id": case["id"],
        "held_on": "2026-12-01",
        "agenda": "심의",
        "participants": [{"agency": "nhis", "name": "공단"}],
        "approve_plan": 1,
    }
    response = client.post("/api/conferences", json=body)
    assert response.status_code == 422 and response.json()["where"] == "consent"
    assert ok(client.get(f"/api/cases/{case['id']}"))["conferences"] == []


def test_the_district_team_sees_one_officers_queue_and_an_officer_sees_only_their_own(
    client, session, login
):
    officer = login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    assert case["officer_id"] == officer.id
    assert [c["id"] for c in ok(client.get("/api/cases", params={"mine": True}))["items"]] == [
        case["id"]
    ]
    assert client.get("/api/cases", params={"officer_id": officer.id + 1000}).status_code == 403
    login(Role.district_team)
    page = ok(client.get("/api/cases", params={"officer_id": officer.id}))
    assert [c["id"] for c in page["items"]] == [case["id"]]
