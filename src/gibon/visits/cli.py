"""``gibon visits``: plan a day of home visits, run the routing benchmarks, make a demo day."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from gibon.errors import InvalidInput
from gibon.kit import files
from gibon.kit.files import write_text_atomic

app = typer.Typer(
    help="의료드림 방문 일정: 다직종 방문진료 팀의 하루 일정을 짭니다.", no_args_is_help=True
)
console = Console()
MAX_REQUESTS_BYTES = 8 * files.MB  # a day's requests are kilobytes; this refuses a wrong file


def _read_json(path: Path, encoding: str | None = None) -> Any:
    return files.read_input_json(
        path, encoding=encoding, max_bytes=MAX_REQUESTS_BYTES, example='{"date": ...}'
    )


def _emit(payload: Any, out: Path | None) -> None:
    text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomic(out, text)


@app.command("plan")
def plan_cmd(
    requests: Path = typer.Argument(..., help="REQUESTS.json: date, professionals, visits"),
    time_limit: float = typer.Option(10.0, "--time-limit", help="seconds for the whole plan"),
    seed: int = typer.Option(1, "--seed"),
    out: Path | None = typer.Option(
        None, "--out", help="write schedule.json here instead of stdout"
    ),
    encoding: str | None = typer.Option(None, "--encoding", help=files.ENCODING_HELP),
) -> None:
    """Plan one day; unschedulable visits are listed with a reason, never dropped silently."""
    from gibon.visits import plan

    with console.status("일정 계산 중…"):
        outcome = plan.plan_request(
            _read_json(requests, encoding), time_limit=time_limit, seed=seed
        )
    payload = outcome.schedule.to_json()
    payload["warnings"] = list(outcome.warnings)
    payload["checker"] = {
        "feasible": outcome.verdict.ok,
        "violations": list(outcome.verdict.violations),
    }
    _emit(payload, out)
    if out is not None:
        k = outcome.schedule.kpis
        console.print(
            f"{out}: {k['visits_served']}/{k['visits_requested']} 방문 배정, "
            f"미배정 {k['visits_unscheduled']}, 이동 {k['travel_minutes']}분, "
            f"검증 {'통과' if outcome.verdict.ok else '실패'}"
        )


@app.command("demo")
def demo_cmd(
    out: Path = typer.Argument(..., help="write a REQUESTS.json for a realistic Gwanak day here"),
    visits: int = typer.Option(220, "--visits"),
    seed: int = typer.Option(1, "--seed"),
) -> None:
    """Make a demo day: visits at homes across the 21 dongs, 32 professionals."""
    from gibon.visits import demo

    _emit(demo.day(seed, visits), out)
    console.print(f"{out}: 방문 {visits}건")


@app.command("bench")
def bench_cmd(
    family: str = typer.Argument(..., help="solomon | mankowska"),
    instances: str | None = typer.Option(None, "--instances", help="comma-separated names"),
    time_limit: float = typer.Option(10.0, "--time-limit", help="seconds per instance"),
    fmt: str = typer.Option("table", "--format", help="table | json"),
    seed: int = typer.Option(1, "--seed"),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="solomon: processes searching at once, exchanging the best plan between segments",
    ),
) -> None:
    """Run the Solomon or Mankowska benchmark; every solution goes through the checker."""
    from gibon.visits import bench

    names_of = {"solomon": bench.solomon_names, "mankowska": bench.mankowska_names}.get(family)
    if names_of is None:
        raise InvalidInput(f"unknown benchmark '{family}'", where="FAMILY", example="solomon")
    if fmt not in ("table", "json"):
        raise InvalidInput(f"unknown format '{fmt}'", where="--format", example="json")
    if workers > 1 and family != "solomon":
        raise InvalidInput(
            "--workers applies to solomon only", where="--workers", example="--workers 2"
        )
    names = [n.strip() for n in instances.split(",")] if instances else names_of()
    rows = []
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(family, total=len(names))
        for name in names:
            rows.append(
                bench.run_solomon(name, time_limit, seed, workers)
                if family == "solomon"
                else bench.run_mankowska(name, time_limit, seed)
            )
            progress.advance(task)
    out = bench.summary(rows)
    out["objective"] = bench.OBJECTIVES[family]
    if fmt == "json":
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _table(out)


def _table(out: dict[str, Any]) -> None:
    table = Table("instance", "objective", "best known", "gap %", "s", "checker")
    for r in out["instances"]:
        table.add_row(
            r["name"],
            f"{r['objective']:.2f}",
            f"{r['best_known']:.2f}",
            f"{r['gap_pct']:.2f}",
            f"{r['seconds']:.1f}",
            "ok" if r["feasible"] else "INFEASIBLE",
        )
    console.print(table)
    console.print(f"mean gap {out['mean_gap_pct']} % — objective: {out['objective']}")


@app.command("week")
def week_cmd(
    requests: Path = typer.Argument(
        ..., help="REQUESTS.json with week_start; visits with days or per_week"
    ),
    time_limit: float = typer.Option(30.0, "--time-limit", help="seconds for the whole week"),
    seed: int = typer.Option(1, "--seed"),
    out: Path | None = typer.Option(None, "--out"),
) -> None:
    """Plan a week of recurring visits; continuity carries over from day to day."""
    from gibon.visits import weekly

    with console.status("주간 일정 계산 중…"):
        week = weekly.plan_week(_read_json(requests), time_limit=time_limit, seed=seed)
    _emit(week.to_json(), out)


@app.command("replan")
def replan_cmd(
    requests: Path = typer.Argument(..., help="the day's REQUESTS.json"),
    schedule: Path = typer.Argument(..., help="the schedule.json being carried out"),
    now: str = typer.Option(..., "--now", help="HH:MM; visits started by then stay fixed"),
    cancel: str = typer.Option("", "--cancel", help="comma-separated visit ids cancelled"),
    add: Path | None = typer.Option(None, "--add", help="JSON list of urgent visits to add"),
    time_limit: float = typer.Option(10.0, "--time-limit"),
    out: Path | None = typer.Option(None, "--out"),
) -> None:
    """Same-day re-plan after a cancellation or an urgent visit; started visits stay fixed."""
    from gibon.visits import replan

    extra = _read_json(add) if add else []
    outcome = replan.replan(
        _read_json(requests),
        _read_json(schedule),
        now,
        cancel={c for c in cancel.split(",") if c},
        add=extra,
        time_limit=time_limit,
    )
    payload = outcome.schedule.to_json()
    payload["warnings"] = list(outcome.warnings)
    payload["checker"] = {
        "feasible": outcome.verdict.ok,
        "violations": list(outcome.verdict.violations),
    }
    _emit(payload, out)
