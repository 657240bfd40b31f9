"""Integrated-care load test: work queue and case detail with 50 users on PostgreSQL.

Serves a scratch database (100,000 cases with their steps, 1,000,000 hash-chained audit rows, see
care_load_data.py) with ``gibon serve`` on loopback and measures three things:

1. one user, no think time (wrk, 1 connection): the unloaded latency of each request;
2. the target scenario: ``--users`` officers with think time. Each opens the work queue, then 1-3
   cases of its area, waiting a uniform 1-5 s (``--think``) before every action, like Locust's
   ``wait_time = between(1, 5)``; one connection per officer, reopened when the server has closed
   an idle one (as a browser does, the reconnect counts in the latency). A probe reads GET /health
   every second in the same run as the baseline;
3. saturation: ``--users`` connections without think time (wrk, closed loop), one phase each for
   GET /health (baseline), the work queue and the case detail.

Server, PostgreSQL and load-tool CPU are read from /proc around each phase, and every queue and
detail read must leave exactly one audit row; the chain is verified at the end.

    python benchmarks/care_load.py --reuse --users 50 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _report
import _serve
import care_load_data as data
from _cpu import process_cpu_seconds

from gibon import db
from gibon.audit import service as audit
from gibon.audit.models import AuditEvent
from gibon.kit import gwanak

HERE = Path(__file__).resolve().parent
ADMIN_URL = os.environ.get(
    "GIBON_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
NAME = os.environ.get("GIBON_CARE_BENCH_DB", "gibon_care_bench")  # a scratch database
QUEUE, DETAIL, HEALTH = "work queue", "case detail", "GET /health (baseline)"


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    base: str
    url: str  # the database
    pg_start: dict[int, float] = field(default_factory=dict)

    def cpu(self) -> float:
        """CPU seconds of the server's processes (master and workers) so far."""
        return sum(process_cpu_seconds(p) for p in _tree(self.proc.pid))

    def pg_cpu(self) -> dict[int, float]:
        """CPU seconds of each PostgreSQL backend serving the benchmark database."""
        with create_engine(ADMIN_URL).connect() as conn:
            pids = conn.execute(
                text("SELECT pid FROM pg_stat_activity WHERE datname = :d"), {"d": NAME}
            ).scalars()
            return {p: process_cpu_seconds(p) for p in pids}


def _tree(pid: int) -> list[int]:
    out = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for child in children:
        out += _tree(int(child))
    return out


def serve(url: str, key: Path, workers: int) -> Server:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "GIBON_DATABASE_URL": url, "GIBON_SECRET_KEY_FILE": str(key)}
    gibon = Path(sys.executable).parent / "gibon"
    cmd = [str(gibon), "serve", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    if _serve.wait_listening(port, workers):  # every worker, each on a socket of its own
        return Server(proc, base, url)
    raise RuntimeError("server did not start")


@dataclass
class Users:
    """The benchmark's accounts, their tokens and the cases each may open."""

    tokens: dict[str, str]
    scope: dict[str, list[int]]

    def queue_path(self, user: str, r: random.Random) -> str:
        if user.startswith("team"):
            return "/api/cases?status=open&due=overdue"
        return "/api/cases?status=open" + r.choice(["", "&due=overdue", "&due=due"])

    def detail_path(self, user: str, r: random.Random) -> str:
        return f"/api/cases/{r.choice(self.scope[user])}"


def sign_in(base: str, n: int, by_dong: dict[str, list[int]], url: str) -> Users:
    names = [f"officer{i}" for i in range(42)] + [f"team{i}" for i in range(8)]
    names = (names * (n // len(names) + 1))[:n]
    dongs = gwanak.dong_names()
    all_ids = [i for ids in by_dong.values() for i in ids]
    tokens, scope = {}, {}
    for name in dict.fromkeys(names):
        tokens[name] = _token(base, name, url)
        dong = dongs[int(name.removeprefix("officer")) % len(dongs)] if "officer" in name else ""
        scope[name] = by_dong[dong] if dong else all_ids
    return Users(tokens, scope)


def _token(base: str, name: str, url: str) -> str:
    """Sign in. Every attempt from one address counts toward that address's throttle (the 50
    officers all sign in from 127.0.0.1 here): on a 429 the scratch database forgets them."""
    body = {"username": name, "password": data.PASSWORD}
    for attempt in range(10):
        r = httpx.post(base + "/api/auth/token", json=body, timeout=60)
        if r.status_code == 200:
            return str(r.json()["access_token"])
        if r.status_code == 429:
            _forget_sign_ins(url)
        else:
            print(f"sign-in {name}: {r.status_code} {r.text[:120]}", file=sys.stderr)
            time.sleep(1 + attempt)
    raise RuntimeError(f"{name} could not sign in")


def _forget_sign_ins(url: str) -> None:
    with create_engine(url).begin() as conn:
        conn.execute(text("DELETE FROM sign_in_throttles"))


# -- closed loop with wrk -------------------------------------------------------------------------


def wrk(server: Server, users: Users, conns: int, seconds: float, what: str) -> dict[str, float]:
    """One wrk phase: ``conns`` connections without think time, each request a random officer's."""
    r = random.Random(what)
    paths: dict[str, Callable[[str, random.Random], str]] = {
        HEALTH: lambda _u, _r: "/health",
        QUEUE: users.queue_path,
        DETAIL: users.detail_path,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        for _ in range(200):
            for name, token in users.tokens.items():
                f.write(f"{token}\t{paths[what](name, r)}\n")
    cmd = ["wrk", f"-t{min(conns, 2)}", f"-c{conns}", f"-d{seconds:.0f}s", "--timeout", "10s"]
    cmd += ["-s", str(HERE / "care_load.lua"), server.base, "--", f.name]
    before = _cpu(server)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    after = _cpu(server, since=before)
    os.unlink(f.name)
    res = json.loads(out.strip().splitlines()[-1])
    n = res["n"]
    return {
        "n": n,
        "rps": n / (res["us"] / 1e6),
        **{p: res[p] / 1000 for p in ("p50", "p95", "p99")},
        "errors": res["non2xx"] + res["socket_errors"],
        **{k: (after[k] - before[k]) * 1000 / max(n, 1) for k in after},
    }


def _cpu(server: Server, since: dict[str, float] | None = None) -> dict[str, float]:
    """Server, PostgreSQL and load-tool CPU seconds (PostgreSQL: backends alive at both ends)."""
    tool = resource.getrusage(resource.RUSAGE_CHILDREN)
    me = resource.getrusage(resource.RUSAGE_SELF)
    pg = server.pg_cpu()
    out = {
        "server_ms": server.cpu(),
        "pg_ms": sum(pg.values()),
        "tool_ms": tool.ru_utime + tool.ru_stime + me.ru_utime + me.ru_stime,
    }
    if since is not None:  # a backend that ended during the phase is left out, not subtracted
        gone = {p: c for p, c in server.pg_start.items() if p not in pg}
        out["pg_ms"] += sum(gone.values())
    server.pg_start = pg
    return out


# -- users with think time (asyncio, one keep-alive connection each) ----------------------------


@dataclass
class Recorder:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, ms: float, ok: bool) -> None:
        self.times.setdefault(what, []).append(ms)
        self.errors[what] = self.errors.get(what, 0) + (not ok)


class Browser:
    """A minimal HTTP/1.1 keep-alive client: cheap enough not to be the bottleneck."""

    def __init__(self, host: str, port: int, token: str | None) -> None:
        self.host, self.port = host, port
        self.auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self.conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> int:
        for attempt in (1, 2):
            if self.conn is None or self.conn[0].at_eof() or self.conn[1].is_closing():
                self.conn = await asyncio.open_connection(self.host, self.port)
            reader, writer = self.conn
            try:
                writer.write(
                    f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.auth}\r\n".encode()
                )
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)
                if b"connection: close" in head.lower():
                    self.conn = None
                return int(head[9:12])
            except (asyncio.IncompleteReadError, ConnectionError):
                self.conn = None  # the server closed an idle connection: reopen, as a browser does
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


async def think_run(
    server: Server, users: Users, n: int, seconds: float, think: tuple[float, float]
) -> Recorder:
    host, port = server.base.removeprefix("http://").split(":")
    rec = Recorder()
    stop = time.perf_counter() + seconds
    names = (list(users.tokens) * (n // len(users.tokens) + 1))[:n]

    async def timed(b: Browser, what: str, path: str) -> None:
        t0 = time.perf_counter()
        try:
            ok = await b.get(path) == 200
        except (OSError, asyncio.IncompleteReadError):
            ok = False
        rec.add(what, (time.perf_counter() - t0) * 1000, ok)

    async def officer(i: int, name: str) -> None:
        r, b = random.Random(i), Browser(host, int(port), users.tokens[name])
        await asyncio.sleep(r.uniform(0, think[1]))  # users arrive spread over one think time
        while time.perf_counter() < stop:
            await timed(b, QUEUE, users.queue_path(name, r))
            for _ in range(r.randint(1, 3)):
                await asyncio.sleep(r.uniform(*think))
                if time.perf_counter() >= stop:
                    return
                await timed(b, DETAIL, users.detail_path(name, r))
            await asyncio.sleep(r.uniform(*think))

    async def probe() -> None:
        b = Browser(host, int(port), None)
        while time.perf_counter() < stop:
            await timed(b, HEALTH, "/health")
            await asyncio.sleep(1)

    await asyncio.gather(probe(), *(officer(i, name) for i, name in enumerate(names)))
    return rec


def summarise(times: list[float]) -> dict[str, float]:
    q = statistics.quantiles(times, n=100)
    return {"n": len(times), "p50": q[49], "p95": q[94], "p99": q[98], "max": max(times)}


# -- the run ------------------------------------------------------------------------------------


def audit_rows(url: str) -> int:
    with create_engine(url).connect() as conn:
        query = select(func.count()).where(AuditEvent.resource.in_(("care_queue", "care_case")))
        return int(conn.execute(query).scalar_one())


def verify_chain(url: str) -> audit.ChainReport:
    engine = create_engine(url)
    with Session(engine) as session:
        return audit.verify(session)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--audit", type=int, default=1_000_000)
    ap.add_argument("--persons", type=int, default=30_000)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--think", type=float, nargs=2, default=(1.0, 5.0), metavar=("MIN", "MAX"))
    ap.add_argument("--think-seconds", type=float, default=120, help="target scenario length")
    ap.add_argument("--seconds", type=float, default=15, help="length of each wrk phase")
    ap.add_argument("--workers", type=int, default=2, help="gibon serve --workers")
    ap.add_argument("--reuse", action="store_true", help="keep the database of an earlier run")
    ap.add_argument("--key", type=Path, help="the vault key file (to --reuse a database)")
    args = ap.parse_args()
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        sys.exit("wrk is needed for the closed-loop phases: apt-get install wrk")
    rng = random.Random(5)
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + NAME
    key = args.key or Path(tempfile.mkdtemp()) / "secret.key"
    t0 = time.perf_counter()
    if args.reuse:
        db.upgrade(url)
        missing = args.audit - data.counts(url)["audit_events"]
        if missing > 0:  # top the audit log up to --audit rows
            data.append_audit(db.engine_for(url), missing, rng)
    else:
        data.recreate(ADMIN_URL, NAME)
        data.build(url, key, args.cases, args.audit, args.persons, rng)
    _forget_sign_ins(url)  # a scratch database: earlier runs' sign-ins forgotten
    built = "reused" if args.reuse else f"built in {time.perf_counter() - t0:.0f} s"
    counts = data.counts(url)
    server = serve(url, key, args.workers)
    load = [os.getloadavg()]
    rows = [audit_rows(url)]
    try:
        users = sign_in(server.base, args.users, data.cases_by_dong(url), url)
        single = {w: wrk(server, users, 1, 10, w) for w in (HEALTH, QUEUE, DETAIL)}
        load.append(os.getloadavg())
        rows.append(audit_rows(url))
        cpu0 = _cpu(server)
        rec = asyncio.run(think_run(server, users, args.users, args.think_seconds, args.think))
        cpu1 = _cpu(server, since=cpu0)
        load.append(os.getloadavg())
        rows.append(audit_rows(url))
        sat = {w: wrk(server, users, args.users, args.seconds, w) for w in (HEALTH, QUEUE, DETAIL)}
        load.append(os.getloadavg())
    finally:
        server.proc.send_signal(signal.SIGINT)
        server.proc.wait(timeout=30)
    rows.append(audit_rows(url))
    chain = verify_chain(url)
    body = _report_body(args, counts, built, single, rec, cpu0, cpu1, sat, load, chain)
    body += _audit_line(rows, single, rec, sat)
    print(body)
    _report.write_section("care", "Integrated care: work queue and case detail under load", body)


def _report_body(args, counts, built, single, rec, cpu0, cpu1, sat, load, chain) -> str:  # type: ignore[no-untyped-def]
    think = {w: summarise(t) for w, t in rec.times.items()}
    n_think = sum(len(t) for t in rec.times.values())
    cpu = {k: (cpu1[k] - cpu0[k]) * 1000 / n_think for k in cpu1}
    lines = [
        f"PostgreSQL holding {counts['care_cases']:,} cases ({counts['care_case_events']:,} events, "
        f"{counts['care_assessments']:,} assessments, {counts['care_referrals']:,} referrals, "
        f"{counts['care_followups']:,} follow-ups), {counts['audit_events']:,} hash-chained audit "
        f"rows and {counts['persons']:,} residents ({built}). `gibon serve --workers "
        f"{args.workers}` on loopback, on the same 2-core machine as PostgreSQL and the load tool. "
        "Every queue and detail request appends an audit row to the chain.",
        "",
        f"**(a) Target scenario: {args.users} users with think time** — each opens the work queue, "
        f"then 1–3 cases of its area, waiting uniform {args.think[0]:g}–{args.think[1]:g} s before "
        f"every action (Locust: `wait_time = between({args.think[0]:g}, {args.think[1]:g})`), "
        f"{args.think_seconds:.0f} s; GET /health probed every second in the same run.",
        "",
        "| request | requests | p50 ms | p95 ms | p99 ms | max ms | non-200 | p95 / /health p95 | p95 vs 150 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for w in (HEALTH, QUEUE, DETAIL):
        s = think[w]
        verdict = "—" if w == HEALTH else ("met" if s["p95"] < 150 else "**not met**")
        lines.append(
            f"| {w} | {s['n']:,} | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | "
            f"{s['max']:.0f} | {rec.errors[w]} | {s['p95'] / think[HEALTH]['p95']:.1f}× | {verdict} |"
        )
    lines += [
        "",
        f"{n_think / args.think_seconds:.1f} requests/s offered; per request: server "
        f"{cpu['server_ms']:.1f} ms CPU, PostgreSQL {cpu['pg_ms']:.1f} ms, load tool "
        f"{cpu['tool_ms']:.2f} ms.",
        "",
        f"**(b) Saturation: {args.users} connections, no think time** (wrk, closed loop, "
        f"{args.seconds:.0f} s each), with one connection alone for the unloaded latency:",
        "",
        "| request | connections | requests | req/s | p50 ms | p95 ms | p99 ms | non-2xx | server CPU ms/req | PostgreSQL CPU ms/req | wrk CPU ms/req | req/s ÷ /health | p50 ÷ /health |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for conns, phase in ((1, single), (args.users, sat)):
        h = phase[HEALTH]
        for w in (HEALTH, QUEUE, DETAIL):
            r = phase[w]
            lines.append(
                f"| {w} | {conns} | {r['n']:,} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
                f"{r['p99']:.1f} | {r['errors']:.0f} | {r['server_ms']:.1f} | {r['pg_ms']:.1f} | "
                f"{r['tool_ms']:.2f} | {r['rps'] / h['rps']:.2f} | {r['p50'] / h['p50']:.1f}× |"
            )
    h = sat[HEALTH]
    little = args.users / h["rps"] * 1000  # mean latency of a closed loop: connections / throughput
    if h["p95"] > 20 * little:
        lines += [
            "",
            f"/health's p95 under saturation ({h['p95']:.0f} ms) cannot be right: in a closed loop "
            f"the mean latency is connections / throughput = {little:.0f} ms, so 5 % of requests "
            "cannot take that long; wrk's histogram is off for these sub-millisecond requests. "
            "Compare throughput, p50 and CPU per request there.",
        ]
    lines += [
        "",
        "1-minute load average (other engineers share the 2 cores): "
        + ", ".join(f"{x[0]:.1f}" for x in load)
        + " (start, after the single-user phase, after (a), after (b)).",
        f"Audit chain after the run: {'intact' if chain.ok else 'BROKEN at ' + str(chain.first_broken_id)}, "
        f"{chain.checked:,} rows verified.",
    ]
    return "\n".join(lines)


def _audit_line(rows, single, rec, sat) -> str:  # type: ignore[no-untyped-def]
    ok_think = sum(len(t) - rec.errors[w] for w, t in rec.times.items() if w != HEALTH)
    ok_wrk = sum(p[w]["n"] - p[w]["errors"] for p in (single, sat) for w in (QUEUE, DETAIL))
    in_wrk = rows[1] - rows[0] + rows[3] - rows[2]
    think = rows[2] - rows[1]
    verdict = (
        "equal: no audit row lost"
        if think == ok_think
        else "no audit row lost; the extra rows are of requests still in flight when the "
        "single-user phase ended"
        if think > ok_think
        else "**AUDIT ROWS MISSING**"
    )
    return (
        f" Audit rows for queue and detail reads: {think:,} appended for "
        f"{ok_think:,} successful reads in (a) ({verdict}); {in_wrk:,} in the wrk "
        f"phases for {ok_wrk:,} completed reads (wrk does not wait for the requests still in "
        "flight when a phase ends, so up to one more row per connection and phase)."
    )


if __name__ == "__main__":
    main()
