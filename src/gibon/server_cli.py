"""Commands for the database, the demo data, the audit log and the web server."""

from __future__ import annotations

import os
import socket

import typer
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import select

from gibon import db, demo
from gibon.accounts.models import ROLE_LABELS_KO, User
from gibon.audit import service as audit
from gibon.config import get_settings
from gibon.errors import InvalidInput
from gibon.kit.crypto import Vault, load_or_create_key
from gibon.web import logging as weblog

console = Console()
db_app = typer.Typer(help="데이터베이스 (database)", no_args_is_help=True)
demo_app = typer.Typer(help="데모 자료 (demo data)", no_args_is_help=True)
audit_app = typer.Typer(help="감사 기록 (audit log)", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="target revision")) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    url = get_settings().database_url
    db.upgrade(url, revision)
    console.print(f"데이터베이스 최신화 완료: {_safe_url(url)}")


def _safe_url(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


def _vault() -> Vault:
    return Vault(load_or_create_key(get_settings().secret_key_file))


@demo_app.command("load")
def load(
    if_empty: bool = typer.Option(False, "--if-empty", help="do nothing when residents exist"),
    seed: int = typer.Option(1, min=0, help="population seed"),
    persons: int | None = typer.Option(None, min=100, help="persons (default: the whole district)"),
) -> None:
    """Load the synthetic Gwanak population, demo accounts and each domain's demo data."""
    settings = get_settings()
    engine = db.engine_for(settings.database_url)
    if not db.is_migrated(engine):
        raise InvalidInput(
            "database is not migrated",
            where=_safe_url(settings.database_url),
            example="gibon db upgrade",
        )
    with db.transaction(engine) as session:
        if if_empty and not demo.is_empty(session):
            console.print("데모 자료가 이미 있습니다 (demo data already loaded).")
            return
        with _progress() as progress:
            loaded = demo.load(
                session,
                _vault(),
                seed=seed,
                persons=persons or settings.demo_scale,
                progress=progress,
            )
    console.print(f"합성 주민 {loaded:,}명을 적재했습니다 (synthetic residents loaded).")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=console,
    )


@audit_app.command("verify")
def verify() -> None:
    """Check the audit hash chain; name the first broken link."""
    with db.transaction() as session:
        report = audit.verify(session)
    if report.ok:
        console.print(f"감사 기록 무결성 확인: {report.checked:,}건 모두 정상 (chain intact)")
        return
    raise InvalidInput(
        f"audit chain broken at event {report.first_broken_id}: {report.reason} ({report.checked:,} events intact before it)",
        where=f"audit_events.id={report.first_broken_id}",
    )


def serve(
    host: str = typer.Option("127.0.0.1", help="interface to bind"),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port"),
    workers: int | None = typer.Option(
        None,
        min=1,
        max=16,
        help="worker processes (default: one per core on PostgreSQL, 1 on SQLite)",
    ),
) -> None:
    """Start the web server and print the demo accounts."""
    from gibon.app import MAX_CONCURRENT, create_app

    app = create_app()  # also creates the secret key file before any worker reads it
    _print_accounts(app.state.sessionmaker)
    workers = workers or default_workers(app.state.settings.database_url)
    console.print(f"gibon: http://{host}:{port}  (API 문서 /docs, {workers} worker(s))")
    if workers == 1:
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="info",
            limit_concurrency=MAX_CONCURRENT,
            log_config=weblog.LOG_CONFIG,
        )
        return
    from uvicorn.supervisors import Multiprocess

    db.dispose_engines()  # each worker process builds its own app and connection pool
    config = _TcpConfig(
        "gibon.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        limit_concurrency=MAX_CONCURRENT,
        log_config=weblog.LOG_CONFIG,
    )
    Multiprocess(config, sockets=[config.bind_socket()]).run()


class _TcpConfig(uvicorn.Config):
    """The workers' shared socket, marked as TCP so asyncio turns Nagle's algorithm off.

    uvicorn creates it as ``socket(AF_INET)`` (protocol 0), and asyncio sets TCP_NODELAY only on
    connections of a socket whose protocol is TCP: every response then waited ~40 ms for the
    client's delayed ACK (measured: 19 req/s on one connection to /health, 1,060 with this).
    """

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        tcp.set_inheritable(True)
        return tcp


def default_workers(database_url: str) -> int:
    """One process per core (at most 4) on PostgreSQL; SQLite has one writer, so one process.

    Safe because a worker keeps no state others need: sessions are signed cookies, the audit
    chain's lock lives in PostgreSQL, and per-process caches only save work.
    """
    if database_url.startswith("sqlite"):
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _print_accounts(sessionmaker: object) -> None:
    with sessionmaker() as session:  # type: ignore[operator]
        users = {u.username: u for u in session.scalars(select(User))}
    table = Table(title=f"데모 계정 (demo accounts) — 비밀번호: {demo.DEMO_PASSWORD}")
    for col in ("아이디", "역할", "이름", "담당"):
        table.add_column(col)
    for account in demo.DEMO_ACCOUNTS:
        if account.username in users:
            scope = account.dong or account.organization_id or "전체"
            table.add_row(
                account.username, ROLE_LABELS_KO[account.role], account.display_name, scope
            )
    console.print(table)
