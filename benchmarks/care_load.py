"""Integrated-care load test: work queue and case detail p95 with concurrent users on PostgreSQL.

Builds a scratch PostgreSQL database holding ``--cases`` cases (with events and consents) and
``--audit`` hash-chained audit rows, serves gibon with uvicorn on loopback and drives it with
``--users`` concurrent httpx clients. Baseline measured in the same run: GET /health (no query)
under the same concurrency, so the ratios show what the care queries and audit writes add.

    python benchmarks/care_load.py --cases 100000 --audit 1000000 --users 50 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _report

from gibon import db, population
from gibon.accounts import service as accounts
from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from gibon.audit.service import GENESIS, _digest
from gibon.care.models import Case, CaseEvent, Consent
from gibon.care.transitions import CaseStatus
from gibon.kit import gwanak
from gibon.kit.crypto import Vault, load_or_create_key
from gibon.residents import service as residents
from gibon.residents.models import Person

ADMIN_URL = os.environ.get(
    "GIBON_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "bench-pass-1"
BATCH = 20_000


def build(
    url: str, key: Path, cases: int, audits: int, persons: int, rng: random.Random
) -> dict[str, list[int]]:
    db.upgrade(url)
    engine = db.engine_for(url)
    vault = Vault(load_or_create_key(key))
    households, people = population.generate(seed=11, persons=persons)
    with db.transaction(engine) as s:
        residents.load_population(s, households, people, vault)
        for i, dong in enumerate(gwanak.dong_names() * 2):
            accounts.create_user(
                s,
                username=f"officer{i}",
                password=PASSWORD,
                role=Role.dong_officer,
                display_name=dong,
                dong=dong,
            )
        for i in range(8):
            accounts.create_user(
                s,
                username=f"team{i}",
                password=PASSWORD,
                role=Role.district_team,
                display_name="통합돌봄과",
            )
        pool = [(pid, dong) for pid, dong in s.execute(select(Person.id, Person.dong))]
    by_dong = _cases(engine, pool, cases, rng)
    _audit(engine, audits, rng)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    return by_dong


def _cases(engine, pool, n: int, rng: random.Random) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    statuses = [s.value for s in CaseStatus]
    today = date.today()
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for start in range(0, n, BATCH):
            rows = []
            for _ in range(min(BATCH, n - start)):
                pid, dong = rng.choice(pool)
                status = rng.choice(statuses)
                opened = today - timedelta(days=rng.randint(1, 400))
                rows.append(
                    {
                        "person_id": pid,
                        "dong": dong,
                        "channel": "self",
                        "applicant_name": "신청인",
                        "applicant_relation": "본인",
                        "status": status,
                        "opened_on": opened,
                        "status_since": now,
                        "version_id": 1,
                        "created_at": now,
                        "close_note": "",
                        "due_on": None
                        if status == "closed"
                        else today + timedelta(days=rng.randint(-30, 60)),
                    }
                )
            conn.execute(insert(Case), rows)
        ids = list(conn.execute(select(Case.id, Case.dong)))
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            conn.execute(
                insert(CaseEvent),
                [
                    {
                        "case_id": cid,
                        "at": now,
                        "actor": "bench",
                        "action": a,
                        "from_status": None,
                        "to_status": "applied",
                        "detail": "",
                    }
                    for cid, _ in chunk
                    for a in ("open", "screen", "assess")
                ],
            )
            conn.execute(
                insert(Consent),
                [
                    {
                        "case_id": cid,
                        "purpose": "assessment",
                        "given_by": "본인",
                        "given_at": now,
                        "recorded_by": "bench",
                    }
                    for cid, _ in chunk
                ],
            )
    by_dong: dict[str, list[int]] = {}
    for cid, dong in ids:
        by_dong.setdefault(dong, []).append(cid)
    return by_dong


def _audit(engine, n: int, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Append ``n`` audit rows, continuing the chain from its last link (so verify still passes)."""
    at = datetime.now(UTC) - timedelta(days=365)
    with engine.begin() as conn:
        last = conn.execute(
            select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
        ).scalar()
        prev = last or GENESIS
        for start in range(0, n, BATCH):
            rows = []
            for i in range(min(BATCH, n - start)):
                e = AuditEvent(
                    at=at + timedelta(seconds=(start + i) * 30),
                    actor=f"officer{rng.randint(0, 41)}",
                    role="dong_officer",
                    action="read",
                    resource="care_case",
                    resource_id=str(rng.randint(1, 100_000)),
                    purpose="사례 조회",
                    detail="",
                    prev_hash=prev,
                )
                e.hash = prev = _digest(e)
                rows.append(
                    {
                        c: getattr(e, c)
                        for c in (
                            "at",
                            "actor",
                            "role",
                            "action",
                            "resource",
                            "resource_id",
                            "purpose",
                            "detail",
                            "prev_hash",
                            "hash",
                        )
                    }
                )
            conn.execute(insert(AuditEvent), rows)


def _recreate(name: str) -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def _existing(url: str) -> dict[str, list[int]]:
    by_dong: dict[str, list[int]] = {}
    with create_engine(url).connect() as conn:
        for cid, dong in conn.execute(select(Case.id, Case.dong)):
            by_dong.setdefault(dong, []).append(cid)
    return by_dong


def _counts(url: str) -> dict[str, int]:
    tables = ["care_cases", "care_case_events", "care_consents", "audit_events", "persons"]
    with create_engine(url).connect() as conn:
        return {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in tables
        }


def serve(url: str, key: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "GIBON_DATABASE_URL": url, "GIBON_SECRET_KEY_FILE": str(key)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "gibon.app:create_app",
            "--factory",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--timeout-keep-alive",
            "120",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


async def drive(base: str, users: int, seconds: float, make_path) -> dict[str, float]:  # type: ignore[no-untyped-def]
    names = [f"officer{i}" for i in range(42)] + [f"team{i}" for i in range(8)]
    async with httpx.AsyncClient(
        base_url=base, timeout=30, limits=httpx.Limits(max_connections=users)
    ) as client:
        tokens = []
        for name in names[:users]:
            r = await client.post("/api/auth/token", json={"username": name, "password": PASSWORD})
            tokens.append((name, r.json()["access_token"]))
        latencies: list[float] = []
        errors = 0
        stop = time.perf_counter() + seconds

        async def user(name: str, token: str) -> None:
            nonlocal errors
            rng = random.Random(name)
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                try:
                    r = await client.get(
                        make_path(name, rng), headers={"Authorization": f"Bearer {token}"}
                    )
                    ok = r.status_code == 200
                except httpx.TransportError:  # counted, not hidden
                    ok = False
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += not ok

        t0 = time.perf_counter()
        await asyncio.gather(*(user(n, t) for n, t in tokens))
        wall = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=100)
    return {
        "n": len(latencies),
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
        "rps": len(latencies) / wall,
        "errors": errors,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--audit", type=int, default=1_000_000)
    ap.add_argument("--persons", type=int, default=50_000)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--reuse", action="store_true", help="keep the database built by an earlier run"
    )
    args = ap.parse_args()
    rng = random.Random(5)
    name = "gibon_care_bench"
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    key = Path(tempfile.mkdtemp()) / "secret.key"
    t0 = time.perf_counter()
    if args.reuse:
        db.upgrade(url)
        by_dong = _existing(url)
        missing = args.audit - _counts(url)["audit_events"]
        if missing > 0:  # top the audit log up to --audit rows
            _audit(db.engine_for(url), missing, rng)
    else:
        _recreate(name)
        by_dong = build(url, key, args.cases, args.audit, args.persons, rng)
    build_s = time.perf_counter() - t0
    proc, base = serve(url, key, args.workers)
    dongs = gwanak.dong_names()
    all_ids = [i for ids in by_dong.values() for i in ids]

    def dong_of(user: str) -> str:
        return dongs[int(user.removeprefix("officer")) % len(dongs)]

    def queue(user: str, r: random.Random) -> str:
        if user.startswith("team"):
            return "/api/cases?status=open&due=overdue"
        return "/api/cases?status=open" + r.choice(["", "&due=overdue", "&due=due"])

    def detail(user: str, r: random.Random) -> str:
        pool = all_ids if user.startswith("team") else by_dong[dong_of(user)]
        return f"/api/cases/{r.choice(pool)}"

    n = _counts(url)
    load_before = os.getloadavg()[0]
    phases = [
        ("GET /health (baseline)", lambda u, r: "/health"),
        ("work queue", queue),
        ("case detail", detail),
    ]
    try:
        results = {
            (label, users): asyncio.run(drive(base, users, args.seconds, fn))
            for users in (1, args.users)
            for label, fn in phases
        }
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    lines = [
        "| request | users | requests | p50 ms | p95 ms | p99 ms | req/s | non-200 | p95 / baseline |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for (label, users), r in results.items():
        base_p95 = results[("GET /health (baseline)", users)]["p95"]
        lines.append(
            f"| {label} | {users} | {r['n']:,} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
            f"{r['rps']:.0f} | {r['errors']} | {r['p95'] / base_p95:.1f}× |"
        )
    body = (
        f"PostgreSQL holding {n['care_cases']:,} cases ({n['care_case_events']:,} events, "
        f"{n['care_consents']:,} consents), {n['audit_events']:,} hash-chained audit rows and "
        f"{n['persons']:,} residents ({'reused' if args.reuse else f'built in {build_s:.0f} s'}). "
        f"1 and {args.users} concurrent users (dong officers first, then district team) on loopback, {args.seconds:.0f} s per "
        f"phase, uvicorn with {args.workers} workers on the same 2-core machine as the load tool. Every queue and "
        "detail request also appends an audit row (serialised by the chain's advisory lock).\n\n"
        + "\n".join(lines)
        + f"\n\nLoad average while running: {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
        "(other agents share the 2 cores). Target from issue 4: work queue and case detail p95 under 150 ms."
    )
    print(body)
    _report.write_section("care", "Integrated care: work queue and case detail under load", body)


if __name__ == "__main__":
    main()
