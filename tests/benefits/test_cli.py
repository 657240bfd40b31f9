"""``gibon benefits calc`` and ``run`` through the Typer runner."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from gibon.cli import app
from tests.benefits.factories import household, member

runner = CliRunner()


@pytest.fixture
def young_renter(tmp_path: Path) -> Path:
    path = tmp_path / "household.json"
    h = household(
        member(birth_date="1999-01-10", earned_income=1500000),
        deposit=10_000_000,
        monthly_rent=400000,
    )
    path.write_text(json.dumps(h, ensure_ascii=False), encoding="utf-8")
    return path


def test_calc_json_follows_the_issue_contract(young_renter: Path) -> None:
    res = runner.invoke(
        app, ["benefits", "calc", str(young_renter), "--format", "json", "--explain"]
    )
    assert res.exit_code == 0, res.output
    body = json.loads(res.stdout)
    assert body["month"] == "2026-06"
    assert [p["id"] for p in body["programs"]][:3] == [
        "livelihood",
        "medical_aid",
        "housing_benefit",
    ]
    first = body["programs"][0]
    assert set(first) >= {"id", "name_ko", "eligible", "amount", "explanation", "references"}
    assert first["amount"] == 190556 and first["explanation"]
    assert body["total"] == 190556 + 369000


def test_calc_table_shows_every_program_in_korean(young_renter: Path) -> None:
    res = runner.invoke(
        app, ["benefits", "calc", str(young_renter), "--month", "2026-06", "--explain"]
    )
    assert res.exit_code == 0, res.output
    assert "생계급여" in res.stdout and "190,556" in res.stdout and "소득인정액" in res.stdout


def test_calc_reports_the_field_path_of_bad_input_and_exits_2(tmp_path: Path) -> None:
    bad = household(member(earned_income=-5))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    res = runner.invoke(app, ["benefits", "calc", str(path)])
    assert res.exit_code == 2
    assert "members.0.earned_income" in res.stderr


def test_calc_refuses_unknown_fields_and_impossible_dates(tmp_path: Path) -> None:
    for change, where in (
        ({"salary": 1}, "members.0.salary"),
        ({"birth_date": "2026-02-30"}, "members.0.birth_date"),
    ):
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(household(member(**change))), encoding="utf-8")
        res = runner.invoke(app, ["benefits", "calc", str(path)])
        assert res.exit_code == 2 and where in res.stderr, res.stderr


def test_calc_refuses_a_month_with_no_parameters(young_renter: Path) -> None:
    res = runner.invoke(app, ["benefits", "calc", str(young_renter), "--month", "2024-06"])
    assert res.exit_code == 2 and "no value in force" in res.stderr


def test_run_writes_results_and_a_summary_by_program_and_dong(tmp_path: Path) -> None:
    pop = tmp_path / "pop"
    gen = runner.invoke(
        app, ["population", "generate", "--seed", "2", "--out", str(pop), "--scale", "3000"]
    )
    assert gen.exit_code == 0, gen.output
    out = tmp_path / "results.parquet"
    res = runner.invoke(
        app,
        ["benefits", "run", str(pop), "--month", "2026-06", "--out", str(out), "--chunk", "1000"],
    )
    assert res.exit_code == 0, res.output
    df = pl.read_parquet(out)
    households = pl.read_parquet(pop / "households.parquet")
    assert df.height == households.height
    assert set(df["household_id"]) == set(households["household_id"])
    assert (
        "livelihood_amount" in df.columns
        and "동별 요약" in res.stdout
        and "livelihood" in res.stdout
    )


def test_run_refuses_a_missing_directory(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["benefits", "run", str(tmp_path / "nope"), "--out", str(tmp_path / "r.parquet")]
    )
    assert res.exit_code == 2
