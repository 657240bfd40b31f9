from __future__ import annotations

import json

from typer.testing import CliRunner

from gibon.visits import bench, cli
from gibon.visits.check import check_vrptw
from gibon.visits.engine import vrptw


def test_the_published_mankowska_a1_objective_is_reproduced_from_its_routes() -> None:
    # Mankowska et al. (2014) report 218.21 for instance A1 (10 patients, set 1)
    assert round(bench.mankowska_best("InstanzCPLEX_HCSRP_10_1")["objective"], 1) == 218.2


def test_solomon_c101_reaches_the_optimum_and_the_checker_accepts_it() -> None:
    row = bench.run_solomon("C101", time_limit=1)
    assert row["feasible"] and row["objective"] == 827.3 and row["vehicles"] == 10


def test_the_vrptw_checker_rejects_a_route_that_breaks_a_window() -> None:
    instance = bench.solomon_instance("C101")
    reversed_routes = [list(reversed(r)) for r in vrptw.solve_vrptw(instance, time_limit=0.5)]
    assert any("after due" in v for v in check_vrptw(instance, reversed_routes))


def test_bench_json_lists_each_instance_with_its_gap_and_checker_verdict() -> None:
    args = [
        "bench",
        "mankowska",
        "--instances",
        "InstanzCPLEX_HCSRP_10_2",
        "--time-limit",
        "1",
        "--format",
        "json",
    ]
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    row = out["instances"][0]
    assert {"name", "objective", "best_known", "gap_pct", "seconds", "feasible"} <= set(row)
    assert row["feasible"] is True
    assert out["mean_gap_pct"] == row["gap_pct"]
