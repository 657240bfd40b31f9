"""Backups of the whole database: SQLite's online backup API, pg_dump/pg_restore for PostgreSQL.

A backup is written to a temporary file beside the target and renamed at the end, so a failed or
interrupted backup never leaves a half file under the backup's name. The audit chain's head is
signed before the backup (so the copy's tail is covered), and a restore appends a signed "restore"
line: ``gibon audit verify`` then checks the restored chain against the head it was reset to.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from gibon.errors import InvalidInput
from gibon.kit.files import atomic_path

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


def backup(url: str, target: Path) -> None:
    with atomic_path(target) as tmp:
        if url.startswith("sqlite"):
            _sqlite_copy(_sqlite_path(url), tmp)
        else:
            _run(["pg_dump", "--format=custom", f"--file={tmp}", f"--dbname={_libpq(url)}"])


def restore(url: str, source: Path) -> None:
    """Replace the database's contents with the backup at ``source`` (stop the server first)."""
    head = _head(source)
    if url.startswith("sqlite"):
        _expect(head.startswith(SQLITE_MAGIC), source, "SQLite")
        _sqlite_copy(source, _sqlite_path(url))
    else:
        _expect(head.startswith(PG_MAGIC), source, "pg_dump --format=custom")
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_libpq(url)}",
                str(source),
            ]
        )


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise InvalidInput("an in-memory database cannot be backed up", where=url)
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Page-by-page copy that readers and writers of ``source`` may use meanwhile."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst, pages=4096)
    finally:
        dst.close()
        src.close()


def _head(source: Path) -> bytes:
    try:
        with source.open("rb") as fh:
            return fh.read(16)
    except OSError as exc:
        raise InvalidInput(
            f"백업 파일을 읽을 수 없습니다 ({exc.strerror})",
            where=str(source),
            example="gibon db restore var/backups/gibon-2026-12-07.db",
        ) from None


def _expect(ok: bool, source: Path, kind: str) -> None:
    if not ok:
        raise InvalidInput(
            f"이 데이터베이스의 백업 파일이 아닙니다 ({kind} 백업이어야 합니다)",
            where=str(source),
            example="gibon db backup var/backups/gibon.bak",
        )


def _libpq(url: str) -> str:
    """The SQLAlchemy URL as a libpq connection URI (no driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise InvalidInput(
            f"{command[0]} 명령이 없습니다: PostgreSQL 클라이언트를 설치하세요",
            where=command[0],
            example="apt-get install postgresql-client",
        )
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise InvalidInput(f"{command[0]} 실패: {last}", where=command[0])
