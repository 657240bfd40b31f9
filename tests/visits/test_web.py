from __future__ import annotations

from html.parser import HTMLParser

from fastapi.testclient import TestClient

from gibon.accounts.models import Role
from tests.visits import factories as f


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.professionals: list[str] = []
        self.routes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-professional"):
            self.professionals.append(a["data-professional"] or "")
        if tag == "g" and a.get("class") == "route":
            self.routes.append(a.get("data-professional") or "")


def _request() -> dict:
    pros = [f.professional("n1"), f.professional("d1", "doctor", mode="car"), f.professional("n2")]
    visits = [
        f.visit("a"),
        f.visit("pair", 1, [("doctor", 30), ("nurse", 30)], together="simultaneous"),
        f.visit("bad", 2, [("dentist", 20)]),
    ]
    return f.request(pros, visits)


def test_the_plan_api_returns_a_checked_schedule_with_reasons(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.district_team)
    response = client.post("/api/visits/plan?time_limit=1", json=_request())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["checker"]["feasible"] is True
    assert body["unscheduled"] == [
        {"visit": "bad", "reason": body["unscheduled"][0]["reason"], "code": "unknown_profession"}
    ]


def test_a_pharmacist_may_not_plan_home_visits(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.pharmacist)
    assert client.post("/api/visits/plan?time_limit=1", json=_request()).status_code == 403


def test_a_visiting_professional_exports_only_their_own_calendar(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.visiting_professional, organization_id="n1")
    schedule = client.post("/api/visits/plan?time_limit=1", json=_request()).json()
    own = client.post("/api/visits/ical?professional=n1", json=schedule)
    assert own.status_code == 200 and own.headers["content-type"].startswith("text/calendar")
    assert own.text.startswith("BEGIN:VCALENDAR\r\n") and own.text.count("BEGIN:VEVENT") >= 1
    assert client.post("/api/visits/ical?professional=d1", json=schedule).status_code == 403


def test_the_day_board_shows_a_timeline_row_and_a_route_per_professional(
    client: TestClient, login
) -> None:  # type: ignore[no-untyped-def]
    login(Role.district_team)
    page = client.get("/visits?seed=7&visits=12")
    assert page.status_code == 200
    rows = _Rows()
    rows.feed(page.text)
    assert len(rows.professionals) == 32
    assert rows.routes and set(rows.routes) <= set(rows.professionals)
    assert "검증 통과" in page.text
    ics = client.get(f"/visits/demo/7/{rows.routes[0]}.ics?visits=12")
    assert ics.status_code == 200 and "BEGIN:VEVENT" in ics.text
