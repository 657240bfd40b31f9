"""Route lookup behind prefix gates: the same endpoint answers every path as before, faster."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Match, compile_path

from gibon.web import routing


def _pages() -> APIRouter:
    router = APIRouter(prefix="/things")

    @router.get("/{thing_id}")
    def thing(thing_id: int) -> dict[str, int]:
        return {"thing": thing_id}

    return router


def _open() -> APIRouter:
    router = APIRouter()

    @router.get("/things/export")  # a path under another router's prefix, included first
    def export() -> dict[str, str]:
        return {"export": "all"}

    return router


def test_a_gated_router_answers_its_own_paths_and_order_still_decides_between_routers() -> None:
    app = FastAPI()
    routing.include(app, _open())
    routing.include(app, _pages())
    with TestClient(app) as client:
        assert client.get("/things/export").json() == {"export": "all"}
        assert client.get("/things/7").json() == {"thing": 7}
        assert client.get("/thingsx/7").status_code == 404
        assert client.get("/other").status_code == 404


def test_a_gate_matches_nothing_outside_its_prefix() -> None:
    gate = routing.PrefixGate(_pages())
    outside = {"type": "http", "method": "GET", "path": "/visits/today", "root_path": ""}
    assert gate.matches(outside) == (Match.NONE, {})


def test_only_a_fixed_prefix_is_gated() -> None:
    assert routing.gated(APIRouter(prefix="/crisis"))
    assert not routing.gated(APIRouter())
    assert not routing.gated(APIRouter(prefix="/cases/{case_id}"))


def _routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """Every API route with its full path, in the order FastAPI tries them."""
    return _walk(list(app.router.routes), "")


def _walk(routes: list[Any], prefix: str) -> list[tuple[str, APIRoute]]:
    out: list[tuple[str, APIRoute]] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if isinstance(route, APIRoute):
            out.append((prefix + route.path, route))
        elif inner is not None:
            out.extend(_walk(inner.routes, prefix + route.include_context.prefix))
    return out


def _answers(full: str, route: APIRoute, path: str, method: str) -> bool:
    return compile_path(full)[0].fullmatch(path) is not None and method in (route.methods or ())


def test_every_route_of_gibon_is_reached_at_its_own_path(client: TestClient) -> None:
    """Each page and API path, with its parameters filled in, goes to the router holding the
    first route (in FastAPI's own order) that answers it: no gate hides a route."""
    app: FastAPI = client.app  # type: ignore[assignment]
    routes = _routes(app)
    assert len(routes) > 100
    for full, route in routes:
        path = re.sub(r"\{[^}]+\}", "1", full)
        method = sorted(route.methods or {"GET"})[0]
        scope = {"type": "http", "method": method, "path": path, "root_path": ""}
        first = next(r for f, r in routes if _answers(f, r, path, method))
        top = next(t for t in app.router.routes if t.matches(dict(scope))[0] is Match.FULL)
        held = [top] if isinstance(top, APIRoute) else [r for _, r in _walk([top], "")]
        assert any(r is first for r in held), full
