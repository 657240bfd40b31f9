"""Worklist page load: 21 dong officers (one per dong) using the 위기가구 worklist at once.

A scratch PostgreSQL database gets a synthetic district (``--persons``) and a year of synthetic
signals, left unworked so every dong's worklist is full (up to its 200-item page); 21 dong officer
accounts sign in. ``gibon serve`` runs on loopback and two phases run in the same process:

1. the target scenario: 21 officers, each opening their dong's worklist page (``GET /crisis``, HTML,
   audited) and waiting a uniform 1-5 s before the next, like Locust's ``between(1, 5)``; a probe
   reads ``GET /health`` every second in the same run as the baseline;
2. saturation: 21 connections without think time (closed loop), ``GET /health`` (baseline) and
   then the worklist page, each for ``--seconds``.

    python benchmarks/crisis_worklist_load.py --persons 60000 --seconds 30 --workers 2
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
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _cpu
import _report

from gibon import db, population
from gibon.accounts import service as accounts
from gibon.accounts.models import Role
from gibon.crisis import service, synthload
from gibon.kit import gwanak
from gibon.kit.crypto import Vault, load_or_create_key
from gibon.residents import service as residents

ADMIN_URL = os.environ.get(
    "GIBON_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
NAME = "gibon_crisis_bench"
PASSWORD = "bench-pass-1"


def prepare(persons: int, key: Path) -> tuple[str, int]:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{NAME}"'))
    admin.dispose()
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + NAME
    db.upgrade(url)
    vault = Vault(load_or_create_key(key))
    hh, ps = population.generate(seed=7, persons=persons)
    engine = db.engine_for(url)
    with db.transaction(engine) as session:
        residents.load_population(session, hh, ps, vault)
    end = service.today() - timedelta(days=1)
    with db.transaction(engine) as session:
        loaded = synthload.load(session, 12, 1, end, do_work=False)
        for i, dong in enumerate(gwanak.dong_names()):
            accounts.create_user(session, username=f"officer{i}", password=PASSWORD,
                                 role=Role.dong_officer, display_name=f"{dong} 담당자",
                                 dong=dong)  # fmt: skip
    return url, loaded.items


def _has_items(url: str) -> bool:
    try:
        with create_engine(url).connect() as conn:
            return bool(conn.execute(text("SELECT count(*) FROM crisis_items")).scalar())
    except Exception:  # no database yet
        return False


def serve(url: str, key: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "GIBON_DATABASE_URL": url, "GIBON_SECRET_KEY_FILE": str(key)}
    gibon = Path(sys.executable).parent / "gibon"
    cmd = [str(gibon), "serve", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(900):
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                time.sleep(2)
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def tokens(base: str) -> list[str]:
    out = []
    for i in range(len(gwanak.dong_names())):
        r = httpx.post(
            base + "/api/auth/token",
            json={"username": f"officer{i}", "password": PASSWORD},
            timeout=120,
        )
        r.raise_for_status()
        out.append(r.json()["access_token"])
    return out


async def _get(client: httpx.AsyncClient, path: str, token: str, out: list[float]) -> None:
    t = time.perf_counter()
    r = await client.get(path, headers={"Authorization": f"Bearer {token}"})
    out.append((time.perf_counter() - t) * 1000)
    if r.status_code != 200:
        raise RuntimeError(f"{path}: {r.status_code}")


# An officer thinks 1-5 s between pages and uvicorn closes a connection idle for 5 s: a client that
# reused a connection at that moment would meet a closed socket. Browsers retry there; this client
# instead lets an idle connection go after 3 s, so every request is measured once.
IDLE = httpx.Limits(keepalive_expiry=3.0)


async def think_phase(
    base: str, toks: list[str], seconds: float
) -> tuple[list[float], list[float]]:
    pages: list[float] = []
    health: list[float] = []
    stop = time.perf_counter() + seconds

    async def officer(tok: str, seed: int) -> None:
        r = random.Random(seed)
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=IDLE) as c:
            await asyncio.sleep(r.uniform(0, 2))
            while time.perf_counter() < stop:
                await _get(c, "/crisis", tok, pages)
                await asyncio.sleep(r.uniform(1, 5))

    async def probe() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=IDLE) as c:
            while time.perf_counter() < stop:
                await _get(c, "/health", toks[0], health)
                await asyncio.sleep(1)

    await asyncio.gather(probe(), *(officer(t, i) for i, t in enumerate(toks)))
    return pages, health


async def closed_phase(base: str, toks: list[str], path: str, seconds: float) -> list[float]:
    out: list[float] = []
    stop = time.perf_counter() + seconds

    async def loop(tok: str) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as c:
            while time.perf_counter() < stop:
                await _get(c, path, tok, out)

    await asyncio.gather(*(loop(t) for t in toks))
    return out


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))] if xs else float("nan")


def row(name: str, xs: list[float], seconds: float) -> str:
    return (f"| {name} | {len(xs):,} | {len(xs) / seconds:.1f} | {statistics.median(xs):.0f} | "
            f"{pct(xs, 0.95):.0f} | {pct(xs, 0.99):.0f} |")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=60_000)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    args = ap.parse_args()
    key = Path(tempfile.gettempdir()) / "gibon-crisis-bench.key"
    t = time.perf_counter()
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + NAME
    if not (args.reuse and key.exists() and _has_items(url)):
        url, _ = prepare(args.persons, key)
    with db.transaction(db.engine_for(url)) as session:
        per_dong = session.execute(text(
            "SELECT dong, count(*) FROM crisis_items WHERE open_key IS NOT NULL GROUP BY dong"
        )).all()  # fmt: skip
    prep = time.perf_counter() - t
    proc, base = serve(url, key, args.workers)
    try:
        toks = tokens(base)
        load0 = os.getloadavg()
        cpu = [_cpu.server_cpu_seconds(proc.pid)]
        pages, probe = asyncio.run(think_phase(base, toks, args.seconds * 2))
        cpu.append(_cpu.server_cpu_seconds(proc.pid))
        health = asyncio.run(closed_phase(base, toks, "/health", args.seconds))
        cpu.append(_cpu.server_cpu_seconds(proc.pid))
        closed = asyncio.run(closed_phase(base, toks, "/crisis", args.seconds))
        cpu.append(_cpu.server_cpu_seconds(proc.pid))
        load1 = os.getloadavg()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    counts = sorted(n for _, n in per_dong)
    # server CPU (user + system of the server's processes) per request answered in each phase
    per_request = [
        (after - before) * 1000 / max(1, n)
        for before, after, n in zip(
            cpu[:-1], cpu[1:], (len(pages) + len(probe), len(health), len(closed)), strict=True
        )
    ]
    body = f"""Goal: worklist page p95 under 150 ms with 21 officers at once.

Data: {args.persons:,} synthetic persons, a year of synthetic signals left unworked, so each dong
officer's page lists its open items (median {counts[len(counts) // 2] if counts else 0}, max
{counts[-1] if counts else 0} per dong; the page shows up to 200). PostgreSQL on loopback,
`gibon serve --workers {args.workers}`, each page read audited. Load average before/after:
{load0[0]:.1f} / {load1[0]:.1f} (2 cores shared with other work). Preparation {prep:.0f} s.

| phase | requests | per s | p50 ms | p95 ms | p99 ms | server CPU ms/request |
|---|---:|---:|---:|---:|---:|---:|
{row("21 officers, think 1-5 s: worklist page", pages, args.seconds * 2)} {per_request[0]:.1f} (with the probe) |
{row("same run: GET /health probe (1/s)", probe, args.seconds * 2)} |
{row("21 connections, no think: GET /health (baseline)", health, args.seconds)} {per_request[1]:.1f} |
{row("21 connections, no think: worklist page", closed, args.seconds)} {per_request[2]:.1f} |

Server CPU per request is the user + system time of the `gibon serve` processes over the phase
divided by the requests answered in it (PostgreSQL's own CPU is not in it): the figure the
shared machine's load skews least. Same-run ratio, worklist page ÷ /health:
{per_request[2] / per_request[1]:.1f}× (closed loop).

Same-run ratio, worklist page p95 ÷ /health p95: {pct(pages, 0.95) / pct(probe, 0.95):.1f}× with
think time, {pct(closed, 0.95) / pct(health, 0.95):.1f}× closed loop.
Goal met on this run: {"yes" if pct(pages, 0.95) < 150 else "no"} (worklist p95 {pct(pages, 0.95):.0f} ms with think time).
"""
    print(body)
    if not args.no_write:
        _report.write_section("crisis_worklist", "위기가구 worklist page, 21 officers", body)


if __name__ == "__main__":
    main()
