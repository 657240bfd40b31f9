"""HTTP: POST /api/benefits/calculate and the Korean calculator page."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import polars as pl
from fastapi.testclient import TestClient

from gibon.accounts.models import Role
from tests.benefits.factories import household, member, population

YOUNG = household(
    member(birth_date="1999-01-10", earned_income=1500000), deposit=10_000_000, monthly_rent=400000
)


class Rows(HTMLParser):
    """Collects the program rows of the result table: data-program -> cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-program"):
            self.current = a["data-program"]
            self.rows[self.current] = []
        elif tag == "td" and self.current:
            self.rows[self.current].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current and self.rows[self.current]:
            self.rows[self.current][-1] += data.strip()


def test_one_household_gets_every_program_with_explanations(client: TestClient) -> None:
    res = client.post("/api/benefits/calculate", json=YOUNG)
    assert res.status_code == 200, res.text
    body = res.json()
    assert len(body["programs"]) == 15 and body["programs"][0]["amount"] == 190556
    assert body["programs"][0]["explanation"][0]["label"] == "가구원 수"


def test_a_list_of_households_gets_a_list_of_results_in_order(client: TestClient) -> None:
    elder = household(member(birth_date="1950-01-01"), tenure="free")
    res = client.post("/api/benefits/calculate?explain=false", json=[YOUNG, elder])
    assert res.status_code == 200, res.text
    first, second = res.json()
    assert first["programs"][0]["amount"] == 190556 and first["programs"][0]["explanation"] == []
    assert next(p for p in second["programs"] if p["id"] == "basic_pension")["amount"] == 349700


def test_bad_input_is_422_with_the_field_path_and_a_valid_example(client: TestClient) -> None:
    bad = household(member(earned_income=-1))
    res = client.post("/api/benefits/calculate", json=[YOUNG, bad])
    assert res.status_code == 422
    body = res.json()
    assert body["where"] == "[1].members.0.earned_income" and "example" in body


def test_a_bad_month_is_422(client: TestClient) -> None:
    assert client.post("/api/benefits/calculate?month=2026-13", json=YOUNG).status_code == 422
    assert client.post("/api/benefits/calculate?month=2024-06", json=YOUNG).status_code == 422


def test_the_program_list_names_its_legal_references(client: TestClient) -> None:
    res = client.get("/api/benefits/programs")
    assert res.status_code == 200
    assert res.json()[0]["references"][0].startswith("국민기초생활보장법")


def test_the_calculator_page_shows_a_korean_form(client: TestClient) -> None:
    res = client.get("/benefits")
    assert res.status_code == 200
    assert "복지급여 한 번에 보기" in res.text and 'name="m0_birth_date"' in res.text


def test_an_officer_enters_a_household_and_sees_every_program_with_reasons(
    client: TestClient,
) -> None:
    form = {
        "month": "2026-06",
        "dong": "청룡동",
        "tenure": "monthly_rent",
        "deposit": "10,000,000",
        "monthly_rent": "400000",
        "m0_relation": "head",
        "m0_birth_date": "1999-01-10",
        "m0_sex": "F",
        "m0_disability": "none",
        "m0_earned_income": "1500000",
    }
    res = client.post("/benefits", data=form)
    assert res.status_code == 200, res.text
    parser = Rows()
    parser.feed(res.text)
    assert len(parser.rows) == 15
    assert parser.rows["livelihood"][:3] == ["생계급여", "대상", "190,556원"]
    assert parser.rows["housing_benefit"][2] == "369,000원"
    assert "국민기초생활보장법 제6조의3①" in res.text


def test_the_page_shows_what_is_wrong_and_keeps_the_input(client: TestClient) -> None:
    form = {
        "month": "2026-06",
        "tenure": "free",
        "m0_relation": "head",
        "m0_birth_date": "1999-01-10",
        "m0_earned_income": "백만원",
    }
    res = client.post("/benefits", data=form)
    assert res.status_code == 422
    assert 'value="백만원"' in res.text
    # The summary links to the field by its on-screen label; the message sits next to the field.
    assert '<a href="#f-m0_earned_income">구성원 1의 근로소득</a>' in res.text
    assert 'id="err-f-m0_earned_income"' in res.text and "숫자로 적어 주세요" in res.text
    assert "validation error" not in res.text and "Input should" not in res.text


def test_the_example_household_is_valid_input(client: TestClient) -> None:
    example = client.get("/api/benefits/example").json()
    assert client.post("/api/benefits/calculate", json=example).status_code == 200
    spec = client.get("/openapi.json").json()
    assert "Household" in spec["components"]["schemas"]


def test_an_empty_or_malformed_body_is_422(client: TestClient) -> None:
    assert client.post("/api/benefits/calculate", content=b"").status_code == 422
    res = client.post(
        "/api/benefits/calculate",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert res.status_code == 422
    assert client.post("/api/benefits/calculate", json=[]).status_code == 422


def parquet(df: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.write_parquet(buf)
    return buf.getvalue()


def test_the_columnar_batch_path_returns_one_row_per_household(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.district_team)  # batch work needs a role
    households, persons = population(500, seed=5)
    res = client.post(
        "/api/benefits/population?month=2026-06",
        files={"households": parquet(households), "persons": parquet(persons)},
    )
    assert res.status_code == 200, res.text
    got = pl.read_parquet(io.BytesIO(res.content))
    assert got.height == 500 and "livelihood_amount" in got.columns


def test_the_columnar_path_names_a_negative_amount_and_its_row(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.district_team)  # batch work needs a role
    households, persons = population(50, seed=5)
    persons = persons.with_columns(
        pl.when(pl.int_range(pl.len()) == 7)
        .then(-1)
        .otherwise(pl.col("earned_income"))
        .alias("earned_income")
    )
    res = client.post(
        "/api/benefits/population",
        files={"households": parquet(households), "persons": parquet(persons)},
    )
    assert res.status_code == 422 and res.json()["where"] == "persons[7].earned_income"


def test_the_columnar_path_refuses_a_file_that_is_not_parquet(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.district_team)  # batch work needs a role
    res = client.post("/api/benefits/population", files={"households": b"nope", "persons": b"nope"})
    assert res.status_code == 422 and res.json()["where"] == "households"


def test_the_fast_json_path_writes_the_same_document_as_the_dict_path() -> None:
    import json

    from gibon.benefits import service
    from gibon.benefits.schemas import parse_household

    parsed = [
        parse_household(YOUNG),
        parse_household(
            household(member(birth_date="1950-01-01", pension_income=800000), tenure="free")
        ),
    ]
    fast = [json.loads(t) for t in service.calculate_json(parsed, "2026-06")]
    assert fast == service.calculate_many(parsed, "2026-06", explain=False)


def test_a_household_needs_exactly_one_head_and_unique_member_ids(client: TestClient) -> None:
    two_heads = household(member("a"), member("b"))
    res = client.post("/api/benefits/calculate", json=[YOUNG, two_heads])
    assert res.status_code == 422 and res.json()["where"] == "[1].members"
    same_ids = household(member("a"), member("a", "spouse"))
    res = client.post("/api/benefits/calculate", json=same_ids)
    assert res.status_code == 422 and "겹칩니다" in res.json()["message"]
