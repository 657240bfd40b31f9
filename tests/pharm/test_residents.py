"""Finding the resident to visit: by name, birth date or resident number, never in a URL."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from gibon.pharm.models import Visit
from gibon.residents.models import Person


def _older(session: Any) -> Person:
    q = select(Person).where(Person.birth_date < date(1955, 1, 1)).order_by(Person.id)
    person = session.scalars(q).first()
    assert person is not None
    return person


def _search(client: Any, q: str) -> Any:
    return client.post("/pharm/residents", data={"q": q})


def test_a_resident_is_found_by_name_and_shown_with_age_dong_and_address(client, session, login):  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    person = _older(session)
    r = _search(client, person.name)
    assert r.status_code == 200
    row = r.text.split(f'id="resident-{person.id}"')[1].split("</tr>")[0]
    assert person.name in row and person.dong in row and "관악구" in row and "세" in row


def test_a_birth_date_is_found_however_it_is_typed(client, session, login):  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    person = _older(session)
    b = person.birth_date
    for typed in (
        b.isoformat(),
        b.strftime("%Y.%m.%d"),
        b.strftime("%Y/%m/%d"),
        b.strftime("%Y%m%d"),
    ):
        assert f'id="resident-{person.id}"' in _search(client, typed).text, typed


def test_a_resident_number_is_searched_by_post_and_never_shown_or_logged(
    client, session, login
) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    person = _older(session)
    for typed in (person.rrn_masked, person.rrn_masked[:8], person.rrn_masked[:6]):
        assert f'id="resident-{person.id}"' in _search(client, typed).text, typed
    plain = client.app.state.vault.decrypt(person.rrn_enc)
    r = _search(client, plain)
    assert f'id="resident-{person.id}"' in r.text and plain not in r.text
    logged = " ".join(f"{e.detail} {e.resource_id}" for e in session.scalars(select(AuditEvent)))
    assert "by=주민등록번호" in logged and plain not in logged and plain[:6] not in logged


def test_a_search_that_finds_nobody_says_how_to_search(client, login):  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    r = _search(client, "없는이름가나다")
    assert r.status_code == 200 and "찾는 주민이 없습니다" in r.text


def _visit(client: Any, session: Any) -> int:
    r = client.post("/pharm/visits", data={"person_id": _older(session).id}, follow_redirects=False)
    return int(r.headers["location"].split("/")[3])


def test_the_status_form_offers_the_next_step_first_never_closing(client, session, login):  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    vid = _visit(client, session)
    form = client.get(f"/pharm/visits/{vid}").text.split('id="status-form"')[1].split("</form>")[0]
    first = form.split("<option")[1]
    assert 'value="visited" selected' in first and "방문 완료" in first


def test_a_visit_date_typed_with_slashes_is_read_and_a_future_one_refused_with_the_reason(
    client, session, login
) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    vid = _visit(client, session)
    future = client.post(
        f"/pharm/visits/{vid}/status", data={"status": "visited", "visited_on": "2999/12/07"}
    )
    assert future.status_code == 422
    assert "오늘" in future.text and "이후" in future.text and "validation error" not in future.text
    bad = client.post(
        f"/pharm/visits/{vid}/status", data={"status": "visited", "visited_on": "12월7일"}
    )
    assert bad.status_code == 422 and "방문일: 날짜 형식이 아닙니다" in bad.text
    assert "예: 2026-12-07" in bad.text and "validation error" not in bad.text
    today = date.today()
    ok = client.post(
        f"/pharm/visits/{vid}/status",
        data={"status": "visited", "visited_on": today.strftime("%Y/%m/%d")},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    visit = session.get(Visit, vid)
    session.refresh(visit)
    assert visit.status == "visited" and visit.visited_on == today
