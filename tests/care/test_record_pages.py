"""The record pages the law asks for: 정보 제공 요청 and 서류 확인 on the case page, and the dong's
퇴원·퇴소 통보 page, from which one click starts a prefilled application."""

from __future__ import annotations

import re

from gibon.accounts.models import Role
from gibon.care import deadlines
from tests.care import helpers


def _open_case(client, person) -> str:  # type: ignore[no-untyped-def]
    created = client.post(
        "/care/cases/new",
        data={
            "person_id": person.id,
            "channel": "self",
            "applicant_name": person.name,
            "applicant_relation": "본인",
            "consents": ["assessment"],
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text[:1500]
    return str(created.headers["location"])


def test_info_requests_and_document_checks_are_kept_and_read_in_korean(client, session, login):
    login(Role.dong_officer, dong=helpers.DONG)
    person = helpers.person_in(session)
    url = _open_case(client, person)
    today = deadlines.today().isoformat()
    sent = client.post(
        f"{url}/info_request",
        data={
            "direction": "to",
            "counterpart": "국민건강보험공단 관악지사",
            "items": ["survey", "change"],
            "purpose": "지원계획 변경을 위한 상태 확인",
            "requested_on": today,
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text[:1500]
    checked = client.post(
        f"{url}/document",
        data={"document": "resident_register", "via": "shared", "checked_on": today},
        follow_redirects=False,
    )
    assert checked.status_code == 303, checked.text[:1500]
    page = client.get(url).text
    table = page.split('id="info-requests"')[1].split("</table>")[0]
    assert "우리 구가 다른 기관에 요청" in table and "조사결과, 상태 및 서비스 요구 변화" in table
    assert "국민건강보험공단 관악지사" in table and "회신 전" in table
    docs = page.split('id="document-checks"')[1].split("</table>")[0]
    assert "주민등록표 등본" in docs and "행정정보 공동이용으로 확인" in docs
    for raw in (">survey<", ">to<", ">resident_register<", ">shared<", "None"):
        assert raw not in table + docs
    api = client.get(f"/api/cases/{url.rsplit('/', 1)[1]}/info-requests").json()
    assert api[0]["items"] == ["survey", "change"]


def test_a_record_form_with_errors_shows_them_next_to_its_fields(client, session, login):
    login(Role.dong_officer, dong=helpers.DONG)
    url = _open_case(client, helpers.person_in(session))
    bad = client.post(
        f"{url}/info_request",
        data={
            "direction": "to",
            "counterpart": "",
            "purpose": "확인",
            "requested_on": "2099-01-01",
        },
    )
    assert bad.status_code == 422
    form = bad.text.split('action="' + url + '/info_request"')[1].split("</form>")[0]
    assert 'id="error-summary"' in form
    assert re.search(r'id="err-f-counterpart"', form) and re.search(r'id="err-f-items"', form)
    assert "상대 기관" in form and "요청 정보" in form
    late = client.post(
        f"{url}/document",
        data={"document": "disability_certificate", "via": "submitted", "checked_on": "2099-01-01"},
    )
    assert late.status_code == 422 and "아직 오지 않은 날짜" in late.text
    assert "확인한 서류가 없습니다" in late.text  # nothing half-written


def test_a_discharge_notice_is_recorded_by_name_and_starts_a_prefilled_application(
    client, session, login
):
    login(Role.dong_officer, dong=helpers.DONG)
    person = helpers.person_in(session)
    assert "퇴원·퇴소 통보" in client.get("/care").text  # in the menu
    found = client.post("/care/discharge-notices/search", data={"q": person.name})
    assert found.status_code == 200 and person.rrn_masked in found.text
    pick = re.search(r'href="(/care/discharge-notices\?person_id=[^"#]+)', found.text)
    assert pick
    form = client.get(pick.group(1)).text
    assert f"{person.name} ({person.birth_date}" in form
    missing = client.post(
        "/care/discharge-notices",
        data={"person_id": person.id, "institution_kind": "hospital", "consent_by": "본인"},
    )
    assert missing.status_code == 422 and 'id="err-f-institution_name"' in missing.text
    assert "받은 퇴원·퇴소 통보가 없습니다" in missing.text
    saved = client.post(
        "/care/discharge-notices",
        data={
            "person_id": person.id,
            "institution_kind": "hospital",
            "institution_name": "서울대학교병원",
            "leaving_on": deadlines.today().isoformat(),
            "consent_by": "본인",
            "contact": "02-870-0000 퇴원지원팀",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text[:1500]
    listing = client.get("/care/discharge-notices").text
    row = listing.split('id="notices"')[1].split("</table>")[0]
    assert person.name in row and "의료기관 · 서울대학교병원" in row and "hospital" not in row
    start = re.search(r'href="(/care/cases/new\?notice=\d+)', row)
    assert start
    intake = client.get(start.group(1)).text
    assert 'value="hospital" selected' in intake and 'value="서울대학교병원"' in intake
    assert f'value="{person.id}"' in intake and 'id="from-notice"' in intake
    notice_id = start.group(1).rsplit("=", 1)[1]
    opened = client.post(
        "/care/cases/new",
        data={
            "person_id": person.id,
            "channel": "hospital",
            "applicant_name": "서울대학교병원",
            "applicant_relation": "퇴원지원팀",
            "consents": ["assessment"],
            "discharge_notice": notice_id,
        },
        follow_redirects=False,
    )
    assert opened.status_code == 303, opened.text[:1500]
    case_url = opened.headers["location"]
    after = client.get("/care/discharge-notices").text.split('id="notices"')[1]
    assert f'href="{case_url}"' in after and "신청 접수 시작" not in after.split("</table>")[0]


def test_another_dongs_resident_cannot_be_picked_for_a_notice(client, session, login):
    login(Role.dong_officer, dong="보라매동")
    other = helpers.person_in(session)
    page = client.get(f"/care/discharge-notices?person_id={other.id}").text
    assert other.name not in page and 'id="notice-form"' not in page
    refused = client.post(
        "/care/discharge-notices",
        data={
            "person_id": other.id,
            "institution_kind": "hospital",
            "institution_name": "보라매병원",
            "leaving_on": deadlines.today().isoformat(),
            "consent_by": "본인",
        },
    )
    assert refused.status_code in (403, 404, 422)
