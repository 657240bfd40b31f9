"""Signed checkpoints of the chain's head: cutting the newest rows is detected."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from gibon import db
from gibon.audit import checkpoint
from gibon.audit import service as audit
from gibon.audit.models import AuditEvent
from gibon.cli import app
from gibon.config import Settings, get_settings

runner = CliRunner()


def _events(session: Session, n: int, actor: str = "kim") -> list[AuditEvent]:
    return [
        audit.record(session, actor=actor, role="dong_officer", action="read", resource="case")
        for _ in range(n)
    ]


@pytest.fixture
def tail_settings(settings: Settings, tmp_path: Path) -> Settings:
    copy = tmp_path / "elsewhere" / "checkpoints.log"
    return settings.model_copy(update={"audit_checkpoint_copy": copy})


def test_an_untouched_tail_verifies_against_its_checkpoint(
    session: Session, tail_settings: Settings
) -> None:
    _events(session, 3)
    point = checkpoint.write(session, tail_settings)
    assert point is not None
    report = checkpoint.verify_tail(session, tail_settings)
    assert report.ok
    assert report.checkpoint == point


def test_deleting_the_newest_rows_is_detected_and_said_in_korean(
    session: Session, tail_settings: Settings
) -> None:
    events = _events(session, 4)
    checkpoint.write(session, tail_settings)
    session.execute(delete(AuditEvent).where(AuditEvent.id >= events[2].id))
    assert audit.verify(session).ok  # the shorter chain is still a valid chain
    report = checkpoint.verify_tail(session, tail_settings)
    assert not report.ok
    assert "끝부분이 삭제되었습니다" in (report.problem or "")
    assert "2건이 사라졌습니다" in (report.problem or "")


def test_cutting_the_tail_and_writing_new_rows_in_its_place_is_detected(
    session: Session, tail_settings: Settings
) -> None:
    events = _events(session, 3)
    checkpoint.write(session, tail_settings)
    session.execute(delete(AuditEvent).where(AuditEvent.id >= events[1].id))
    _events(session, 3, actor="forger")
    report = checkpoint.verify_tail(session, tail_settings)
    assert not report.ok


def test_the_second_copy_alone_still_protects_the_tail(
    session: Session, tail_settings: Settings
) -> None:
    events = _events(session, 2)
    checkpoint.write(session, tail_settings)
    checkpoint.checkpoint_files(tail_settings)[0].unlink()  # the first file is lost
    session.execute(delete(AuditEvent).where(AuditEvent.id == events[1].id))
    assert not checkpoint.verify_tail(session, tail_settings).ok


def test_a_checkpoint_line_changed_without_the_key_is_reported_as_forged(
    session: Session, tail_settings: Settings
) -> None:
    _events(session, 2)
    checkpoint.write(session, tail_settings)
    for path in checkpoint.checkpoint_files(tail_settings):
        line = json.loads(path.read_text().splitlines()[-1])
        line["payload"]["id"] -= 1
        path.write_text(path.read_text() + json.dumps(line) + "\n")
    report = checkpoint.verify_tail(session, tail_settings)
    # at least the two lines changed here (a server of another test may sign into the same file)
    assert report.forged_lines >= 2


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("GIBON_DATABASE_URL", url)
    monkeypatch.setenv("GIBON_SECRET_KEY_FILE", str(tmp_path / "keys" / "secret.key"))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    db.dispose_engines(url)


def test_audit_verify_on_an_unmigrated_database_is_one_korean_line(cli_db: str) -> None:
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 2
    assert "마이그레이션 전" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_cli_signs_a_checkpoint_and_verify_then_catches_a_cut_tail(cli_db: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    with db.transaction(db.engine_for(cli_db)) as session:
        newest = _events(session, 5)[-1].id
    signed = runner.invoke(app, ["audit", "checkpoint"])
    assert signed.exit_code == 0, signed.output
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "삭제된 기록이 없습니다" in ok.output
    with db.transaction(db.engine_for(cli_db)) as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id >= newest - 1))
    cut = runner.invoke(app, ["audit", "verify"])
    assert cut.exit_code == 2
    assert "끝부분이 삭제되었습니다" in cut.output
    assert "Traceback" not in cut.output
