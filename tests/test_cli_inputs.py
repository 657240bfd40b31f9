"""Input files from Korean Windows tools (CP949/EUC-KR) and oversized files, for the three
commands that read them: ``benefits calc``, ``visits plan`` and ``simulate``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gibon.cli import app
from gibon.simulator import reform

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _cp949_copy(source: Path, target: Path) -> Path:
    # CP949 has no en or em dash; a Windows editor would have saved hyphens
    text = source.read_text(encoding="utf-8").replace("\u2013", "-").replace("\u2014", "-")
    target.write_bytes(text.encode("cp949"))
    return target


def test_benefits_calc_reads_a_cp949_household_file(tmp_path: Path) -> None:
    household = _cp949_copy(ROOT / "examples" / "household.json", tmp_path / "h.json")
    result = runner.invoke(app, ["benefits", "calc", str(household), "--format", "json"])
    assert result.exit_code == 0, result.output
    utf8 = ["benefits", "calc", str(ROOT / "examples" / "household.json"), "--format", "json"]
    assert result.output == runner.invoke(app, utf8).output


def test_benefits_calc_reads_a_declared_euc_kr_file(tmp_path: Path) -> None:
    household = _cp949_copy(ROOT / "examples" / "household.json", tmp_path / "h.json")
    args = ["benefits", "calc", str(household), "--encoding", "euc-kr", "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output


def test_a_wrong_declared_encoding_is_one_line_naming_the_option(tmp_path: Path) -> None:
    household = _cp949_copy(ROOT / "examples" / "household.json", tmp_path / "h.json")
    result = runner.invoke(app, ["benefits", "calc", str(household), "--encoding", "utf-8"])
    assert result.exit_code == 2
    assert "--encoding" in result.output
    assert "Traceback" not in result.output


def test_visits_plan_reads_a_cp949_request_file(tmp_path: Path) -> None:
    day = tmp_path / "day.json"
    assert runner.invoke(app, ["visits", "demo", str(day)]).exit_code == 0
    _cp949_copy(day, day)
    out = tmp_path / "schedule.json"
    args = ["visits", "plan", str(day), "--time-limit", "1", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_simulate_reads_a_cp949_reform_file(tmp_path: Path) -> None:
    source = reform.examples()["gwanak_youth_basic_income"]
    reform_file = _cp949_copy(source, tmp_path / "reform.yaml")
    assert reform.load(reform_file).name == reform.load(source).name
    # through the command: the reform is read, and the next complaint is the missing population
    args = ["simulate", str(reform_file), "--population", str(tmp_path / "none")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "households.parquet" in result.output


def test_simulate_refuses_a_16_mb_reform_at_once_in_one_line(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("w", encoding="utf-8") as fh:
        fh.write("name: 큰 개혁\nprograms:\n")
        line = "  - {id: x, name: 급여, amount: 100000}\n"
        fh.write(line * (16 * 2**20 // len(line.encode())))
    result = runner.invoke(app, ["simulate", str(huge), "--population", str(tmp_path)])
    assert result.exit_code == 2
    assert "너무 큽니다" in result.output
    assert "Traceback" not in result.output
