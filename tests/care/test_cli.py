"""``gibon care`` through the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import gibon.cli
from gibon import db
from gibon.config import get_settings
from tests.care import conftest as care_conftest


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'care.db'}"
    db.upgrade(url)
    monkeypatch.setenv("GIBON_DATABASE_URL", url)
    monkeypatch.setenv("GIBON_SECRET_KEY_FILE", str(tmp_path / "secret.key"))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    db.engine_for(url).dispose()


def test_care_demo_refuses_an_empty_district_with_the_command_to_run_first(scratch):
    result = CliRunner().invoke(gibon.cli.app, ["care", "demo"])
    assert result.exit_code == 2
    assert "gibon demo load" in result.output + (result.stderr or "")


def test_care_demo_creates_the_requested_cases(scratch):
    care_conftest._load_stand_in(
        db.engine_for(scratch), Path(get_settings().secret_key_file), per_dong=4
    )
    result = CliRunner().invoke(gibon.cli.app, ["care", "demo", "--cases", "50", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "50건" in result.output


def test_care_deadlines_lists_every_step_with_a_district_deadline_as_the_districts_choice():
    result = CliRunner().invoke(gibon.cli.app, ["care", "deadlines"])
    assert result.exit_code == 0
    for step in (
        "신청 접수",
        "사전 확인 완료",
        "통합판정조사 완료",
        "종합판정 완료",
        "지원계획 수립",
    ):
        assert step in result.output
    assert "구 자체 결정" in result.output and "법령상 기한 아님" in result.output


def test_care_settings_shows_each_setting_with_the_rule_it_comes_from():
    result = CliRunner(env={"COLUMNS": "200"}).invoke(gibon.cli.app, ["care", "settings"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "규칙 제9조제2항" in out and "규칙 제10조제1항" in out and "영 제5조제2항" in out
    assert "구 자체 결정" in out and "국민건강보험공단" in out
