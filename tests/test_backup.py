"""gibon db backup / restore: a round trip brings back the data and an intact audit chain."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from typer.testing import CliRunner

from gibon import db
from gibon.audit import service as audit
from gibon.audit.models import AuditEvent
from gibon.cli import app
from gibon.config import get_settings

runner = CliRunner()


def _admin(url: str, statement: str) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(statement))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def scratch(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'live.db'}"
    else:
        base: str = request.getfixturevalue("postgres_url")
        name = f"gibon_backup_{uuid.uuid4().hex[:10]}"
        _admin(base, f'CREATE DATABASE "{name}"')
        url = base.rsplit("/", 1)[0] + "/" + name
    monkeypatch.setenv("GIBON_DATABASE_URL", url)
    monkeypatch.setenv("GIBON_SECRET_KEY_FILE", str(tmp_path / "keys" / "secret.key"))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    db.dispose_engines(url)
    if url.startswith("postgresql"):
        admin = url.rsplit("/", 1)[0] + "/postgres"
        _admin(admin, f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def _add_events(url: str, n: int, actor: str) -> None:
    with db.transaction(db.engine_for(url)) as session:
        for _ in range(n):
            audit.record(session, actor=actor, role="admin", action="read", resource="case")


def _actors(url: str) -> dict[str, int]:
    with db.engine_for(url).connect() as conn:
        query = select(AuditEvent.actor, func.count()).group_by(AuditEvent.actor)
        return {actor: int(n) for actor, n in conn.execute(query)}


def test_a_backup_restored_brings_back_its_rows_and_verifies(scratch: str, tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    _add_events(scratch, 5, "before")
    target = tmp_path / "backups" / "gibon.bak"
    made = runner.invoke(app, ["db", "backup", str(target)])
    assert made.exit_code == 0, made.output
    assert target.stat().st_size > 0
    _add_events(scratch, 3, "after")  # written after the backup: gone once it is restored
    db.dispose_engines(scratch)
    restored = runner.invoke(app, ["db", "restore", str(target)])
    assert restored.exit_code == 0, restored.output
    assert "5건 모두 정상" in restored.output
    assert _actors(scratch) == {"before": 5}
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "복원 시점" in verified.output


def test_restoring_a_file_that_is_not_a_backup_changes_nothing(
    scratch: str, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    _add_events(scratch, 2, "kept")
    junk = tmp_path / "notes.txt"
    junk.write_text("회의록", encoding="utf-8")
    result = runner.invoke(app, ["db", "restore", str(junk)])
    assert result.exit_code == 2
    assert "백업 파일이 아닙니다" in result.output
    assert _actors(scratch) == {"kept": 2}
