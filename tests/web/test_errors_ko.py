"""Errors read as Korean: pages for bad addresses, Korean JSON messages that keep the field path."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from gibon.accounts.models import Role


def test_an_unknown_address_is_a_korean_page_and_korean_json_under_api(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "없는 주소입니다" in page.text
    api = client.get("/api/no/such/thing")
    assert api.status_code == 404 and api.json()["message"].startswith("없는 주소")


def test_a_bad_id_in_a_page_address_is_a_korean_not_found_page(
    client: TestClient, login: Any
) -> None:
    login(Role.dong_officer, dong="신림동")
    for address in ("/care/cases/abc", "/care/cases/0", "/care/cases/99999999999"):
        page = client.get(address)
        assert page.status_code == 404, address
        assert "text/html" in page.headers["content-type"] and "찾을 수 없습니다" in page.text
        assert "\\u" not in page.text and "greater_than" not in page.text


def test_a_json_validation_error_is_a_korean_sentence_with_the_field_path(
    client: TestClient,
) -> None:
    body = client.post("/api/auth/token", json={"username": "x"}).json()
    assert body["where"] == "body.password"
    assert body["message"].endswith("꼭 적어야 하는 항목입니다")
    assert body["details"][0]["type"] == "missing"


def test_the_benefits_api_names_the_member_field_in_korean(client: TestClient) -> None:
    household = {
        "housing": {"tenure": "free"},
        "members": [
            {
                "id": "a",
                "relation": "head",
                "birth_date": "1950-01-01",
                "sex": "F",
                "earned_income": "x",
            }
        ],
    }
    body = client.post("/api/benefits/calculate", json=household).json()
    assert body["where"] == "members.0.earned_income"
    assert body["message"] == "구성원 1의 근로소득: 숫자로 적어 주세요 (예: 1500000)"
