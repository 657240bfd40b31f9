"""Overload on both databases: 200 clients without think time on case detail, SQLite and PostgreSQL.

For each database a scratch copy (cases with their steps, a hash-chained audit log, residents; see
care_load_data.py) is served with ``gibon serve`` on loopback, and two phases run:

1. baseline: ``--clients`` keep-alive connections on GET /health for ``--baseline`` seconds;
2. load: ``--clients`` connections, each reading case details of its officer's dong back to back
   for ``--seconds`` seconds, while a probe reads GET /health twice a second (the same-run
   baseline under load).

Every answer's status and time are recorded. Acceptance (issue 11): on PostgreSQL no 5xx at all;
on SQLite every answer a 200, a 409 or a quick 503 (the overload gate's ``Retry-After``); on
both, one audit row per successful detail read (none lost) and an intact chain.

    python benchmarks/care_concurrency.py --clients 200 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _report
import care_load as load
import care_load_data as data

PG_NAME = "gibon_concurrency_bench"
REQUEST_TIMEOUT = 30.0  # a client gives up after this; counted as a timeout, not an answer


@dataclass
class Tally:
    """Every answer of one phase: status -> latencies (ms); timeouts and socket errors apart."""

    by_status: dict[int, list[float]] = field(default_factory=dict)
    failed: int = 0

    def add(self, status: int, ms: float) -> None:
        self.by_status.setdefault(status, []).append(ms)

    @property
    def all_ms(self) -> list[float]:
        return [ms for times in self.by_status.values() for ms in times]

    def count(self, *statuses: int) -> int:
        return sum(len(self.by_status.get(s, [])) for s in statuses)

    def server_errors(self) -> dict[int, int]:
        return {s: len(t) for s, t in self.by_status.items() if s >= 500}


async def closed_loop(
    server: load.Server, paths: list[tuple[str | None, list[str]]], seconds: float
) -> Tally:
    """One connection per ``paths`` entry (token, its paths), each asking back to back."""
    host, port = server.base.removeprefix("http://").split(":")
    tally = Tally()
    stop = time.perf_counter() + seconds

    async def client(i: int, token: str | None, choices: list[str]) -> None:
        r, browser = random.Random(i), load.Browser(host, int(port), token)
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                status = await asyncio.wait_for(browser.get(r.choice(choices)), REQUEST_TIMEOUT)
            except (OSError, asyncio.IncompleteReadError, TimeoutError):
                tally.failed += 1
                browser.conn = None
                continue
            tally.add(status, (time.perf_counter() - t0) * 1000)

    await asyncio.gather(*(client(i, t, c) for i, (t, c) in enumerate(paths)))
    return tally


async def load_phase(
    server: load.Server, paths: list[tuple[str | None, list[str]]], seconds: float
) -> tuple[Tally, Tally]:
    """The detail readers and a /health probe (twice a second) in the same run."""
    host, port = server.base.removeprefix("http://").split(":")
    probe = Tally()

    async def health() -> None:
        browser = load.Browser(host, int(port), None)
        stop = time.perf_counter() + seconds
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                status = await asyncio.wait_for(browser.get("/health"), REQUEST_TIMEOUT)
                probe.add(status, (time.perf_counter() - t0) * 1000)
            except (OSError, asyncio.IncompleteReadError, TimeoutError):
                probe.failed += 1
                browser.conn = None
            await asyncio.sleep(0.5)

    readers, _ = await asyncio.gather(closed_loop(server, paths, seconds), health())
    return readers, probe


def quantile(times: list[float], q: int) -> float:
    if len(times) < 2:
        return times[0] if times else float("nan")
    return statistics.quantiles(times, n=100)[q - 1]


@dataclass
class Outcome:
    backend: str
    workers: int
    counts: dict[str, int]
    baseline: Tally
    readers: Tally
    probe: Tally
    audit_added: int
    chain_ok: bool
    chain_checked: int
    seconds: float


def run_backend(backend: str, url: str, args: argparse.Namespace) -> Outcome:
    rng = random.Random(5)
    key = Path(tempfile.mkdtemp()) / "secret.key"
    if backend == "postgresql":
        data.recreate(load.ADMIN_URL, PG_NAME)
    data.build(url, key, args.cases, args.audit, args.persons, rng)
    counts = data.counts(url)
    workers = 1 if backend == "sqlite" else 2
    server = load.serve(url, key, workers)
    try:
        users = load.sign_in(server.base, 21, data.cases_by_dong(url))  # one officer per dong
        names = list(users.tokens)
        health = [(None, ["/health"])] * args.clients
        baseline = asyncio.run(closed_loop(server, health, args.baseline))
        detail = []
        for i in range(args.clients):
            name = names[i % len(names)]
            detail.append((users.tokens[name], [f"/api/cases/{c}" for c in users.scope[name]]))
        before = load.audit_rows(url)
        readers, probe = asyncio.run(load_phase(server, detail, args.seconds))
        time.sleep(1)  # requests the server finished after the clients stopped waiting
        added = load.audit_rows(url) - before
    finally:
        server.proc.send_signal(signal.SIGINT)
        server.proc.wait(timeout=60)
    chain = load.verify_chain(url)
    return Outcome(
        backend, workers, counts, baseline, readers, probe, added, chain.ok, chain.checked,
        args.seconds,
    )  # fmt: skip


def _row(label: str, t: Tally, seconds: float) -> str:
    ms = t.all_ms
    other = sorted(s for s in t.by_status if s not in (200, 409, 503))
    return (
        f"| {label} | {len(ms):,} | {len(ms) / seconds:.0f} | {t.count(200):,} | {t.count(409)} | "
        f"{t.count(503):,} | {sum(t.count(s) for s in other)} | {t.failed} | "
        f"{quantile(ms, 50):.0f} | {quantile(ms, 95):.0f} | {quantile(ms, 99):.0f} |"
    )


def verdict(o: Outcome) -> str:
    served = o.readers.count(200)
    lost = "none lost" if o.audit_added == served else f"**{served - o.audit_added} missing**"
    fives = o.readers.server_errors()
    if o.backend == "postgresql":
        ok = not fives and not o.readers.failed
        rule = f"{sum(fives.values())} 5xx, {o.readers.failed} timeouts"
    else:
        others = {s: n for s, n in fives.items() if s != 503}
        slow = quantile(o.readers.by_status.get(503, [0.0]), 95)
        ok = not others and not o.readers.failed and slow < 5000
        rule = f"only 200/409/503, 503 p95 {slow:.0f} ms"
    audit = f"audit rows {o.audit_added:,} for {served:,} successful reads ({lost})"
    chain = f"chain {'intact' if o.chain_ok else 'BROKEN'} ({o.chain_checked:,} rows)"
    return f"{'met' if ok else '**not met**'} ({rule}); {audit}; {chain}"


def report(outcomes: list[Outcome], args: argparse.Namespace, loads: list[float]) -> str:
    c = outcomes[0].counts
    lines = [
        f"Each database holds {c['care_cases']:,} cases with their steps, {c['audit_events']:,} "
        f"hash-chained audit rows and {c['persons']:,} residents; `gibon serve` on loopback "
        "(SQLite: 1 worker, PostgreSQL: 2), on the same 2-core machine as the database and the "
        f"client. {args.clients} keep-alive connections without think time (an asyncio client); "
        "every case-detail answer that is a 200 appends one audit row to the chain.",
        "",
        "| database · phase | answers | per s | 200 | 409 | 503 | other | timeouts | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        name = "SQLite" if o.backend == "sqlite" else "PostgreSQL"
        lines.append(_row(f"{name} · GET /health alone (baseline)", o.baseline, args.baseline))
        lines.append(_row(f"{name} · case detail, {args.clients} clients", o.readers, o.seconds))
        lines.append(_row(f"{name} · GET /health probe during it", o.probe, o.seconds))
    lines.append("")
    for o in outcomes:
        name = "SQLite" if o.backend == "sqlite" else "PostgreSQL"
        p95 = quantile(o.readers.by_status.get(200, []), 95)
        lines.append(f"- {name}: {verdict(o)}; p95 of the 200s {p95:.0f} ms.")
    lines += [
        "",
        "503s come from the overload gate: a request waits for one of the places the connection "
        "pool allows (SQLite: at most 1 s, PostgreSQL: 10 s), then gets gibon's 503 with "
        "`Retry-After: 1`. 1-minute load average (other engineers share "
        "the 2 cores): " + ", ".join(f"{x:.1f}" for x in loads) + " (start, after SQLite, end).",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--baseline", type=float, default=10)
    ap.add_argument("--cases", type=int, default=5_000)
    ap.add_argument("--audit", type=int, default=20_000)
    ap.add_argument("--persons", type=int, default=10_000)
    ap.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    args = ap.parse_args()
    loads = [os.getloadavg()[0]]
    outcomes = []
    scratch = Path(tempfile.mkdtemp())
    urls = {
        "sqlite": f"sqlite:///{scratch / 'bench.db'}",
        "postgresql": load.ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_NAME,
    }
    for backend in [args.only] if args.only else ["sqlite", "postgresql"]:
        outcomes.append(run_backend(backend, urls[backend], args))
        loads.append(os.getloadavg()[0])
    body = report(outcomes, args, loads)
    print(body)
    if not args.only:
        _report.write_section(
            "care-concurrency", "Integrated care: 200 clients on case detail, both databases", body
        )


if __name__ == "__main__":
    main()
