"""Signed checkpoints of the audit chain's head, kept outside the database.

The hash chain shows any change, insertion or deletion *inside* the log, but not that its newest
rows were cut off: the shorter chain is still a valid chain. So the server signs the head now and
then (id, hash, row count, time) with an HMAC key that is not in the database, and appends the line
to a file (optionally a second one) outside it. ``verify`` then checks that the signed head still
exists with the same hash: someone who can rewrite the database but not the key or the file cannot
cut the tail unnoticed. Rows written after the newest checkpoint are protected from the next one on.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import anyio.to_thread
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gibon.audit.models import AuditEvent
from gibon.config import Settings
from gibon.kit.crypto import load_or_create_key

SEOUL = ZoneInfo("Asia/Seoul")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Head:
    id: int
    hash: str
    count: int


@dataclass(frozen=True)
class Checkpoint:
    database: str
    head: Head
    at: str  # ISO time, UTC
    kind: str = "checkpoint"  # or "restore": the chain was reset to a backup's head


@dataclass(frozen=True)
class TailReport:
    checkpoint: Checkpoint | None
    problem: str | None  # Korean, for people; None when the tail is intact
    forged_lines: int = 0

    @property
    def ok(self) -> bool:
        return self.problem is None


def key_file(settings: Settings) -> Path:
    return settings.audit_key_file or settings.secret_key_file.parent / "audit.key"


def checkpoint_files(settings: Settings) -> list[Path]:
    main = settings.audit_checkpoint_file or (
        settings.secret_key_file.parent / "audit-checkpoints.log"
    )
    return [main] + ([settings.audit_checkpoint_copy] if settings.audit_checkpoint_copy else [])


def database_name(url: str) -> str:
    """The database a checkpoint belongs to, without a password."""
    return url.split("@")[-1] if "@" in url else url


def head(session: Session) -> Head:
    row = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    count = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    return Head(0, "", 0) if row is None else Head(row.id, row.hash, count)


def write(session: Session, settings: Settings, kind: str = "checkpoint") -> Checkpoint | None:
    """Sign the chain's head and append it to every checkpoint file (None: nothing new to sign)."""
    current = head(session)
    database = database_name(settings.database_url)
    last = newest(settings, database)
    if kind == "checkpoint" and last is not None and last.head == current:
        return None
    point = Checkpoint(database, current, datetime.now(UTC).isoformat(timespec="seconds"), kind)
    line = _signed_line(point, load_or_create_key(key_file(settings)))
    for path in checkpoint_files(settings):
        _append(path, line)
    return point


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)


def _payload(point: Checkpoint) -> str:
    fields = {
        "database": point.database,
        "id": point.head.id,
        "hash": point.head.hash,
        "count": point.head.count,
        "at": point.at,
        "kind": point.kind,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False)


def _mac(payload: str, key: bytes) -> str:
    return hmac.new(
        key, b"gibon/audit-checkpoint\x1f" + payload.encode(), hashlib.sha256
    ).hexdigest()


def _signed_line(point: Checkpoint, key: bytes) -> str:
    payload = _payload(point)
    return json.dumps(
        {"payload": json.loads(payload), "mac": _mac(payload, key)}, ensure_ascii=False
    )


def _read(path: Path, key: bytes, database: str) -> tuple[list[Checkpoint], int]:
    """The correctly signed checkpoints of ``database`` in ``path``, and how many lines were not."""
    points: list[Checkpoint] = []
    forged = 0
    if not path.exists():
        return points, forged
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            line = json.loads(raw)
            p = line["payload"]
            point = Checkpoint(
                p["database"], Head(p["id"], p["hash"], p["count"]), p["at"], p["kind"]
            )
        except (ValueError, KeyError, TypeError):
            forged += 1
            continue
        if not hmac.compare_digest(_mac(_payload(point), key), str(line.get("mac", ""))):
            forged += 1
        elif point.database == database:
            points.append(point)
    return points, forged


def newest(settings: Settings, database: str) -> Checkpoint | None:
    key = load_or_create_key(key_file(settings))
    points = [p for path in checkpoint_files(settings) for p in _read(path, key, database)[0]]
    return _latest(points)


def _latest(points: list[Checkpoint]) -> Checkpoint | None:
    """The newest checkpoint; within one second the line written later wins (a restore signed
    right after a backup's checkpoint)."""
    ordered = sorted(enumerate(points), key=lambda ip: (ip[1].at, ip[1].head.id, ip[0]))
    return ordered[-1][1] if ordered else None


def verify_tail(session: Session, settings: Settings) -> TailReport:
    """Does the newest signed checkpoint's head still stand in the database, unchanged?"""
    database = database_name(settings.database_url)
    key = load_or_create_key(key_file(settings))
    points: list[Checkpoint] = []
    forged = 0
    for path in checkpoint_files(settings):
        found, bad = _read(path, key, database)
        points += found
        forged += bad
    last = _latest(points)
    if last is None:
        return TailReport(None, None, forged)
    return TailReport(last, _tail_problem(session, last), forged)


def _tail_problem(session: Session, last: Checkpoint) -> str | None:
    if last.head.id == 0:
        return None
    stored = session.get(AuditEvent, last.head.id)
    current = head(session)
    when = kst_text(last.at) + "에"
    if stored is None or current.id < last.head.id:
        lost = last.head.count - min(current.count, last.head.count)
        return (
            f"감사 기록의 끝부분이 삭제되었습니다: {when} 서명된 확인점의 마지막 기록"
            f"(번호 {last.head.id})이 없습니다. 적어도 {lost:,}건이 사라졌습니다."
        )
    if stored.hash != last.head.hash:
        return (
            f"감사 기록의 끝부분이 바뀌었습니다: {when} 서명된 확인점의 마지막 기록"
            f"(번호 {last.head.id})의 해시가 다릅니다. 그 뒤 기록이 지워지고 다시 쓰였습니다."
        )
    return None


def kst_text(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(SEOUL).strftime("%Y-%m-%d %H:%M KST")


async def every(seconds: int, sign: Callable[[], object]) -> None:
    """Run ``sign`` in a worker thread every ``seconds`` until cancelled (the server's lifespan)."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await anyio.to_thread.run_sync(sign)
        except Exception:  # a full disk must not stop the server; the next round tries again
            log.exception("audit checkpoint failed")
