from __future__ import annotations

import json
from dataclasses import replace

from typer.testing import CliRunner

from gibon.visits import bench, cli
from gibon.visits.check import check_vrptw
from gibon.visits.engine import vrptw
from gibon.visits.engine.solve import MaxRuntime


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


def test_exchanging_workers_are_repeatable_for_a_seed_and_never_lose_the_best() -> None:
    instance = bench.solomon_instance("R101")
    params = vrptw.VrptwParams(seed=3, workers=2, segments=3, max_iterations=150, exchange=True)
    found = vrptw.solve(instance, MaxRuntime(120.0), params)
    assert vrptw.solve(instance, MaxRuntime(120.0), params) == found  # same seed, same plan
    assert not check_vrptw(instance, found.routes) and found.feasible
    tenths = vrptw.dimacs_tenths(instance)
    assert round(bench.route_distance(instance, found.routes, tenths) * 10) == found.distance
    assert len(found.segment_best) == 3 and list(found.segment_best) == sorted(
        found.segment_best, reverse=True
    )
    assert found.segment_best[-1] == found.distance


def test_two_workers_keep_the_better_of_their_two_segmented_chains() -> None:
    # worker k of a run seeded s follows exactly the chain of a one-worker run seeded s + k
    instance = bench.solomon_instance("RC105")
    params = vrptw.VrptwParams(
        seed=3, workers=2, segments=3, max_iterations=120, fewer_routes=False
    )
    pooled = vrptw.solve(instance, MaxRuntime(120.0), params)
    singles = [
        vrptw.solve(instance, MaxRuntime(120.0), replace(params, seed=s, workers=1)) for s in (3, 4)
    ]
    best = min(singles, key=lambda r: (not r.feasible, r.distance))
    assert pooled.routes == best.routes and pooled.distance == best.distance


def test_the_last_worker_searches_with_one_vehicle_fewer_than_the_other_found_routes() -> None:
    instance = bench.solomon_instance("RC101")
    params = vrptw.VrptwParams(seed=3, workers=2, segments=3, max_iterations=300)
    pooled = vrptw.solve(instance, MaxRuntime(120.0), params)
    alone = vrptw.solve(instance, MaxRuntime(120.0), replace(params, workers=1))
    assert alone.fleets == (None,) and pooled.fleets == (None, len(alone.routes) - 1)
    assert pooled.feasible and not check_vrptw(instance, pooled.routes)
    assert pooled.distance <= alone.distance  # worker 0 follows the one-worker chain


def test_plain_pyvrp_reads_the_solomon_file_and_its_plan_passes_the_checker() -> None:
    row = bench.run_solomon("C101", time_limit=1, plain=True)
    assert row["feasible"] and row["objective"] == 827.3


def test_bench_cli_runs_solomon_on_two_workers() -> None:
    args = ["bench", "solomon", "--instances", "C101", "--time-limit", "3", "--workers", "2"]
    result = CliRunner().invoke(cli.app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)["instances"][0]
    assert row["feasible"] is True and row["objective"] == 827.3


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
