from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from gibon import db
from gibon.audit import service as audit
from gibon.audit.models import AuditEvent
from gibon.cli import app
from gibon.config import get_settings

runner = CliRunner()


@pytest.fixture
def local_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("GIBON_DATABASE_URL", url)
    monkeypatch.setenv("GIBON_SECRET_KEY_FILE", str(tmp_path / "secret.key"))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    db.dispose_engines(url)


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("db", "demo", "serve", "population", "audit"):
        assert command in result.output


def test_an_unknown_option_exits_2_without_a_traceback() -> None:
    result = runner.invoke(app, ["db", "upgrade", "--colour"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "--colour" in result.output


def test_db_upgrade_creates_the_schema(local_db: str) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert db.is_migrated(db.engine_for(local_db))


def test_demo_load_on_an_unmigrated_database_says_what_to_run(local_db: str) -> None:
    result = runner.invoke(app, ["demo", "load", "--persons", "500"])
    assert result.exit_code == 2
    assert "gibon db upgrade" in result.output


def test_demo_load_loads_residents_and_accounts_then_skips_when_asked(local_db: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    first = runner.invoke(app, ["demo", "load", "--persons", "500"])
    assert first.exit_code == 0, first.output
    assert "500" in first.output
    again = runner.invoke(app, ["demo", "load", "--if-empty", "--persons", "500"])
    assert again.exit_code == 0
    assert "이미" in again.output
    reload = runner.invoke(app, ["demo", "load", "--persons", "600", "--seed", "2"])
    assert reload.exit_code == 0, reload.output
    assert "600" in reload.output


def test_audit_verify_names_the_first_tampered_event(local_db: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    with db.transaction(db.engine_for(local_db)) as session:
        events = [
            audit.record(session, actor="a", role="admin", action="read", resource="case")
            for _ in range(3)
        ]
        target = events[1].id
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    with db.transaction(db.engine_for(local_db)) as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == target).values(purpose="x"))
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 2
    assert f"audit_events.id={target}" in result.output
