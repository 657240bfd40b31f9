"""``gibon simulate REFORM.yaml --population DIR``: baseline against reform, report and tables."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from gibon.errors import InvalidInput
from gibon.kit import files
from gibon.simulator import charts, reform, report, run, takeup
from gibon.simulator.result import Result

app = typer.Typer(help="기본사회 정책 시뮬레이터 (policy simulator).", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def simulate(
    reform_file: Path = typer.Argument(
        ..., help="개혁안 YAML (예: gwanak_youth_basic_income.yaml)"
    ),
    population: Path = typer.Option(..., "--population", help="합성 인구 디렉터리"),
    month: str = typer.Option("2026-06", "--month", help="기준 월 YYYY-MM"),
    out: Path = typer.Option(Path("var/simulation"), "--out", help="보고서·표를 쓸 디렉터리"),
    workers: int | None = typer.Option(None, "--workers", help="Dask 로컬 클러스터 워커 수"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="기존 Dask 스케줄러 주소"),
    take_up: Path | None = typer.Option(None, "--take-up", help="수급률 가정 YAML (덮어쓰기)"),
    seed: int = typer.Option(1, "--seed", help="사각지대 추첨 시드"),
    chunk: int = typer.Option(run.CHUNK_HOUSEHOLDS, "--chunk", help="한 번에 계산할 가구 수"),
    encoding: str | None = typer.Option(None, "--encoding", help=files.ENCODING_HELP),
) -> None:
    """현행 제도와 개혁안을 비교합니다: 비용, 수급, 빈곤·불평등, 사각지대."""
    if workers is not None and scheduler is not None:
        raise InvalidInput(
            "give --workers or --scheduler, not both", where="--scheduler", example="--workers 2"
        )
    if chunk < 1:
        raise InvalidInput("--chunk must be at least 1", where="--chunk", example="--chunk 200000")
    spec = reform.load(_example_or_path(reform_file), encoding)
    rates = takeup.load(take_up)
    with _progress() as bar:
        task = bar.add_task("시뮬레이션", total=None)
        res = run.simulate(
            spec,
            population=population,
            month=month,
            take_up=rates,
            seed=seed,
            chunk_households=chunk,
            workers=workers,
            scheduler=scheduler,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    files = report.write(res, out)
    _summary(res)
    console.print(f"보고서: {out / 'report.html'} · 표 {len(files) - 2}개 (Parquet, CSV)")


def _example_or_path(path: Path) -> Path:
    """A bundled example may be named by its stem (``gwanak_youth_basic_income``)."""
    if path.exists():
        return path
    examples = reform.examples()
    if str(path) in examples:
        return examples[str(path)]
    raise InvalidInput(
        "reform file not found",
        where=str(path),
        example=f"one of the examples: {', '.join(examples)}",
    )


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("가구"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _summary(res: Result) -> None:
    for n in res.notices:
        console.print(f"[yellow]알림[/] {n}")
    t = Table(title=f"{res.meta['reform']} · {res.meta['month']} · {res.meta['households']:,}가구")
    for col in ("프로그램", "수급 가구 현행→개혁", "월 비용 현행", "월 비용 개혁", "사각지대 가구"):
        t.add_column(col, justify="left" if col == "프로그램" else "right")
    for p in res.programs.iter_rows(named=True):
        t.add_row(
            p["name_ko"],
            f"{p['base_recipients']:,} → {p['reform_recipients']:,}",
            charts.won(p["base_cost"]),
            charts.won(p["reform_cost"]),
            f"{p['reform_missed']:,}",
        )
    console.print(t)
    totals = res.totals()
    b, r = res.distribution["baseline"], res.distribution["reform"]
    console.print(
        f"이득 {totals['gainers']:,}가구 · 손실 {totals['losers']:,}가구 · 추가 비용 월 "
        f"{charts.won(int(res.programs['change_cost'].sum()))}원 (현금 "
        f"{charts.won(totals['cash_reform'] - totals['cash_base'])}원)\n"
        f"빈곤율 {b.poverty_rate:.2%} → {r.poverty_rate:.2%} · 지니 {b.gini:.4f} → {r.gini:.4f}"
    )


app.command("run")(simulate)
