"""Route lookup that looks only at the domains a path can belong to.

FastAPI finds a request's route by trying every route of every included router in turn, and
each try costs several microseconds of bookkeeping: with gibon's 150-odd routes, finding
``/visits/today`` cost about 2.6 ms of CPU per request, more than the page's own queries. A
router whose routes all start with a fixed prefix (``/visits``, ``/api/crisis``) cannot match a
path outside it, so ``include`` puts such a router behind a gate that answers "no match" at once
for any other path. Which route answers a path is unchanged: routers are still tried in the
order they are included, and a gated router is tried exactly as before whenever the path is
under its prefix.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope


class PrefixGate(APIRouter):
    """Holds one router; matches nothing outside that router's prefix."""

    def __init__(self, inner: APIRouter) -> None:
        super().__init__()
        self.gate = inner.prefix
        self.include_router(inner)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if not get_route_path(scope).startswith(self.gate):
            return Match.NONE, {}
        return super().matches(scope)


def gated(router: APIRouter) -> bool:
    """A fixed prefix (no path parameter in it) that every route of the router starts with."""
    return bool(router.prefix) and "{" not in router.prefix


def include(app: FastAPI, router: APIRouter) -> None:
    app.include_router(PrefixGate(router) if gated(router) else router)
