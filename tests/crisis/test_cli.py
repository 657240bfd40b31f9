"""``gibon crisis`` through the CLI runner on a scratch database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import gibon.cli
from gibon import db
from gibon.config import get_settings
from gibon.crisis import service
from tests import factories

runner = CliRunner()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    tmp = tmp_path_factory.mktemp("crisis-cli")
    url = f"sqlite:///{tmp / 'crisis.db'}"
    db.upgrade(url)
    factories.load_small_population(db.engine_for(url), tmp / "secret.key")
    mp = pytest.MonkeyPatch()
    mp.setenv("GIBON_DATABASE_URL", url)
    mp.setenv("GIBON_SECRET_KEY_FILE", str(tmp / "secret.key"))
    get_settings.cache_clear()
    yield tmp
    mp.undo()
    get_settings.cache_clear()
    db.engine_for(url).dispose()


def _run(*args: str) -> str:
    result = runner.invoke(gibon.cli.app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_synth_then_worklist_then_quality(scratch: Path) -> None:
    end = (service.today().replace(day=1) - timedelta(days=40)).replace(day=1) - timedelta(days=1)
    out = _run("crisis", "synth", "--months", "12", "--seed", "1", "--end", end.isoformat())
    assert "실제 위기 가구(숨김)" in out and "지원 연계" in out
    listed = json.loads(
        _run("crisis", "worklist", "--dong", "신림동", "--format", "json", "--status", "linked")
    )
    assert listed["dong"] == "신림동" and all(
        i["status_label"] == "지원 연계" for i in listed["items"]
    )
    csv_text = _run(
        "crisis", "worklist", "--dong", "신림동", "--format", "csv", "--status", "not_needed"
    )
    assert csv_text.splitlines()[0].startswith("순위,가구주,출생연도,상태,점수")
    html = _run("crisis", "quality", "--format", "html")
    assert "신호별 발굴 품질" in html and "복지 사각지대 발굴 명단" in html
    report = json.loads(_run("crisis", "quality", "--format", "json"))
    assert {r["source"] for r in report["by_source"]} >= {"national_list", "report"}
    what = json.loads(_run("crisis", "whatif", "--threshold", "60", "--format", "json"))
    assert what["proposed"]["threshold"] == 60 and what["synthetic_truth"]
    assert what["proposed"]["households_listed"] <= what["current"]["households_listed"]
    text = _run("crisis", "whatif", "--threshold", "60")
    assert "← 시험" in text and "← 지금" in text and "재현율" in text


def test_import_writes_a_rejects_file_the_officer_can_fix(scratch: Path) -> None:
    _, persons = __import__("gibon").population.generate(seed=7, persons=factories.SMALL_POPULATION)
    heads = persons.filter(pl.col("relation") == "head").head(2)
    (a_rrn, b_rrn) = heads["rrn"].to_list()
    data = f"주민번호,위기유형,기준일자\n{a_rrn},power_cut,2026-10-01\n{b_rrn},파산,2026-10-01\n"
    file = scratch / "list.csv"
    file.write_bytes(data.encode("cp949"))
    mapping = scratch / "map.yaml"
    mapping.write_text(
        "encoding: cp949\ncolumns: {rrn: 주민번호, indicator: 위기유형, observed_on: 기준일자}\n",
        encoding="utf-8",
    )
    out = _run("crisis", "import", str(file), "--mapping", str(mapping))
    assert "1건 접수" in out and "오류 1건" in out
    rejects = scratch / "list.rejects.csv"
    text = rejects.read_bytes().decode("cp949")
    assert "3행 '위기유형' 열: 알 수 없는 위기정보 '파산'" in text
    assert oct(rejects.stat().st_mode & 0o777) == "0o600"
    rejects.write_bytes(text.replace("파산", "financial_arrears").encode("cp949"))
    again = _run("crisis", "import", str(rejects), "--mapping", str(mapping))
    assert "1건 접수" in again and "오류 0건" in again


def test_a_bad_format_is_one_korean_line_and_exit_code_2(scratch: Path) -> None:
    result = runner.invoke(
        gibon.cli.app, ["crisis", "worklist", "--dong", "신림동", "--format", "xml"]
    )
    assert result.exit_code == 2
    assert "형식은 json 또는 csv입니다" in result.output + (result.stderr or "")
