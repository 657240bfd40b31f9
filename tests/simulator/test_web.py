"""The simulator in the web app: planners run reforms (aggregates only); dong officers work the
outreach list of their own dong and record outcomes. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent

YOUTH = {"example": "gwanak_youth_basic_income", "month": "2026-06"}


class _Classes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.classes: list[str] = []
        self.forms: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.classes += (d.get("class") or "").split()
        if tag == "form":
            self.forms.append(d.get("action") or "")


def _parse(html: str) -> _Classes:
    p = _Classes()
    p.feed(html)
    return p


def test_a_policy_analyst_runs_an_example_and_reads_only_aggregates(
    client: TestClient,
    login: Any,
) -> None:
    login(Role.policy_analyst)
    created = client.post("/api/simulator/runs", json=YOUTH)
    assert created.status_code == 201, created.text
    body = created.json()
    programs = {p["program"]: p for p in body["summary"]["programs"]}
    assert programs["gwanak_youth_basic_income"]["reform_cost"] > 0
    assert '"H0' not in created.text and '"P0' not in created.text  # no household, no person
    again = client.get(f"/api/simulator/runs/{body['id']}")
    assert again.status_code == 200 and again.json()["reform_name"] == "관악 청년기본소득"
    assert any(r["id"] == body["id"] for r in client.get("/api/simulator/runs").json())


def test_a_reform_with_a_misspelt_parameter_is_refused_with_the_closest_name(
    client: TestClient,
    login: Any,
) -> None:
    login(Role.policy_analyst)
    bad = "name: 오타\noverrides:\n  nbls.selection_rate.livelyhood: {2026-07-01: 0.35}\n"
    r = client.post("/api/simulator/runs", json={"reform_yaml": bad})
    assert r.status_code == 422
    assert "nbls.selection_rate.livelihood" in r.json()["message"]


def test_a_dong_officer_may_not_run_reforms_and_an_analyst_may_not_see_households(
    client: TestClient,
    login: Any,
) -> None:
    login(Role.dong_officer, dong="신림동")
    assert client.post("/api/simulator/runs", json=YOUTH).status_code == 403
    login(Role.policy_analyst)
    assert client.get("/api/simulator/outreach").status_code == 403


def test_the_outreach_list_holds_only_the_officers_dong_ranked_by_money_missed(
    client: TestClient,
    login: Any,
    session: Session,
) -> None:
    login(Role.dong_officer, dong="신림동")
    r = client.get("/api/simulator/outreach", params={"limit": 200})
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["dong"] == "신림동" and page["total"] >= len(page["items"]) > 0
    missed = [i["missed_amount"] for i in page["items"]]
    assert missed == sorted(missed, reverse=True)
    assert all(i["dong"] == "신림동" for i in page["items"])
    first = page["items"][0]
    assert first["programs"] and all(p["eligible"] for p in first["programs"])
    assert first["programs"][0]["explanation"]
    reads = session.scalars(select(AuditEvent).where(AuditEvent.resource == "simulator_outreach"))
    assert any(e.resource_id == "신림동" for e in reads)


def test_another_dongs_list_is_refused_to_a_dong_officer(client: TestClient, login: Any) -> None:
    login(Role.dong_officer, dong="신림동")
    assert client.get("/api/simulator/outreach", params={"dong": "보라매동"}).status_code == 403


def test_recording_applied_takes_the_household_off_the_list(client: TestClient, login: Any) -> None:
    login(Role.dong_officer, dong="신림동")
    first = client.get("/api/simulator/outreach").json()["items"][0]
    hid = first["household_id"]
    programs = [p["id"] for p in first["programs"]]
    r = client.post(
        f"/api/simulator/outreach/{hid}/contacts",
        json={"outcome": "applied", "programs": programs, "note": "주민센터 방문 신청"},
    )
    assert r.status_code == 201, r.text
    after = client.get("/api/simulator/outreach", params={"limit": 200}).json()
    assert hid not in [i["household_id"] for i in after["items"]]
    history = client.get(f"/api/simulator/outreach/{hid}/contacts").json()
    assert [c["outcome"] for c in history] == ["applied"]


def test_reached_keeps_the_household_on_the_list_with_its_last_outcome(
    client: TestClient,
    login: Any,
) -> None:
    login(Role.dong_officer, dong="신림동")
    hid = client.get("/api/simulator/outreach").json()["items"][0]["household_id"]
    client.post(f"/api/simulator/outreach/{hid}/contacts", json={"outcome": "reached"})
    items = client.get("/api/simulator/outreach", params={"limit": 200}).json()["items"]
    kept = [i for i in items if i["household_id"] == hid]
    assert kept and kept[0]["last_outcome"] == "reached"


def test_an_unknown_outcome_or_another_dongs_household_is_refused(
    client: TestClient,
    login: Any,
) -> None:
    login(Role.dong_officer, dong="신림동")
    hid = client.get("/api/simulator/outreach").json()["items"][0]["household_id"]
    r = client.post(f"/api/simulator/outreach/{hid}/contacts", json={"outcome": "maybe"})
    assert r.status_code == 422
    login(Role.dong_officer, dong="보라매동")
    r = client.post(f"/api/simulator/outreach/{hid}/contacts", json={"outcome": "reached"})
    assert r.status_code == 403


def test_the_planner_page_runs_an_example_and_shows_the_report_with_the_map(
    client: TestClient,
    login: Any,
) -> None:
    login(Role.policy_analyst)
    index = client.get("/simulator")
    assert index.status_code == 200 and "관악 청년기본소득" in index.text
    assert "/simulator/runs" in _parse(index.text).forms
    r = client.post("/simulator/runs", data=YOUTH, follow_redirects=False)
    assert r.status_code == 303
    report = client.get(r.headers["location"])
    classes = _parse(report.text).classes
    assert "dong-map" in classes and classes.count("chart") == 2


def test_a_bad_upload_comes_back_to_the_form_with_the_error(client: TestClient, login: Any) -> None:
    login(Role.policy_analyst)
    r = client.post("/simulator/runs", data={"reform_yaml": "name: x\noverride: {}\n"})
    assert r.status_code == 422
    assert "overrides" in r.text and "error-summary" in _parse(r.text).classes


def test_the_outreach_page_lists_households_with_an_outcome_form_each(
    client: TestClient,
    login: Any,
) -> None:
    login(Role.dong_officer, dong="신림동")
    r = client.get("/simulator/outreach")
    assert r.status_code == 200
    forms = [f for f in _parse(r.text).forms if f.startswith("/simulator/outreach/")]
    assert forms
    done = client.post(forms[0], data={"outcome": "not_interested"}, follow_redirects=False)
    assert done.status_code == 303


def test_the_outreach_page_computes_this_month_in_seoul_and_says_so(
    client: TestClient,
    login: Any,
) -> None:
    from datetime import UTC, datetime

    from gibon.kit import clock

    login(Role.dong_officer, dong="신림동")
    with clock.at(datetime(2026, 10, 31, 16, 0, tzinfo=UTC)):  # 2026-11-01 01:00 in Seoul
        r = client.get("/simulator/outreach")
    assert "2026년 11월 기준" in r.text


def test_a_dong_with_no_long_term_care_grade_at_all_keeps_the_column_typed() -> None:
    """Without the cast the empty column would be Null and the engine would refuse it."""
    import polars as pl

    from gibon import benefits, population
    from gibon.population import schema
    from gibon.simulator import repository

    hh, ps = population.generate(seed=3, persons=300)
    raw = ps.with_columns(pl.lit(None).alias("ltc_grade"))
    typed = repository._typed(raw, schema.PERSONS)
    assert typed.schema["ltc_grade"] == pl.String
    assert benefits.calculate_population(hh, typed, "2026-06").height == hh.height


def test_the_district_team_opens_the_outreach_page_at_a_dong_and_can_switch(
    client: TestClient,
    login: Any,
) -> None:
    login(Role.district_team)
    first = client.get("/simulator/outreach")
    assert first.status_code == 200 and "<select" in first.text
    other = client.get("/simulator/outreach", params={"dong": "보라매동"})
    assert other.status_code == 200 and "보라매동" in other.text


def test_residents_read_back_from_the_database_equal_the_population_that_was_loaded(
    session: Session,
) -> None:
    from gibon import population
    from gibon.simulator import repository
    from tests import factories

    households, persons = repository.population_frames(session)
    hh0, ps0 = population.generate(seed=7, persons=factories.SMALL_POPULATION)
    cols = [c for c in persons.columns if c != "pregnant"]
    a, b = persons.select(cols).sort("person_id"), ps0.select(cols).sort("person_id")
    assert [c for c in cols if not a[c].equals(b[c])] == []
    assert persons.select(cols).sort("person_id").equals(ps0.select(cols).sort("person_id"))
    assert households.sort("household_id").equals(
        hh0.select(households.columns).sort("household_id")
    )


def test_the_outreach_page_shows_how_to_reach_each_household_and_who_called_last(
    client: TestClient,
    login: Any,
    session: Session,
) -> None:
    import re

    from gibon.residents import contact

    officer = login(Role.dong_officer, dong="신림동")
    first = client.get("/api/simulator/outreach").json()["items"][0]
    hid = first["household_id"]
    r = client.post(
        f"/api/simulator/outreach/{hid}/contacts",
        json={"outcome": "reached", "programs": [], "note": ""},
    )
    assert r.status_code == 201, r.text
    html = client.get("/simulator/outreach").text
    card = html[html.index(f'id="h-{hid}"') :]
    card = card[: card.index("</section>")]
    head = contact.heads_of(session, [hid])[hid]
    assert contact.synthetic_phone(head) in card and "가상 번호" in card and "가상 주소" in card
    assert re.search(r"만 \d+세", card) and "가구원" in card
    assert f"<dt>최근 상담</dt><dd>{officer.display_name} (동 주민센터 담당자)</dd>" in card
    assert officer.username not in card
    purposes = session.scalars(
        select(AuditEvent.purpose).where(AuditEvent.actor == officer.username)
    ).all()
    assert "사각지대 발굴 목록의 연락처·가구원" in purposes
