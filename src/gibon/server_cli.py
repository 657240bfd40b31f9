"""Commands for the database, the demo data, the audit log and the web server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import typer
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError

from gibon import backup as backups
from gibon import db, demo
from gibon.accounts.models import ROLE_LABELS_KO, User
from gibon.audit import checkpoint
from gibon.audit import service as audit
from gibon.config import get_settings
from gibon.errors import InvalidInput
from gibon.kit.crypto import Vault, load_or_create_key
from gibon.web import logging as weblog
from gibon.window import demo as window_demo

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


@db_app.command("backup")
def backup(path: Path = typer.Argument(..., help="backup file to write")) -> None:
    """Copy the whole database to PATH while it is in use (SQLite backup API or pg_dump)."""
    settings = get_settings()
    engine = _migrated_engine()
    with db.unit_of_work(db.session_factory(engine), write=False) as session:
        checkpoint.write(session, settings)  # the copy's tail is covered by a signed head
    backups.backup(settings.database_url, path)
    console.print(f"백업 완료: {_safe_url(settings.database_url)} → {path}", soft_wrap=True)


@db_app.command("restore")
def restore(path: Path = typer.Argument(..., help="backup file made by gibon db backup")) -> None:
    """Replace the database with the backup at PATH (stop the server first), then verify it."""
    settings = get_settings()
    backups.restore(settings.database_url, path)
    db.dispose_engines(settings.database_url)  # pooled connections still see the old file
    engine = _migrated_engine()
    with db.unit_of_work(db.session_factory(engine), write=False) as session:
        report = audit.verify(session)
        if report.ok:
            checkpoint.write(session, settings, kind="restore")
    if not report.ok:
        raise InvalidInput(
            f"복원한 감사 기록이 {report.first_broken_id}번에서 끊어져 있습니다",
            where=str(path),
        )
    console.print(
        f"복원 완료: {path} → {_safe_url(settings.database_url)}, "
        f"감사 기록 {report.checked:,}건 모두 정상",
        soft_wrap=True,
    )


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
    written = demo.ProgressWriter(demo.progress_file(settings.data_dir), 0)
    try:
        with db.transaction(engine) as session, _progress() as progress:
            loaded = demo.load(
                session,
                _vault(),
                seed=seed,
                persons=persons or settings.demo_scale,
                progress=progress,
                written=written,
            )
    except BaseException as exc:
        written.stage("failed", type(exc).__name__)
        raise
    written.stage("done")
    console.print(f"합성 주민 {loaded:,}명을 적재했습니다 (synthetic residents loaded).")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=console,
    )


_CHAIN_REASONS_KO = {
    "previous-hash link does not match": "앞 기록과의 연결(이전 해시)이 맞지 않습니다",
    "row contents do not match its hash": "기록 내용이 해시와 맞지 않습니다 (내용이 바뀌었습니다)",
}


@audit_app.command("verify")
def verify() -> None:
    """Check the audit hash chain and its signed checkpoints; name the first problem."""
    settings = get_settings()
    engine = _migrated_engine()
    with db.unit_of_work(db.session_factory(engine), write=False) as session:
        report = audit.verify(session)
        tail = checkpoint.verify_tail(session, settings)
    if not report.ok:
        reason = _CHAIN_REASONS_KO.get(report.reason or "", report.reason or "")
        raise InvalidInput(
            f"감사 기록이 {report.first_broken_id}번에서 끊어졌습니다: {reason} "
            f"(그 앞 {report.checked:,}건은 정상)",
            where=f"audit_events.id={report.first_broken_id}",
        )
    files = ", ".join(str(p) for p in checkpoint.checkpoint_files(settings))
    if tail.forged_lines:
        raise InvalidInput(
            f"확인점 파일에 서명이 맞지 않는 줄이 {tail.forged_lines}개 있습니다 (파일이 고쳐졌습니다)",
            where=files,
        )
    if not tail.ok:
        raise InvalidInput(tail.problem or "", where=files)
    console.print(
        f"감사 기록 무결성 확인: {report.checked:,}건 모두 정상 (chain intact)", soft_wrap=True
    )
    if tail.checkpoint is None:
        console.print(
            "서명된 확인점이 아직 없습니다: 끝부분 삭제는 첫 확인점부터 검출됩니다 "
            "(gibon audit checkpoint)",
            soft_wrap=True,
        )
    else:
        head = tail.checkpoint.head
        kind = "복원 시점" if tail.checkpoint.kind == "restore" else "확인점"
        console.print(
            f"마지막 {kind}({checkpoint.kst_text(tail.checkpoint.at)}, {head.id}번까지 "
            f"{head.count:,}건) 이후 삭제된 기록이 없습니다",
            soft_wrap=True,
        )


@audit_app.command("checkpoint")
def sign_checkpoint() -> None:
    """Sign the chain's head now and append it to the checkpoint file(s) (cron, before a backup)."""
    settings = get_settings()
    engine = _migrated_engine()
    with db.unit_of_work(db.session_factory(engine), write=False) as session:
        point = checkpoint.write(session, settings)
    where = ", ".join(str(p) for p in checkpoint.checkpoint_files(settings))
    if point is None:
        console.print(f"새 기록이 없어 확인점을 더하지 않았습니다 ({where})", soft_wrap=True)
    else:
        console.print(f"확인점 서명: {point.head.id}번까지 {point.head.count:,}건 → {where}")


def _migrated_engine() -> Engine:
    """The configured database, or one Korean line (exit 2) when it cannot be used yet."""
    url = get_settings().database_url
    engine = db.engine_for(url)
    try:
        migrated = db.is_migrated(engine)
    except OperationalError as exc:
        raise InvalidInput(
            f"데이터베이스에 연결할 수 없습니다 ({type(exc.orig).__name__})",
            where=_safe_url(url),
            example="GIBON_DATABASE_URL=sqlite:///var/gibon.db",
        ) from None
    if not migrated:
        raise InvalidInput(
            "데이터베이스가 아직 준비되지 않았습니다 (마이그레이션 전). 먼저 gibon db upgrade 를 실행하세요",
            where=_safe_url(url),
            example="gibon db upgrade",
        )
    return engine


def serve(
    host: str = typer.Option("127.0.0.1", help="interface to bind"),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port"),
    workers: int | None = typer.Option(
        None,
        min=1,
        max=16,
        help="worker processes (default: one per core on PostgreSQL, 1 on SQLite)",
    ),
    load_demo: bool = typer.Option(
        False, "--load-demo", help="load the demo district in the background when empty"
    ),
) -> None:
    """Start the web server and print the demo accounts."""
    loader = _load_demo_in_background() if load_demo else None
    try:
        _serve(host, port, workers, loading=loader is not None)
    finally:
        if loader is not None and loader.poll() is None:
            loader.terminate()  # its transaction rolls back; the next start loads again
            stopped = demo.LoadProgress("failed", message="서버가 멈춰 적재를 중단했습니다")
            demo.write_progress(demo.progress_file(get_settings().data_dir), stopped)


def _load_demo_in_background() -> subprocess.Popen[bytes] | None:
    """``gibon demo load --if-empty`` in a child process; the home page shows its progress."""
    engine = _migrated_engine()
    with db.unit_of_work(db.session_factory(engine), write=False) as session:
        if not demo.is_empty(session):
            return None
    log = get_settings().data_dir / "demo-load.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    demo.write_progress(
        demo.progress_file(get_settings().data_dir), demo.LoadProgress("generating")
    )
    command = [sys.executable, "-c", "from gibon.cli import main; main()", "demo", "load"]
    console.print(
        f"데모 지역을 뒤에서 적재합니다: 진행은 첫 화면에서, 기록은 {log}", soft_wrap=True
    )
    with log.open("ab") as out:
        return subprocess.Popen([*command, "--if-empty"], stdout=out, stderr=out)


def _serve(host: str, port: int, workers: int | None, *, loading: bool) -> None:
    from gibon.app import MAX_CONCURRENT, create_app

    workers = workers or default_workers(get_settings().database_url)
    os.environ["GIBON_WORKERS"] = str(workers)  # each worker sizes its share of the pool
    get_settings.cache_clear()
    app = create_app()  # also creates the secret key file before any worker reads it
    _print_accounts(app.state.sessionmaker, everyone=loading)
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
        # a worker answers the supervisor's ping only once its imports are done: on a busy machine
        # that took more than uvicorn's 5 s, and the supervisor killed and respawned it forever
        timeout_worker_healthcheck=60,
    )
    Multiprocess(config, sockets=worker_sockets(config)).run()


def worker_sockets(config: uvicorn.Config) -> list[socket.socket]:
    """What each worker listens on: a socket of its own where the kernel can spread connections
    over the workers' sockets (Linux's SO_REUSEPORT), else one socket they share.

    On a shared socket, a worker that wakes takes every connection waiting: 50 phones opening the
    day at once left 60-83 % of them on one of two workers, whose queue then set the slowest
    answer. With a socket each, the kernel hashes each new connection to one worker's queue.
    """
    if not hasattr(socket, "SO_REUSEPORT") or not sys.platform.startswith("linux"):
        return [config.bind_socket()]
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:  # the port must be free, not shared
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((config.host, config.port))  # OSError "address already in use" here, at once
    return [_OwnSocket(config.host, config.port, config.backlog)]  # type: ignore[list-item]


class _OwnSocket:
    """Handed to every worker process and turned there into a listening socket of its own (a
    worker restarted after a crash binds a fresh one; a dead worker's socket goes with it)."""

    def __init__(self, host: str, port: int, backlog: int) -> None:
        self.host, self.port, self.backlog = host, port, backlog

    def __reduce__(self) -> tuple[object, tuple[str, int, int]]:
        return (reuse_port_socket, (self.host, self.port, self.backlog))


def reuse_port_socket(host: str, port: int, backlog: int) -> socket.socket:
    """A TCP listening socket on ``host:port`` beside the other workers' (SO_REUSEPORT); created
    as IPPROTO_TCP so asyncio turns Nagle's algorithm off (see ``_TcpConfig``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    return sock


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


def _print_accounts(sessionmaker: object, *, everyone: bool = False) -> None:
    """The demo accounts that exist (``everyone``: all of them, while the demo is being loaded)."""
    with sessionmaker() as session:  # type: ignore[operator]
        users = {u.username: u for u in session.scalars(select(User))}
    table = Table(title=f"데모 계정 (demo accounts) — 비밀번호: {demo.DEMO_PASSWORD}")
    for col in ("아이디", "역할", "이름", "담당"):
        table.add_column(col)
    for account in demo.DEMO_ACCOUNTS:
        if everyone or account.username in users:
            scope = account.dong or account.organization_id or "전체"
            table.add_row(
                account.username, ROLE_LABELS_KO[account.role], account.display_name, scope
            )
    console.print(table)
    with sessionmaker() as session:  # type: ignore[operator]
        residents = window_demo.accounts_shown(session)
    if residents:
        shown = Table(title=f"데모 주민 (/my/login) — 비밀번호: {demo.DEMO_PASSWORD}")
        for col in ("아이디", "상황", "이름 (합성 주민)"):
            shown.add_column(col)
        for row in residents:
            shown.add_row(*row)
        console.print(shown)
