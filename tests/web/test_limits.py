"""Bodies too large, bodies that are not UTF-8, and the errors the OpenAPI document promises."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from gibon.web import limits

TOO_BIG = limits.DEFAULT_LIMIT + 1


def test_a_body_declared_too_large_is_refused_with_413_in_gibons_shape(client: TestClient) -> None:
    response = client.post(
        "/api/auth/token", content=b"x" * TOO_BIG, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    body = response.json()
    assert body["error"] == "TooLarge"
    assert "너무 큽니다" in body["message"]


def test_a_chunked_body_is_counted_and_refused_once_past_the_limit(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(TOO_BIG // 65536 + 1):
            yield b"x" * 65536

    response = client.post(
        "/api/auth/token", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "TooLarge"


def test_a_json_body_in_cp949_gets_a_korean_400_in_gibons_shape(client: TestClient) -> None:
    body = '{"username": "김영숙", "password": "x"}'.encode("cp949")
    response = client.post(
        "/api/auth/token", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["error"] == "InvalidInput"
    assert "UTF-8" in answer["message"]
    assert "detail" not in answer


def test_an_unknown_api_address_is_a_404_in_gibons_shape(client: TestClient) -> None:
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"] == "NotFound"


def test_the_openapi_document_describes_gibons_errors(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert "ErrorBody" in doc["components"]["schemas"]
    patch = doc["paths"]["/api/conferences/{conference_id}"]["patch"]["responses"]
    for code in ("400", "401", "403", "404", "409", "413", "422", "503"):
        assert patch[code]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorBody")
    listing = doc["paths"]["/api/cases"]["get"]["responses"]
    assert "409" not in listing
    assert "413" not in listing
    assert "403" not in doc["paths"]["/health"]["get"]["responses"]
