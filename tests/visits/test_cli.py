from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from gibon.errors import InvalidInput
from gibon.visits import cli
from tests.visits import factories as f


def test_plan_writes_the_schedule_json_in_the_documented_shape(tmp_path: Path) -> None:
    requests = tmp_path / "requests.json"
    data = f.request(
        [f.professional("n1")], [f.visit("a"), f.visit("b", 1, needs=[("dentist", 20)])]
    )
    requests.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "schedule.json"
    result = CliRunner().invoke(
        cli.app, ["plan", str(requests), "--time-limit", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    schedule = json.loads(out.read_text(encoding="utf-8"))
    stop = schedule["routes"][0]["stops"][0]
    assert {"visit", "profession", "arrive", "start", "end", "travel_minutes"} <= set(stop)
    assert stop["visit"] == "a" and len(stop["start"]) == 5
    assert schedule["unscheduled"][0]["visit"] == "b"
    assert schedule["checker"]["feasible"] is True
    assert {
        "travel_minutes",
        "idle_minutes",
        "overtime_minutes",
        "continuity_pct",
        "served_by_priority",
    } <= set(schedule["kpis"])


def test_plan_on_a_broken_file_fails_naming_the_line(tmp_path: Path) -> None:
    requests = tmp_path / "requests.json"
    requests.write_text('{"date": "2026-06-01",\n "visits": [}', encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["plan", str(requests)])
    assert isinstance(result.exception, InvalidInput)
    assert result.exception.where == f"{requests}:2"


def test_demo_then_week_through_the_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    requests = tmp_path / "day.json"
    assert (
        runner.invoke(cli.app, ["demo", str(requests), "--visits", "12", "--seed", "4"]).exit_code
        == 0
    )
    day = json.loads(requests.read_text(encoding="utf-8"))
    assert len(day["visits"]) == 12 and day["source"] == "population"
    week = {
        "week_start": "2026-06-01",
        "professionals": day["professionals"][:6],
        "visits": [dict(v, per_week=2) for v in day["visits"][:4] if len(v["needs"]) == 1],
    }
    (tmp_path / "week.json").write_text(json.dumps(week), encoding="utf-8")
    out = tmp_path / "week_plan.json"
    result = runner.invoke(
        cli.app, ["week", str(tmp_path / "week.json"), "--time-limit", "5", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert [d["date"] for d in plan["days"]] == [
        "2026-06-01",
        "2026-06-02",
        "2026-06-03",
        "2026-06-04",
        "2026-06-05",
    ]
    assert plan["kpis"]["visits_requested"] == 2 * len(week["visits"])


def test_the_gibon_command_turns_a_bad_request_into_exit_2_naming_the_professional(
    tmp_path: Path,
) -> None:
    import gibon.cli

    requests = tmp_path / "requests.json"
    data = f.request([f.professional("x9", profession="wizard")], [f.visit("a")])
    requests.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(gibon.cli.app, ["visits", "plan", str(requests)])
    assert result.exit_code == 2
    assert "x9" in result.output and "wizard" in result.output
