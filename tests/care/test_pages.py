"""The Korean pages: the whole path through forms, errors next to fields, conflicts, dashboard."""

from __future__ import annotations

import re

from gibon.accounts.models import Role
from tests.care import helpers


def _version(html: str) -> str:
    match = re.search(r'id="case-version">(\d+)<', html)
    assert match, "case version missing"
    return match.group(1)


def _post(client, url, data, expect=303):  # type: ignore[no-untyped-def]
    response = client.post(url, data=data, follow_redirects=False)
    assert response.status_code == expect, response.text[:2000]
    return response


def test_an_officer_walks_a_case_through_every_form_to_closure(client, session, login):
    login(Role.dong_officer, dong=helpers.DONG)
    prov = helpers.provider(session)
    person = helpers.person_in(session)
    found = client.post("/care/cases/new/search", data={"q": person.name})
    assert person.rrn_masked in found.text
    created = _post(
        client,
        "/care/cases/new",
        {
            "person_id": person.id,
            "channel": "self",
            "applicant_name": person.name,
            "applicant_relation": "본인",
            "consents": ["assessment", "sharing", "referral"],
        },
    )
    url = created.headers["location"]
    page = lambda: client.get(url).text  # noqa: E731
    _post(
        client,
        f"{url}/screen",
        {"version": _version(page()), "items.bathing": "true", "items.dressing": "true"},
    )
    _post(
        client,
        f"{url}/assess",
        {
            "version": _version(page()),
            "data.adl.bathing": "3",
            "data.social.lives_alone": "true",
            "data.needs.wishes": "집에서 혼자 씻고 싶다",
            "agency": "nhis",
            "agency_part": "장기요양 인정조사 결과 제공",
        },
    )
    _post(
        client,
        f"{url}/decide",
        {
            "version": _version(page()),
            "medical_need": "low",
            "care_need": "moderate",
            "reasons": "목욕 완전 도움, 독거",
            "notified_on": "2026-12-01",
            "notice_method": "in_person",
        },
    )
    _post(
        client,
        f"{url}/plan",
        {
            "version": _version(page()),
            "based_on": "0",
            "goals": "낙상 없이 생활\n식사 유지",
            "services.0.service_type": "meals",
            "services.0.provider_id": str(prov.id),
            "services.0.frequency": "주 3회",
            "services.0.method": "도시락 배달",
            "services.0.start": "2026-12-01",
            "services.0.end": "2027-03-01",
            "views": "점심을 집에서 먹고 싶다",
            "views_by": "본인",
            "views_on": "2026-12-01",
        },
    )
    _post(
        client,
        f"{url}/conference",
        {
            "version": _version(page()),
            "held_on": "2026-12-02",
            "participants.0.agency": "district",
            "participants.0.name": "통합돌봄과",
            "agenda": "계획 협의",
            "minutes": "동의",
            "approve_plan": "1",
            "approve": "true",
        },
    )
    _post(
        client,
        f"{url}/notice",
        {"version": _version(page()), "notified_on": "2026-12-02", "notice_to": "본인"},
    )
    _post(
        client,
        f"{url}/refer",
        {"version": _version(page()), "provider_id": str(prov.id), "service_type": "meals"},
    )
    html = page()
    referral = helpers.ok(client.get("/api/cases/" + url.rsplit("/", 1)[1]))["referrals"][0]
    rid, rver = str(referral["id"]), str(referral["version"])
    assert 'value="accept"' not in html  # an external provider's decision, not the officer's
    login(Role.provider, organization_id=prov.organization_id)
    _post(
        client,
        f"/care/referrals/{rid}",
        {"version": rver, "action": "accept", "back": "/care/referrals"},
    )
    login(Role.dong_officer, dong=helpers.DONG)
    _post(
        client,
        f"{url}/followup",
        {"version": _version(page()), "kind": "visit", "due_on": "2026-12-20"},
    )
    fid, fver = re.search(
        r'action="/care/followups/(\d+)/done".*?name="version" value="(\d+)"', page(), re.S
    ).groups()
    _post(
        client,
        f"/care/followups/{fid}/done",
        {"version": fver, "notes": "식사 잘 하심", "back": url},
    )
    _post(
        client,
        f"{url}/close",
        {
            "version": _version(page()),
            "reason": "no_complex_need",
            "settle.0.kind": "referral",
            "settle.0.id": rid,
            "settle.0.how": "end",
        },
    )
    final = page()
    assert '<span class="badge" id="status">종료</span>' in final
    for step in (
        "사전 확인",
        "통합판정조사",
        "종합판정",
        "개인별지원계획",
        "지원계획 안내",
        "서비스 제공 결정 통보",
        "점검",
        "복합적인 지원 불필요",
    ):
        assert step in final
    assert 'value="end"' not in final.split('id="refer"')[1].split("</section>")[0]


def test_a_bad_form_shows_korean_errors_next_to_the_fields_and_saves_nothing(
    client, session, login
):
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    helpers.walk_to(client, case, "assessed")
    version = _version(client.get(f"/care/cases/{case['id']}").text)
    response = _post(
        client,
        f"/care/cases/{case['id']}/decide",
        {
            "version": version,
            "medical_need": "huge",
            "care_need": "low",
            "reasons": "짧",
            "reassess_in_months": "99",
        },
        expect=422,
    )
    assert 'id="err-f-medical_need"' in response.text and "목록에 있는 값 중에서" in response.text
    assert 'id="err-f-reasons"' in response.text and "5자 이상" in response.text
    assert 'id="err-f-reassess_in_months"' in response.text and "6 이하" in response.text
    # One summary at the top of the failed form, linking to each field by its label.
    assert 'id="error-summary"' in response.text and '<a href="#f-medical_need">' in response.text
    assert helpers.ok(client.get(f"/api/cases/{case['id']}"))["decisions"] == []


def test_a_stale_form_shows_both_versions_and_overwrites_nothing(client, session, login):
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    stale = _version(client.get(f"/care/cases/{case['id']}").text)
    _post(client, f"/care/cases/{case['id']}/screen", {"version": stale, "items.bathing": "true"})
    response = _post(
        client, f"/care/cases/{case['id']}/close", {"version": stale, "reason": "death"}, expect=409
    )
    assert 'id="conflict"' in response.text and f"<strong>{stale}</strong>" in response.text
    assert helpers.ok(client.get(f"/api/cases/{case['id']}"))["case"]["status"] == "screened"


def test_the_dashboard_shows_the_dong_map_to_the_policy_analyst(client, session, login):
    login(Role.dong_officer, dong=helpers.DONG)
    helpers.open_case(client, helpers.person_in(session).id)
    login(Role.policy_analyst)
    page = client.get("/care/dashboard")
    assert page.status_code == 200 and "<svg" in page.text and "신림동" in page.text
    assert client.get("/care").status_code == 403


def test_the_admin_audit_page_finds_a_case_read_and_checks_the_chain(client, session, login):
    officer = login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    client.get(f"/care/cases/{case['id']}")
    login(Role.admin)
    page = client.get("/admin/audit", params={"actor": officer.username, "verify": "true"})
    assert page.status_code == 200 and "사례 상세 화면" in page.text and "무결성 확인" in page.text


def test_the_assessment_form_shows_the_income_situation_from_the_benefits_engine(
    client, session, login
):
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    helpers.walk_to(client, case, "screened")
    page = client.get(f"/care/cases/{case['id']}")
    assert 'id="income-ref"' in page.text and "가구 급여 합계" in page.text
