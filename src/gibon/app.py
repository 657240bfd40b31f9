"""The FastAPI application: wiring only."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.middleware.sessions import SessionMiddleware

from gibon import __version__, db
from gibon.audit import checkpoint
from gibon.config import Settings, get_settings
from gibon.kit.crypto import Vault, load_or_create_key
from gibon.web import auth, csrf, errors, home, limits, overload, routing
from gibon.web.headers import SecurityHeaders
from gibon.window import office_pages as window_office_pages
from gibon.window import pages as window_pages

STATIC_DIR = Path(__file__).parent / "web" / "static"

# Sync handlers and dependencies run in AnyIO's thread pool. Every request path audits with
# `audit.record_on_commit`, which takes the chain's lock inside the commit (the session
# dependency's exit); `audit.record`, which holds the lock until the transaction ends, is for the
# CLI and tests. The overload gate (web/overload.py) admits fewer requests at once than the
# database pool holds connections, and the thread pool is larger still, so a request holding the
# lock always finds a thread to finish in. MAX_CONCURRENT bounds open connections per worker
# (uvicorn answers a plain 503 past it); the gate answers gibon's 503 long before.
THREAD_POOL = 160
MAX_CONCURRENT = 1000
GATE_HEADROOM = 2  # pooled connections left for /health and the audit appender


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREAD_POOL
    seconds = app.state.settings.audit_checkpoint_seconds
    signer = asyncio.create_task(checkpoint.every(seconds, lambda: _sign(app))) if seconds else None
    yield
    if signer is not None:
        signer.cancel()


def _sign(app: FastAPI) -> None:
    with db.unit_of_work(app.state.sessionmaker, write=False) as session:
        checkpoint.write(session, app.state.settings)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="gibon",
        version=__version__,
        description="기본사회 구청 소프트웨어 API — entitlements, integrated care, visits, medication safety",
        dependencies=[Depends(csrf.protect)],
    )
    engine = db.engine_for(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = db.session_factory(engine)
    app.state.vault = Vault(load_or_create_key(settings.secret_key_file))
    app.add_middleware(
        SessionMiddleware,
        secret_key=app.state.vault.session_key,
        same_site="lax",
        max_age=8 * 3600,
        session_cookie="gibon_session",
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    errors.install(app)
    gate = max(1, db.pool_capacity(engine) - GATE_HEADROOM)
    running = overload.running_places(os.cpu_count() or 1, settings.workers)
    app.add_middleware(limits.BodyLimit)
    wait = overload.WAIT_SQLITE if engine.dialect.name == "sqlite" else overload.WAIT_POSTGRES
    app.add_middleware(overload.OverloadGate, limit=gate, wait=wait, running=running)
    _include_routers(app)

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__, "database": engine.dialect.name}

    return app


def _include_routers(app: FastAPI) -> None:
    routing.include(app, auth.router)
    routing.include(app, home.router)
    # domain routers: one import and one routing.include per domain (JSON API and pages)
    from gibon.access import pages as access_pages
    from gibon.accounts import pages as accounts_pages
    from gibon.audit import pages as audit_pages
    from gibon.audit import routes as audit_routes
    from gibon.benefits import pages as benefits_pages
    from gibon.benefits import routes as benefits_routes
    from gibon.care.cases import pages as care_pages
    from gibon.care.cases import routes as care_routes
    from gibon.care.cases import step_pages as care_step_pages
    from gibon.care.referrals import pages as care_network_pages
    from gibon.care.referrals import routes as care_network
    from gibon.crisis import pages as crisis_pages
    from gibon.crisis import routes as crisis_routes
    from gibon.pharm import pages as pharm_pages
    from gibon.pharm import routes as pharm_routes
    from gibon.simulator import pages as simulator_pages
    from gibon.simulator import routes as simulator_routes
    from gibon.visits import day_pages as visits_day_pages
    from gibon.visits import pages as visits_pages
    from gibon.visits import routes as visits_routes
    from gibon.web import exports

    routing.include(app, exports.router)  # first: "/visits/plans/export" is not a plan id
    routing.include(app, care_routes.router)
    for care_router in care_network.routers:
        routing.include(app, care_router)
    routing.include(app, audit_routes.router)
    routing.include(app, care_pages.router)
    routing.include(app, care_step_pages.router)
    routing.include(app, care_network_pages.router)
    routing.include(app, audit_pages.router)
    routing.include(app, access_pages.router)
    routing.include(app, benefits_routes.router)
    routing.include(app, benefits_pages.router)
    routing.include(app, simulator_routes.router)
    routing.include(app, simulator_pages.router)
    routing.include(app, pharm_routes.router)
    routing.include(app, pharm_pages.router)
    routing.include(app, visits_routes.router)
    routing.include(app, visits_pages.router)
    routing.include(app, visits_day_pages.router)
    routing.include(app, accounts_pages.router)
    routing.include(app, crisis_routes.router)
    routing.include(app, crisis_pages.router)
    routing.include(app, window_pages.router)
    routing.include(app, window_office_pages.router)
