"""The overload gate: past its limit a request waits briefly, then gets gibon's 503."""

from __future__ import annotations

import asyncio
import sqlite3

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from gibon.web import errors, overload
from gibon.web.overload import OverloadGate


def _gated_app(release: asyncio.Event) -> OverloadGate:
    async def slow(_request: Request) -> PlainTextResponse:
        await release.wait()
        return PlainTextResponse("done")

    async def health(_request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    app = Starlette(
        routes=[Route("/api/slow", slow), Route("/slow", slow), Route("/health", health)]
    )
    return OverloadGate(app, limit=1, wait=0.05)


async def _while_one_is_inside(path: str, accept: str = "*/*") -> tuple[httpx.Response, str]:
    release = asyncio.Event()
    transport = httpx.ASGITransport(app=_gated_app(release))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        first = asyncio.create_task(client.get("/api/slow"))
        await asyncio.sleep(0.01)  # the first request holds the only place
        second = await client.get(path, headers={"accept": accept})
        release.set()
        return second, (await first).text


def test_a_request_past_the_limit_gets_503_with_retry_after_in_gibons_shape() -> None:
    second, first = asyncio.run(_while_one_is_inside("/api/slow"))
    assert second.status_code == 503
    assert second.headers["retry-after"] == "1"
    body = second.json()
    assert body["error"] == "Busy"
    assert "잠시 후 다시 시도하세요" in body["message"]
    assert first == "done"


def test_a_page_past_the_limit_gets_a_korean_page() -> None:
    second, _ = asyncio.run(_while_one_is_inside("/slow", accept="text/html"))
    assert second.status_code == 503
    assert second.headers["content-type"].startswith("text/html")
    assert "잠시 후 다시 시도하세요" in second.text


def test_health_is_answered_even_when_the_gate_is_full() -> None:
    second, _ = asyncio.run(_while_one_is_inside("/health"))
    assert second.status_code == 200


def _two_lane_app(release: asyncio.Event, log: list[str]) -> OverloadGate:
    async def slow(request: Request) -> PlainTextResponse:
        log.append(request.url.path)
        await release.wait()
        return PlainTextResponse("done")

    async def quick(request: Request) -> PlainTextResponse:
        log.append(request.url.path)
        return PlainTextResponse("quick")

    app = Starlette(routes=[Route("/slow", slow), Route("/quick", quick)])
    return OverloadGate(app, limit=3, wait=2.0, running=1)


async def _quick_behind_a_slow_one(long: float) -> tuple[list[str], float]:
    """One quick place: a second request waits while the first is quick, and goes in once the
    first has run past ``LONG`` (it keeps its place in all)."""
    release, log = asyncio.Event(), []
    transport = httpx.ASGITransport(app=_two_lane_app(release, log))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        first = asyncio.create_task(client.get("/slow"))
        await asyncio.sleep(0.01)
        started = asyncio.get_running_loop().time()
        second = asyncio.create_task(client.get("/quick"))
        await asyncio.sleep(long / 2)
        waited = list(log)  # the quick one has not gone in yet
        assert (await second).text == "quick"
        took = asyncio.get_running_loop().time() - started
        release.set()
        assert (await first).text == "done"
        return waited, took


def test_only_running_requests_go_in_at_once_and_a_long_one_gives_its_quick_place_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(overload, "LONG", 0.2)
    waited, took = asyncio.run(_quick_behind_a_slow_one(0.2))
    assert waited == ["/slow"]  # one running place: the second request waited for it
    assert 0.15 <= took < 1.5  # ... until the first turned long, not until it ended


def test_running_places_are_two_per_core_each_worker_has() -> None:
    assert overload.running_places(cores=2, workers=2) == 2
    assert overload.running_places(cores=2, workers=1) == 4
    assert overload.running_places(cores=8, workers=3) == 6
    assert overload.running_places(cores=1, workers=4) == 2


def _raising(exc: Exception) -> TestClient:
    app = FastAPI()
    errors.install(app)

    @app.get("/api/thing")
    def thing() -> None:
        raise exc

    return TestClient(app, raise_server_exceptions=False)


def test_a_locked_database_is_a_503_with_retry_after_not_a_500() -> None:
    locked = OperationalError("UPDATE x", {}, sqlite3.OperationalError("database is locked"))
    response = _raising(locked).get("/api/thing")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["error"] == "Busy"


def test_a_full_postgresql_server_is_a_503() -> None:
    full = OperationalError("connect", {}, Exception("FATAL: sorry, too many clients already"))
    assert _raising(full).get("/api/thing").status_code == 503


def test_a_pool_timeout_is_a_503() -> None:
    assert _raising(PoolTimeout("QueuePool limit reached")).get("/api/thing").status_code == 503


def test_other_database_errors_stay_500s() -> None:
    broken = OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))
    assert _raising(broken).get("/api/thing").status_code == 500
