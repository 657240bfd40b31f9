"""`gibon accounts` through Typer's runner, on the test databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select
from typer.testing import CliRunner

from gibon import db
from gibon.accounts import service, throttle
from gibon.accounts.models import SignInThrottle, User
from gibon.audit.models import AuditEvent
from gibon.cli import app
from gibon.config import get_settings
from gibon.db import utcnow

runner = CliRunner()


@pytest.fixture
def cli_db(
    engine: Engine, database_url: str, secret_key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The CLI commits, so each test uses its own account names and removes them afterwards."""
    monkeypatch.setenv("GIBON_DATABASE_URL", database_url)
    monkeypatch.setenv("GIBON_SECRET_KEY_FILE", str(secret_key_file))
    get_settings.cache_clear()
    prefix = f"cli-{uuid.uuid4().hex[:8]}"
    yield prefix
    get_settings.cache_clear()
    with db.transaction(engine) as session:
        for user in session.scalars(select(User).where(User.username.like(f"{prefix}%"))):
            throttle.lift(session, throttle.Scope.account, user.username)
            session.delete(user)
        session.execute(delete(SignInThrottle).where(SignInThrottle.key == "never"))


def _temporary(output: str) -> str:
    found = re.search(r"임시 비밀번호: ([a-z0-9-]+)", output)
    assert found, output
    return found.group(1)


def _user(engine: Engine, username: str) -> User:
    with db.transaction(engine) as session:
        return session.scalars(select(User).where(User.username == username)).one()


def test_create_prints_a_temporary_password_that_signs_in_once_changed(
    cli_db: str, engine: Engine
) -> None:
    username = f"{cli_db}-kim"
    result = runner.invoke(
        app,
        [
            "accounts",
            "create",
            username,
            "--name",
            "신림동 김하늘",
            "--role",
            "dong_officer",
            "--dong",
            "신림동",
        ],
    )
    assert result.exit_code == 0, result.output
    temporary = _temporary(result.output)
    created = _user(engine, username)
    assert created.must_change_password and created.dong == "신림동"
    with db.transaction(engine) as session:
        assert service.authenticate(session, username, temporary) is not None
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.resource_id == str(created.id))
        ).all()
    assert "account_created" in actions


def test_create_with_a_bad_dong_exits_2_with_a_korean_line(cli_db: str, engine: Engine) -> None:
    result = runner.invoke(
        app,
        [
            "accounts",
            "create",
            f"{cli_db}-x",
            "--name",
            "김",
            "--role",
            "dong_officer",
            "--dong",
            "강남동",
        ],
    )
    assert result.exit_code == 2
    assert "21개 동" in result.output and "Traceback" not in result.output
    with db.transaction(engine) as session:
        assert service.user_by_username(session, f"{cli_db}-x") is None


def test_disable_enable_reset_unlock_and_list(cli_db: str, engine: Engine) -> None:
    username = f"{cli_db}-park"
    created = runner.invoke(
        app, ["accounts", "create", username, "--name", "방문약사 박", "--role", "pharmacist"]
    )
    assert created.exit_code == 0, created.output

    assert runner.invoke(app, ["accounts", "disable", username]).exit_code == 0
    assert _user(engine, username).is_active is False
    listed = runner.invoke(app, ["accounts", "list"])
    assert listed.exit_code == 0 and username in listed.output and "사용 중지" in listed.output
    assert runner.invoke(app, ["accounts", "enable", username]).exit_code == 0
    assert _user(engine, username).is_active is True

    with db.transaction(engine) as session:
        now = utcnow()
        for _ in range(10):
            service.begin_sign_in(session, username, "10.1.1.1", now, "test")
    with db.transaction(engine) as session:
        assert throttle.locked_until(session, throttle.Scope.account, username, utcnow())
    unlocked = runner.invoke(app, ["accounts", "unlock", username, "--address", "10.1.1.1"])
    assert unlocked.exit_code == 0 and "잠금을 풀었습니다" in unlocked.output
    with db.transaction(engine) as session:
        assert throttle.locked_until(session, throttle.Scope.account, username, utcnow()) is None

    reset = runner.invoke(app, ["accounts", "reset-password", username])
    assert reset.exit_code == 0, reset.output
    user_id = str(_user(engine, username).id)  # its own transaction: writers do not nest
    with db.transaction(engine) as session:
        assert service.authenticate(session, username, _temporary(reset.output)) is not None
        actions = set(
            session.scalars(select(AuditEvent.action).where(AuditEvent.resource_id == user_id))
        )
    assert {"account_disabled", "account_enabled", "account_unlocked", "password_reset"} <= actions


def test_commands_on_an_unknown_account_say_so(cli_db: str) -> None:
    result = runner.invoke(app, ["accounts", "disable", f"{cli_db}-nobody"])
    assert result.exit_code == 2 and "계정이 없습니다" in result.output
    bare = runner.invoke(app, ["accounts", "unlock"])
    assert bare.exit_code == 2 and "--address" in bare.output
