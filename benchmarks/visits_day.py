"""A Gwanak day planned from the database, and the day page under 50 professionals at once.

1. Plan: a scratch PostgreSQL database with a synthetic district (``--persons``), the demo roster
   (32) plus nurses up to ``--staff``, and ``--visits`` visit requests for one date stored in
   ``visit_requests`` (kinds, windows and priorities as the demo day). Timed end to end through the
   service a coordinator calls (gather the requests from the database, parse, validate, solve,
   re-time breaks, fill free capacity, the independent checker, store the plan).
2. The day page: ``gibon serve`` on loopback; ``--staff`` professionals, each with their own
   account and bearer token, open GET /visits/today at once (one connection each, closed loop,
   ``--rounds`` requests each). GET /health under the same concurrency is the same-run baseline.

    python benchmarks/visits_day.py --persons 20000 --visits 220 --staff 50
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from sqlalchemy import create_engine, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _cpu
import _report

from gibon import db, population
from gibon.accounts import service as accounts
from gibon.accounts import sessions
from gibon.accounts.models import Role, SessionKind, User
from gibon.kit.crypto import Vault, load_or_create_key
from gibon.residents import service as residents
from gibon.residents.models import Household, Person
from gibon.visits import demo, geo, service
from gibon.visits.engine.problem import Point
from gibon.visits.models import Staff, VisitRequest
from gibon.visits.schemas import DayPlanCreate

ADMIN_URL = os.environ.get(
    "GIBON_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
NAME = "gibon_visits_bench"
DAY = date(2026, 12, 8)
PASSWORD = "bench-password-1"


def scratch_url() -> str:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {NAME}"))
    admin.dispose()
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{NAME}"


def load(url: str, key: Path, persons: int, visits: int, staff: int) -> None:
    db.upgrade(url)
    vault = Vault(load_or_create_key(key))
    households, people = population.generate(seed=5, persons=persons)
    engine = db.engine_for(url)
    with db.transaction(engine) as session:
        residents.load_population(session, households, people, vault)
    with db.transaction(engine) as session:
        roster = demo.roster(1)
        for k in range(len(roster), staff):
            extra = demo.roster(1)[5]  # a nurse, copied
            extra.id, extra.name = f"nurse-x{k:02d}", f"간호사{k:02d}"
            roster.append(extra)
        session.add_all(roster)
        accounts.create_user(
            session,
            username="planner",
            password=PASSWORD,
            role=Role.district_team,
            display_name="조정 담당",
        )
        for s in roster:
            accounts.create_user(
                session,
                username=f"pro-{s.id}",
                password=PASSWORD,
                role=Role.visiting_professional,
                display_name=s.name,
                organization_id=s.id,
            )
        session.add_all(_requests(session, visits))


def _requests(session, n: int) -> list[VisitRequest]:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(1)
    rows = session.execute(select(Person, Household).join(Household).limit(n * 20)).all()
    homes = list(
        {h.id: p.id for p, h in rows if geo.dong_of(Point(h.lat, h.lon)) == p.dong}.values()
    )
    weights = np.array([k[1] for k in demo.VISIT_KINDS])
    out = []
    for i in range(n):
        _, _, needs, together, gap = demo.VISIT_KINDS[
            rng.choice(len(weights), p=weights / weights.sum())
        ]
        window = demo.WINDOWS[rng.choice(len(demo.WINDOWS))]
        if together == "sequential":
            window = ("09:00", "17:00")
        out.append(
            VisitRequest(
                request_date=DAY,
                person_id=homes[i % len(homes)],
                needs=[{"profession": p, "minutes": m} for p, m in needs],
                together=together,
                gap_minutes=list(gap) if gap else None,
                window_start=window[0],
                window_end=window[1],
                priority=int(rng.choice([1, 2, 3], p=[0.1, 0.6, 0.3])),
                purpose="벤치마크 요청",
                created_by="bench",
            )
        )
    return out


def plan(url: str, time_limit: float) -> tuple[float, dict[str, object]]:
    engine = db.engine_for(url)
    started = time.perf_counter()
    with db.transaction(engine) as session:
        planner = session.scalars(select(User).where(User.username == "planner")).one()
        row = service.plan_from_system(
            session, planner, DayPlanCreate(date=DAY, time_limit=time_limit)
        )
        schedule = row.schedule
        figures = {
            "requested": row.requested,
            "served": row.served,
            "feasible": row.feasible,
            "violations": len(schedule["checker"]["violations"]),
            "unscheduled": len(schedule["unscheduled"]),
        }
    return time.perf_counter() - started, figures


def serve(url: str, key: Path, port: int) -> subprocess.Popen[bytes]:
    src = str(Path(__file__).resolve().parent.parent / "src")
    env = {
        **os.environ,
        "GIBON_DATABASE_URL": url,
        "GIBON_SECRET_KEY_FILE": str(key),
        "PYTHONPATH": src,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "gibon.app:create_app",
            "--port",
            str(port),
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    deadline = time.monotonic() + 180  # a loaded 2-core machine starts two workers slowly
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("server did not start")


async def _one(
    base: str, token: str, path: str, rounds: int, out: list[float], fails: list[int]
) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=auth, timeout=120) as c:
        for _ in range(rounds):
            await _get(c, path, out, fails)


async def load_phase(base: str, tokens: list[str], path: str, rounds: int) -> dict[str, float]:
    times: list[float] = []
    fails: list[int] = []
    started = time.perf_counter()
    await asyncio.gather(*(_one(base, t, path, rounds, times, fails) for t in tokens))
    return _figures(times, fails, time.perf_counter() - started)


def _clients(base: str, tokens: list[str]) -> list[httpx.AsyncClient]:
    """One client per professional, made before the clock starts: making 50 httpx clients costs
    the 2-core machine about a second of CPU, which is the harness's, not the page's."""
    idle = httpx.Limits(keepalive_expiry=3.0)  # uvicorn drops a connection idle for 5 s
    return [
        httpx.AsyncClient(
            base_url=base, headers={"Authorization": f"Bearer {t}"}, timeout=120, limits=idle
        )
        for t in tokens
    ]


async def _get(c: httpx.AsyncClient, path: str, times: list[float], fails: list[int]) -> None:
    t = time.perf_counter()
    r = await c.get(path)
    times.append((time.perf_counter() - t) * 1000)
    if r.status_code != 200:
        fails.append(r.status_code)


async def burst_phase(base: str, tokens: list[str], path: str, bursts: int) -> dict[str, float]:
    """Every professional opens the day at the same instant, one request each (the morning's
    first look); ``bursts`` such instants, one after another."""
    times: list[float] = []
    fails: list[int] = []
    clients = _clients(base, tokens)
    started = time.perf_counter()
    for _ in range(bursts):
        await asyncio.gather(*(_get(c, path, times, fails) for c in clients))
    wall = time.perf_counter() - started
    for c in clients:
        await c.aclose()
    return _figures(times, fails, wall)


async def think_phase(base: str, tokens: list[str], path: str, seconds: float) -> dict[str, float]:
    """Every professional at work: the day reopened every 1-5 s (a real day is one look per
    visit, tens of minutes apart, so this is far busier than the field)."""
    times: list[float] = []
    fails: list[int] = []
    clients = _clients(base, tokens)
    stop = time.perf_counter() + seconds

    async def professional(c: httpx.AsyncClient, seed: int) -> None:
        r = random.Random(seed)
        await asyncio.sleep(r.uniform(0, 2))
        while time.perf_counter() < stop:
            await _get(c, path, times, fails)
            await asyncio.sleep(r.uniform(1, 5))

    started = time.perf_counter()
    await asyncio.gather(*(professional(c, i) for i, c in enumerate(clients)))
    wall = time.perf_counter() - started
    for c in clients:
        await c.aclose()
    return _figures(times, fails, wall)


def _figures(times: list[float], fails: list[int], wall: float) -> dict[str, float]:
    q = statistics.quantiles(times, n=100)
    return {
        "n": len(times),
        "p50": q[49],
        "p95": q[94],
        "rps": len(times) / wall,
        "fails": len(fails),
    }


def tokens(url: str, ids: list[str]) -> list[str]:
    """One bearer token per professional, issued in the database as a sign-in would: 50 sign-ins
    from one address in a burst are throttled (HTTP 429) by design, which is not what is timed."""
    engine = db.engine_for(url)
    now = datetime.now(UTC)
    with db.transaction(engine) as session:
        users = {u.username: u for u in session.scalars(select(User))}
        issued = [
            sessions.issue(session, users[f"pro-{i}"], SessionKind.bearer, "127.0.0.1", now)
            for i in ids
        ]
        return [t.token for t in issued]


def timed(
    pid: int, base: str, toks: list[str], path: str, rounds: int, how: Any = load_phase
) -> dict[str, float]:
    """A load phase, with the server's CPU per request: the figure a busy machine does not skew
    much (wall times on a shared 2-core machine are mostly waiting for a core)."""
    before = _cpu.server_cpu_seconds(pid)
    out = asyncio.run(how(base, toks, path, rounds))
    out["cpu_ms"] = (_cpu.server_cpu_seconds(pid) - before) * 1000 / out["n"]
    return out


def _reading(floor: dict[str, float], burst: dict[str, float], working: dict[str, float]) -> str:
    met = burst["p95"] < 200
    return (
        "\nThe first four rows are saturation (every connection asks again the moment it is "
        "answered); the goal, under 200 ms p95 for 50 professionals opening the day at once, is "
        f"the burst row: p95 {burst['p95']:.0f} ms, goal **{'met' if met else 'not met'}**. The "
        f"same burst to /health, which costs the server {floor['cpu_ms']:.1f} ms, answers at p95 "
        f"{floor['p95']:.0f} ms: the load generator runs on the same 2 cores, so that is the floor "
        "this machine can show. A burst of 50 needs 50 × the page's CPU per request on 2 cores "
        f"before the last answer. With everyone at work (each reopening every 1-5 s, far more "
        f"often than in the field) the day page's p95 is {working['p95']:.0f} ms.\n"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=20000)
    ap.add_argument("--visits", type=int, default=220)
    ap.add_argument("--staff", type=int, default=50)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    url = scratch_url()
    key = Path("/tmp/gibon-visits-bench.key")
    load(url, key, args.persons, args.visits, args.staff)
    seconds, figures = plan(url, args.time_limit)
    print(f"plan: {seconds:.1f} s {figures}")
    port = 18700 + os.getpid() % 200
    proc = serve(url, key, port)
    try:
        base = f"http://127.0.0.1:{port}"
        engine = db.engine_for(url)
        with db.transaction(engine) as session:
            ids = [s.id for s in session.scalars(select(Staff))][: args.staff]
        toks = tokens(url, ids)
        asyncio.run(load_phase(base, toks[:5], f"/visits/today?date={DAY}", 2))  # warm up
        path = f"/visits/today?date={DAY}"
        load_start = os.getloadavg()[0]
        alone = timed(proc.pid, base, toks[:1], "/health", args.rounds * 2)
        alone_day = timed(proc.pid, base, toks[:1], path, args.rounds * 2)
        health = timed(proc.pid, base, toks, "/health", args.rounds)
        day = timed(proc.pid, base, toks, path, args.rounds)
        burst_health = timed(proc.pid, base, toks, "/health", args.rounds, burst_phase)
        burst = timed(proc.pid, base, toks, path, args.rounds, burst_phase)
        working = timed(proc.pid, base, toks, path, 30, think_phase)
        load_avg = os.getloadavg()[0]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    print("health", health, "day", day, "alone", alone, alone_day)
    body = (
        f"Plan from the database, end to end through `service.plan_from_system` ({args.visits} "
        f"requests stored for one date, {args.staff} professionals, solver limit "
        f"{args.time_limit:.0f} s, the checker included): **{seconds:.1f} s**, "
        f"{figures['served']}/{figures['requested']} served, checker "
        f"{'ok' if figures['feasible'] else 'FAILED'} ({figures['violations']} violations), "
        f"{figures['unscheduled']} explained as unscheduled.\n\n"
        f"The day page (`gibon` under uvicorn, 2 workers, PostgreSQL), one professional alone, "
        f"then {len(toks)} professionals at once (one connection each, closed loop, "
        f"{args.rounds} requests each); GET /health is the same-run baseline. Load average of "
        f"the shared machine (2 cores): {load_start:.0f} when the page phases began, "
        f"{load_avg:.0f} at their end. Server CPU per request is the user + system time of the "
        "uvicorn processes over the phase divided by its requests (PostgreSQL's own CPU is not "
        "in it).\n\n"
        "| request | users | requests | p50 ms | p95 ms | req/s | failures | server CPU ms/request |\n"
        "|---|---|---|---|---|---|---|---|\n"
        + "".join(
            f"| {name} | {users} | {r['n']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['rps']:.0f} "
            f"| {r['fails']} | {r['cpu_ms']:.1f} |\n"
            for name, users, r in (
                ("GET /health (baseline)", 1, alone),
                ("GET /visits/today", 1, alone_day),
                ("GET /health (baseline)", len(toks), health),
                ("GET /visits/today", len(toks), day),
                (
                    f"GET /health, all open at the same instant ({args.rounds}×)",
                    len(toks),
                    burst_health,
                ),
                (
                    f"GET /visits/today, all open at the same instant ({args.rounds}×)",
                    len(toks),
                    burst,
                ),
                ("GET /visits/today, each reopening every 1-5 s for 30 s", len(toks), working),
            )
        )
        + _reading(burst_health, burst, working)
    )
    _report.write_section(
        "visits_day", "Visits: a day planned from the database, and the day page under load", body
    )


if __name__ == "__main__":
    main()
