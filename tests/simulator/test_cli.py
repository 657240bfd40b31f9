"""``gibon simulate`` through the CLI runner: files written, errors in one line with exit 2."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from gibon.cli import app
from gibon.simulator import charts

runner = CliRunner()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag + "".join(f" {k}={v}" for k, v in attrs if k == "class"))


def test_simulate_writes_the_report_and_every_table(population_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = runner.invoke(
        app,
        [
            "simulate",
            "care_voucher_65_alone",
            "--population",
            str(population_dir),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "홀몸 어르신 돌봄바우처" in result.output
    for name in ("programs", "groups", "breakdown", "deciles", "distribution"):
        assert pl.read_parquet(out / f"{name}.parquet").equals(
            pl.read_csv(out / f"{name}.csv", schema=pl.read_parquet(out / f"{name}.parquet").schema)
        )
    html = (out / "report.html").read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(html)
    assert parser.tags.count("svg class=dong-map") == 1
    assert parser.tags.count("svg class=chart") == 2
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["meta"]["reform"] == "65세 이상 홀몸 어르신 돌봄바우처"


def test_a_voucher_costs_money_but_adds_nothing_to_disposable_income(
    population_dir: Path,
    tmp_path: Path,
) -> None:
    out = tmp_path / "voucher"
    runner.invoke(
        app,
        [
            "simulate",
            "care_voucher_65_alone",
            "--population",
            str(population_dir),
            "--out",
            str(out),
        ],
    )
    programs = pl.read_parquet(out / "programs.parquet")
    voucher = programs.filter(pl.col("program") == "gwanak_care_voucher_65_alone").row(
        0, named=True
    )
    assert voucher["reform_cost"] > 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["gain"] == 0


def test_a_misspelt_parameter_fails_in_one_line_with_the_closest_name(
    population_dir: Path,
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: 오타\noverrides:\n  nbls.selection_rate.livelyhood: {2026-07-01: 0.35}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        ["simulate", str(bad), "--population", str(population_dir), "--out", str(tmp_path / "o")],
    )
    assert result.exit_code == 2
    assert "nbls.selection_rate.livelihood" in result.output
    assert not (tmp_path / "o").exists()


def test_workers_and_scheduler_together_are_refused(population_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "simulate",
            "gwanak_youth_basic_income",
            "--population",
            str(population_dir),
            "--workers",
            "2",
            "--scheduler",
            "tcp://127.0.0.1:1",
        ],
    )
    assert result.exit_code == 2


def test_a_missing_population_directory_is_one_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "simulate",
            "gwanak_youth_basic_income",
            "--population",
            str(tmp_path / "nope"),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2
    assert "households.parquet" in result.output


def test_the_report_counts_a_vouchers_cost_in_the_headline_figure(
    population_dir: Path,
    tmp_path: Path,
) -> None:
    out = tmp_path / "headline"
    result = runner.invoke(
        app,
        [
            "simulate",
            "care_voucher_65_alone",
            "--population",
            str(population_dir),
            "--out",
            str(out),
        ],
    )
    programs = pl.read_parquet(out / "programs.parquet")
    extra = int(programs["change_cost"].sum())
    assert extra > 0
    assert f"추가 비용 월 {charts.won(extra)}원" in result.output
