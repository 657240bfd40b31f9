"""One test per article: the care workflow does what the 돌봄통합지원법 and its decrees require."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from gibon.accounts.models import Role
from gibon.care import deadlines
from tests.care import helpers
from tests.care.helpers import ok


def _ex_officio(client: Any, person_id: str, **extra: Any) -> Any:
    body = {
        "person_id": person_id,
        "channel": "ex_officio",
        "applicant_name": "이도윤",
        "applicant_relation": "동 주민센터 주무관",
        **extra,
    }
    return client.post("/api/cases", json=body)


def test_an_ex_officio_case_needs_a_ground_of_decree_article_4(client, session, login):
    login(Role.dong_officer, dong=helpers.DONG)
    response = _ex_officio(client, helpers.person_in(session).id)
    assert response.status_code == 422 and "영 제4조" in response.text
    case = ok(
        _ex_officio(client, helpers.person_in(session).id, ex_officio_ground="discharged"), 201
    )
    assert case["ex_officio_ground"] == "discharged" and case["review_flag"] is None


def test_an_ex_officio_case_without_recorded_consent_cannot_proceed(client, session, login):
    """법 제10조②: 직권 too — explain the support and obtain prior consent."""
    login(Role.dong_officer, dong=helpers.DONG)
    case = ok(_ex_officio(client, helpers.person_in(session).id, ex_officio_ground="no_carer"), 201)
    url = f"/api/cases/{case['id']}/screenings"
    refused = client.post(url, json={"version": case["version"], "items": helpers.FULL_SCREEN})
    assert refused.status_code == 422 and refused.json()["where"] == "consent"
    assert "법 제10조제2항" in refused.json()["message"]
    given = ok(
        client.post(
            f"/api/cases/{case['id']}/consents",
            json={"version": case["version"], "purpose": "assessment", "given_by": "본인"},
        ),
        201,
    )
    ok(client.post(url, json={"version": given["case_version"], "items": helpers.FULL_SCREEN}), 201)


def test_the_target_group_is_recorded_and_checked_against_the_register(client, session, login):
    """법 제2조제2호, 영 제2조①: 65+, severe disability, or agreed with the Minister."""
    login(Role.dong_officer, dong=helpers.DONG)
    older = helpers.open_case(client, helpers.person_in(session).id)
    assert older["target_group"] == "age_65"
    young = helpers.person_in(session, older=False)
    if deadlines.today().year - young.birth_date.year >= 66:
        return  # the stand-in population has nobody under 65 in this dong
    body = {
        "person_id": young.id,
        "channel": "self",
        "applicant_name": young.name,
        "applicant_relation": "본인",
        "consents": ["assessment"],
    }
    missing = client.post("/api/cases", json=body)
    assert missing.status_code == 422 and missing.json()["where"] == "target_group"
    wrong = client.post("/api/cases", json={**body, "target_group": "age_65"})
    assert wrong.status_code == 422 and "영 제2조제1항제1호" in wrong.json()["message"]
    ok(client.post("/api/cases", json={**body, "target_group": "agreed"}), 201)


def test_the_assessment_records_the_expert_agencys_part_and_the_persons_wishes(
    client, session, login
):
    """영 제5조②, 규칙 제14조, 법 제10조③4."""
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    state = helpers.walk_to(client, case, "screened")
    url = f"/api/cases/{case['id']}/assessments"
    no_agency = client.post(url, json={"version": state["version"], "data": helpers.ASSESSMENT})
    assert no_agency.status_code == 422
    data = {k: v for k, v in helpers.ASSESSMENT.items() if k != "needs"}
    body = {"version": state["version"], "agency": "nps", "agency_part": "소득 조회"}
    assert client.post(url, json={**body, "data": data}).status_code == 422
    row = ok(client.post(url, json={**body, "data": helpers.ASSESSMENT}), 201)
    assert row["agency"] == "nps" and row["data"]["needs"]["wishes"].startswith("집에서")


def test_the_judgement_decides_two_needs_and_records_its_notice(client, session, login):
    """법 제12조①: 의료적 지원 필요도 and 일상생활 요양·돌봄 필요도, and the result notified."""
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    state = helpers.walk_to(client, case, "assessed")
    url = f"/api/cases/{case['id']}/decisions"
    body = {
        "version": state["version"],
        "medical_need": "high",
        "care_need": "low",
        "reasons": "잦은 입원, 다제 복용",
    }
    decision = ok(client.post(url, json=body), 201)
    assert (decision["medical_need"], decision["care_need"], decision["level"]) == (
        "high",
        "low",
        "high",
    )
    assert decision["notified_on"] is None and not decision["legacy"]
    notice = {
        "version": decision["case_version"],
        "notified_on": str(deadlines.today()),
        "notice_method": "phone",
    }
    noticed = ok(client.post(f"{url}/notice", json=notice))
    assert noticed["notified_on"] == str(deadlines.today())
    events = ok(client.get(f"/api/cases/{case['id']}"))["events"]
    assert events[-1]["action"] == "notify_decision"


def test_a_judgement_of_no_need_ends_the_case_only_when_confirmed(client, session, login):
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    state = helpers.walk_to(client, case, "assessed")
    url = f"/api/cases/{case['id']}/decisions"
    body = {
        "version": state["version"],
        "medical_need": "none",
        "care_need": "none",
        "reasons": "일상생활 자립, 복합 지원 불필요",
    }
    unconfirmed = client.post(url, json=body)
    assert unconfirmed.status_code == 422 and unconfirmed.json()["where"] == "confirm_close"
    assert "종료" in unconfirmed.json()["message"]
    assert ok(client.get(f"/api/cases/{case['id']}"))["case"]["status"] == "assessed"
    ok(client.post(url, json={**body, "confirm_close": True}), 201)
    after = ok(client.get(f"/api/cases/{case['id']}"))["case"]
    assert after["status"] == "closed" and after["close_reason"] == "not_eligible"


def test_the_reassessment_interval_is_bounded_by_the_six_month_review(client, session, login):
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    state = helpers.walk_to(client, case, "assessed")
    body = {"version": state["version"], **helpers.DECISION, "reassess_in_months": 7}
    response = client.post(f"/api/cases/{case['id']}/decisions", json=body)
    assert response.status_code == 422 and response.json()["where"].endswith("reassess_in_months")


def test_a_plan_without_provider_and_quantity_cannot_be_notified(client, session, login):
    """법 제13조①1 and 규칙 제9조①: content, method, 수량, period and 제공 주체 before the notice."""
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    state = helpers.walk_to(client, case, "decided")
    plan = helpers.plan_body(state["version"])
    for item in plan["services"]:
        item["frequency"] = ""
    saved = ok(client.post(f"/api/cases/{case['id']}/plans", json=plan), 201)
    notice = {
        "version": saved["case_version"],
        "notified_on": str(deadlines.today()),
        "notice_to": "본인",
    }
    refused = client.post(f"/api/cases/{case['id']}/plans/notice", json=notice)
    assert refused.status_code == 422
    message = refused.json()["message"]
    assert "제공 주체" in message and "수량" in message
    assert ok(client.get(f"/api/cases/{case['id']}"))["case"]["status"] == "planned"


def test_two_providers_need_the_linkage_method_and_the_views_must_be_recorded(
    client, session, login
):
    """법 제13조①2 (연계 방법) and 법 제13조② (의견 진술의 기회)."""
    login(Role.dong_officer, dong=helpers.DONG)
    one, two = helpers.provider(session, "prov-a"), helpers.provider(session, "prov-b")
    case = helpers.open_case(client, helpers.person_in(session).id)
    state = helpers.walk_to(client, case, "decided")
    plan = helpers.plan_body(state["version"], provider_id=one.id)
    plan["services"][1]["provider_id"] = two.id
    plan["views"] = ""
    saved = ok(client.post(f"/api/cases/{case['id']}/plans", json=plan), 201)
    notice = {
        "version": saved["case_version"],
        "notified_on": str(deadlines.today()),
        "notice_to": "본인",
    }
    refused = client.post(f"/api/cases/{case['id']}/plans/notice", json=notice)
    assert refused.status_code == 422 and refused.json()["where"] == "linkage"
    assert "의견" in refused.json()["message"]


def test_the_conference_gate_follows_the_district_setting(
    client, session, login, tmp_path, monkeypatch
):
    """규칙 제9조②: the 회의 is optional in law; a district may make it a step before the notice."""
    login(Role.dong_officer, dong=helpers.DONG)
    prov = helpers.provider(session)
    case = helpers.open_case(client, helpers.person_in(session).id)
    state = helpers.walk_to(client, case, "planned", prov.id)
    strict = tmp_path / "settings.yaml"
    strict.write_text("conference:\n  first_plan: true\n", encoding="utf-8")
    monkeypatch.setenv("GIBON_CARE_SETTINGS_FILE", str(strict))
    notice = {
        "version": state["version"],
        "notified_on": str(deadlines.today()),
        "notice_to": "본인",
    }
    refused = client.post(f"/api/cases/{case['id']}/plans/notice", json=notice)
    assert refused.status_code == 422 and refused.json()["where"] == "conference"
    conf = {
        "version": state["version"],
        "case_id": case["id"],
        "held_on": str(deadlines.today()),
        "agenda": "지원계획 1판 협의",
        "participants": [{"agency": "district", "name": "통합돌봄과"}],
        "approve_plan": 1,
    }
    held = ok(client.post("/api/conferences", json=conf), 201)
    assert ok(client.get(f"/api/cases/{case['id']}"))["case"]["status"] == "planned"
    ok(
        client.post(
            f"/api/cases/{case['id']}/plans/notice",
            json={**notice, "version": held["case_version"]},
        )
    )


def test_without_the_setting_a_plan_is_notified_with_no_conference(client, session, login):
    login(Role.dong_officer, dong=helpers.DONG)
    prov = helpers.provider(session)
    case = helpers.open_case(client, helpers.person_in(session).id)
    helpers.walk_to(client, case, "approved", prov.id)
    detail = ok(client.get(f"/api/cases/{case['id']}"))
    assert detail["case"]["status"] == "approved" and detail["conferences"] == []


def _in_service(client: Any, session: Any, login: Any) -> tuple[int, Any]:
    case, ref = helpers.accepted_referral(client, session, login, "meals")
    return case["id"], ref


def _overdue_ids(client: Any) -> list[int]:
    page = ok(client.get("/api/cases", params={"due": "overdue", "limit": 500}))
    return [c["id"] for c in page["items"]]


def test_the_review_falls_due_three_months_after_the_first_plan_then_every_six(
    client, session, login, monkeypatch
):
    """규칙 제10조①, shown in the work queue and overdue the day after."""
    case_id, _ref = _in_service(client, session, login)
    today = deadlines.today()
    first_due = deadlines.add_months(today, 3)
    assert ok(client.get(f"/api/cases/{case_id}"))["case"]["due_on"] == str(first_due)
    monkeypatch.setattr(deadlines, "today", lambda: first_due)
    assert case_id not in _overdue_ids(client)
    monkeypatch.setattr(deadlines, "today", lambda: first_due + timedelta(days=1))
    assert case_id in _overdue_ids(client)
    monkeypatch.setattr(deadlines, "today", lambda: today)
    fu = ok(
        client.post(
            "/api/followups",
            json={
                "version": helpers.case_version(client, case_id),
                "case_id": case_id,
                "kind": "visit",
                "due_on": str(today),
            },
        ),
        201,
    )
    ok(
        client.post(
            f"/api/followups/{fu['id']}/done",
            json={"version": fu["version"], "notes": "상태 안정, 식사 잘 하심"},
        )
    )
    assert ok(client.get(f"/api/cases/{case_id}"))["case"]["due_on"] == str(
        deadlines.add_months(today, 6)
    )


def test_follow_up_dates_that_cannot_be_right_are_refused_with_the_reason(client, session, login):
    case_id, _ref = _in_service(client, session, login)
    today = deadlines.today()
    body = {"version": helpers.case_version(client, case_id), "case_id": case_id, "kind": "phone"}
    past = client.post("/api/followups", json={**body, "due_on": str(today - timedelta(days=1))})
    assert past.status_code == 422 and "지난 날짜" in past.json()["message"]
    late = deadlines.add_months(today, 3) + timedelta(days=1)
    too_far = client.post("/api/followups", json={**body, "due_on": str(late)})
    assert too_far.status_code == 422 and "규칙 제10조제1항" in too_far.json()["message"]


def test_ending_for_moving_away_is_refused_and_admission_is_accepted(client, session, login):
    """규칙 제11조: 사망, 입원·입소, 복합지원 불필요, 명시적 거부, 장관 인정 — nothing else."""
    case_id, ref = _in_service(client, session, login)
    url = f"/api/cases/{case_id}/close"
    moved = client.post(
        url, json={"version": helpers.case_version(client, case_id), "reason": "moved"}
    )
    assert moved.status_code == 422 and "규칙 제11조" in moved.text
    unsettled = client.post(
        url, json={"version": helpers.case_version(client, case_id), "reason": "admitted"}
    )
    assert unsettled.status_code == 422 and unsettled.json()["where"] == "settle"
    assert f"의뢰 {ref['id']}번" in unsettled.json()["message"]
    settle = [{"kind": "referral", "id": ref["id"], "how": "end"}]
    closed = ok(
        client.post(
            url,
            json={
                "version": helpers.case_version(client, case_id),
                "reason": "admitted",
                "settle": settle,
            },
        )
    )
    assert closed["status"] == "closed" and closed["close_reason"] == "admitted"
    detail = ok(client.get(f"/api/cases/{case_id}"))
    assert detail["referrals"][0]["status"] == "ended"


def test_a_refusal_ends_support_only_when_it_was_explicit(client, session, login):
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    url = f"/api/cases/{case['id']}/close"
    body = {
        "version": case["version"],
        "reason": "refused_explicitly",
        "note": "12월 3일 방문 때 서면으로 거부",
    }
    implicit = client.post(url, json=body)
    assert implicit.status_code == 422 and implicit.json()["where"] == "explicit_refusal"
    ok(client.post(url, json={**body, "explicit_refusal": True}))


def test_a_closed_case_is_reopened_by_its_officer_with_a_reason_and_not_by_another(
    client, session, login
):
    officer = login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    assert case["officer_id"] == officer.id
    screened = helpers.walk_to(client, case, "screened")
    closed = ok(
        client.post(
            f"/api/cases/{case['id']}/close",
            json={"version": screened["version"], "reason": "death"},
        )
    )
    login(
        Role.dong_officer, dong=helpers.DONG
    )  # a colleague in the same dong, not the case's officer
    body = {"version": closed["version"], "reason": "사망 신고가 잘못 접수되어 정정"}
    assert client.post(f"/api/cases/{case['id']}/reopen", json=body).status_code == 403
    login(Role.district_team)
    reopened = ok(client.post(f"/api/cases/{case['id']}/reopen", json=body))
    assert reopened["status"] == "screened" and reopened["close_reason"] is None
    events = ok(client.get(f"/api/cases/{case['id']}"))["events"]
    assert events[-1]["action"] == "reopen" and "잘못 접수" in events[-1]["detail"]


def test_only_the_provider_decides_on_a_referral_and_may_change_its_decision(
    client, session, login
):
    """법 제14조③: the provider decides and notifies, a change of decision too."""
    _case_id, ref = _in_service(client, session, login)
    current = ok(client.get(f"/api/referrals/{ref['id']}"))
    officer_try = client.patch(
        f"/api/referrals/{ref['id']}",
        json={"version": current["version"], "action": "decline", "reason": "x"},
    )
    assert officer_try.status_code == 403
    login(Role.provider, organization_id="prov-t1")
    changed = ok(
        client.patch(
            f"/api/referrals/{ref['id']}",
            json={
                "version": current["version"],
                "action": "decline",
                "reason": "담당 인력 퇴사로 제공 불가",
            },
        )
    )
    assert changed["status"] == "declined"


def test_a_discharge_notice_is_received_for_the_persons_dong_only(client, session, login):
    """법 제11조①, 규칙 제8조: the institution's notice of a 퇴원·퇴소, kept for the dong."""
    login(Role.dong_officer, dong=helpers.DONG)
    person = helpers.person_in(session)
    body = {
        "person_id": person.id,
        "institution_kind": "hospital",
        "institution_name": "관악구 종합병원",
        "leaving_on": str(deadlines.today()),
        "consent_by": "본인",
    }
    row = ok(client.post("/api/cases/discharge-notices", json=body), 201)
    assert row["dong"] == helpers.DONG
    assert [n["id"] for n in ok(client.get("/api/cases/discharge-notices"))] == [row["id"]]
    login(Role.dong_officer, dong="보라매동")
    assert client.post("/api/cases/discharge-notices", json=body).status_code == 403
    assert ok(client.get("/api/cases/discharge-notices")) == []


def test_information_requests_and_documents_checked_are_logged_on_the_case(client, session, login):
    """법 제23조③ and 규칙 제13조① (정보 요청); 규칙 제7조⑤ (행정정보 공동이용)."""
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    today = str(deadlines.today())
    request = {
        "direction": "to",
        "counterpart": "국민건강보험공단 관악지사",
        "items": ["survey", "provision"],
        "purpose": "지원계획 수립을 위한 장기요양 이용 현황 확인",
        "requested_on": today,
    }
    ok(client.post(f"/api/cases/{case['id']}/info-requests", json=request), 201)
    bad = client.post(f"/api/cases/{case['id']}/info-requests", json={**request, "items": ["rrn"]})
    assert bad.status_code == 422
    doc = {"document": "resident_register", "via": "shared", "checked_on": today}
    ok(client.post(f"/api/cases/{case['id']}/documents", json=doc), 201)
    future = str(deadlines.today() + timedelta(days=1))
    late = client.post(f"/api/cases/{case['id']}/documents", json={**doc, "checked_on": future})
    assert late.status_code == 422 and late.json()["where"] == "checked_on"
    assert len(ok(client.get(f"/api/cases/{case['id']}/info-requests"))) == 1
    assert ok(client.get(f"/api/cases/{case['id']}/documents"))[0]["via"] == "shared"


def test_the_nhis_is_a_route_of_support_not_an_applicant(client, session, login):
    """규칙 제7조③: the NHIS supports an application with the person's consent."""
    login(Role.dong_officer, dong=helpers.DONG)
    person = helpers.person_in(session)
    body = {
        "person_id": person.id,
        "channel": "nhis",
        "applicant_name": "공단",
        "applicant_relation": "직원",
        "consents": ["assessment"],
    }
    response = client.post("/api/cases", json=body)
    assert response.status_code == 422 and "규칙 제7조제3항" in response.text
    institution = ok(
        client.post(
            "/api/cases",
            json={**body, "channel": "home_elderly_facility", "applicant_name": "박복지"},
        ),
        201,
    )
    consents = ok(client.get(f"/api/cases/{institution['id']}"))["consents"]
    assert consents[0]["given_by"] == person.name  # the person's consent, not the staff member's


def test_the_application_and_the_plan_notice_are_produced_as_pdfs_from_the_case(
    client, session, login
):
    """규칙 제7조 (별지 제1호서식) and 규칙 제9조① (별지 제2호서식)."""
    from gibon.care.plans import notices

    officer = login(Role.dong_officer, dong=helpers.DONG)
    prov = helpers.provider(session)
    case = helpers.open_case(client, helpers.person_in(session).id)
    helpers.walk_to(client, case, "approved", prov.id)
    application = client.get(f"/care/cases/{case['id']}/application.pdf")
    assert application.status_code == 200 and application.content.startswith(b"%PDF")
    notice = client.get(f"/care/cases/{case['id']}/plans/1/notice.pdf")
    assert notice.status_code == 200 and notice.headers["content-type"] == "application/pdf"
    html = notices.plan_notice_html(session, officer, case["id"], 1)
    for item in ("별지 제2호서식", "도시락 배달", "주 3회", prov.name, "본인: 집에서 지내고 싶다"):
        assert item in html
    assert "의료적 지원 필요도 중등도" in html
    assert client.get(f"/care/cases/{case['id']}/plans/9/notice.pdf").status_code == 404
