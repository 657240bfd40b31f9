"""Young one-person households: the youth programs from the engine and the dong's centre, the
UCLA 3-item loneliness screen recorded on the item, referrals to local programs."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon import benefits
from gibon.accounts.models import Role
from gibon.crisis import repository, service, youth
from gibon.errors import InvalidInput
from gibon.kit import gwanak
from gibon.residents.models import Household, Person
from tests import factories
from tests.crisis.conftest import DONG, list_signal


def test_ucla_three_items_sum_three_to_nine() -> None:
    assert youth.ucla_score([1, 1, 1]) == 3 and youth.ucla_score([3, 3, 3]) == 9
    assert youth.ucla_band(6).startswith("외로움 높음") and youth.ucla_band(5) == "외로움 낮음"
    with pytest.raises(InvalidInput) as bad:
        youth.ucla_score([1, 4, 1])
    assert "2번 문항" in bad.value.message
    with pytest.raises(InvalidInput):
        youth.ucla_score([1, 2])


def test_every_dong_has_its_centre_and_no_address_is_made_up() -> None:
    for dong in gwanak.dong_names():
        c = youth.centre(dong)
        assert c is not None and c.place == f"{dong} 주민센터" and c.address is None
    assert youth.centre("대학동").programs_sourced  # type: ignore[union-attr]
    assert not youth.centre("신림동").programs  # type: ignore[union-attr]


def _young_single(session: Session) -> Person:
    day = service.today()
    q = (
        select(Person)
        .join(Household, Household.id == Person.household_id)
        .where(Household.living_alone.is_(True), Person.relation == "head", Person.dong == DONG)
        .order_by(Person.id)
    )
    for p in session.scalars(q):
        if 19 <= (day - p.birth_date).days // 365 <= 29:
            return p
    raise AssertionError("no young one-person household in the small district")


def _item(session: Session, p: Person) -> int:
    list_signal(session, p, "power_cut", service.today(), f"y-{p.id}-1")
    list_signal(session, p, "telecom_arrears", service.today(), f"y-{p.id}-2")
    service.score_households(session, "test", household_ids=[p.household_id])
    session.commit()
    return repository.open_items(session, [p.household_id])[p.household_id].id


def test_the_item_of_a_young_single_shows_the_engines_youth_programs_and_the_centre(
    client: TestClient, session: Session, login
) -> None:
    p = _young_single(session)
    item_id = _item(session, p)
    login(Role.dong_officer, dong=DONG)
    d = client.get(f"/api/crisis/items/{item_id}").json()
    assert [y["id"] for y in d["youth"]["programs"]] == list(youth.PROGRAMS)
    # the engine, asked independently, agrees on every program's state
    hh, ps = repository.household_frames(session, [p.household_id])
    (mine,) = benefits.service.explain_households(hh, ps, service.today().strftime("%Y-%m"))
    by_id = {x["id"]: x for x in mine["programs"]}
    for y in d["youth"]["programs"]:
        x = by_id[y["id"]]
        expect = "undetermined" if not x["determined"] else "eligible" if x["eligible"] else "not_eligible"  # fmt: skip
        assert y["state"] == expect
    assert d["youth"]["centre"]["name"] == f"관악형 작은 1인가구지원센터 ({DONG})"
    assert "분리지급" in d["youth"]["split_payment_note"]

    bad = client.post(f"/api/crisis/items/{item_id}/loneliness", json={"q1": 4, "q2": 1, "q3": 1})
    assert bad.status_code == 422
    r = client.post(f"/api/crisis/items/{item_id}/loneliness", json={"q1": 3, "q2": 2, "q3": 3})
    assert r.status_code == 200 and r.json()["loneliness_score"] == 8
    r = client.post(f"/api/crisis/items/{item_id}/referrals", json={"program": "single_centre"})
    assert r.status_code == 201 and r.json()["target"] == f"관악형 작은 1인가구지원센터 ({DONG})"
    unknown = client.post(f"/api/crisis/items/{item_id}/referrals", json={"program": "x"})
    assert unknown.status_code == 422 and "연계 프로그램" in unknown.text
    d = client.get(f"/api/crisis/items/{item_id}").json()
    assert d["loneliness"]["score"] == 8 and d["loneliness"]["band"].startswith("외로움 높음")
    assert [r["program_label"] for r in d["referrals"]] == ["작은 1인가구지원센터"]
    assert any("지역 프로그램 연계" in e for e in d["events"])
    assert any("고립 선별" in e for e in d["events"])


def test_an_elder_item_has_no_youth_view_and_the_page_records_the_screen(
    client: TestClient, session: Session, login
) -> None:
    day = service.today()
    elder = next(
        p
        for p in session.scalars(
            select(Person).where(Person.relation == "head", Person.dong == DONG).order_by(Person.id)
        )
        if (day - p.birth_date).days // 365 >= 65
    )
    item_id = _item(session, elder)
    login(Role.dong_officer, dong=DONG)
    assert client.get(f"/api/crisis/items/{item_id}").json()["youth"] is None
    page = f"/crisis/items/{item_id}"
    html = client.get(page).text
    assert "UCLA 외로움 3문항" in html and "청년 1인가구" not in html
    assert (
        "타당도 검증을 거치지 않았습니다" in html
    )  # the page says the Korean short form is unvalidated
    factories.csrf_header(client, page)
    r = client.post(f"{page}/loneliness", data={"q1": "1", "q2": "2", "q3": "1"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert "4점" in client.get(page).text
    r = client.post(f"{page}/loneliness", data={"q1": "1", "q2": "2"})
    assert r.status_code == 422 and "3번 문항" in r.text
