"""``gibon simulate REFORM.yaml --population DIR``: baseline against reform, report and tables."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from gibon.errors import InvalidInput
from gibon.kit import files
from gibon.simulator import charts, reform, report, run, takeup, validation, validation_report
from gibon.simulator.result import Result

app = typer.Typer(help="기본사회 정책 시뮬레이터 (policy simulator).", no_args_is_help=True)
console = Console()
err = Console(stderr=True)
validate_app = typer.Typer(
    help="기준선 검증: 현행 제도를 공식 통계와 비교합니다.", no_args_is_help=True
)


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
    cols = (
        "프로그램",
        "수급 가구 현행→개혁",
        "수급자(명) 현행→개혁",
        "월 비용 현행",
        "월 비용 개혁",
    )
    for col in (*cols, "사각지대 가구"):
        t.add_column(col, justify="left" if col == "프로그램" else "right")
    for p in res.programs.iter_rows(named=True):
        t.add_row(
            p["name_ko"],
            f"{p['base_recipients']:,} → {p['reform_recipients']:,}",
            f"{p['base_recipient_persons']:,} → {p['reform_recipient_persons']:,}",
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


@validate_app.command("baseline")
def validate_baseline(
    persons: int = typer.Option(100_000, "--persons", help="전국 표본 인원 (Korea profile)"),
    seed: int = typer.Option(1, "--seed", help="표본과 수급 추첨의 시드"),
    month: str = typer.Option("2026-06", "--month", help="기준 월 YYYY-MM"),
    population: Path | None = typer.Option(
        None, "--population", help="이미 만든 인구 디렉터리 (없으면 표본을 만듭니다)"
    ),
    out: Path | None = typer.Option(None, "--out", help="보고서 Markdown 파일 (SVG 도표는 옆에)"),
    fmt: str = typer.Option("table", "--format", help="table | json"),
) -> None:
    """전국 표본의 현행 제도 기준선을 공식 통계·행정 통계와 나란히 놓습니다."""
    if persons < 1_000:
        raise InvalidInput(
            "표본은 1,000명 이상이어야 합니다", where="--persons", example="--persons 100000"
        )
    if fmt not in ("table", "json"):
        raise InvalidInput(
            "형식은 table 또는 json 입니다", where="--format", example="--format json"
        )
    if population is not None:
        households, people = _korea_dir(population)
    else:
        households, people = validation.korea_sample(persons, seed)
    base = validation.baseline(households, people, month, seed)
    rows = validation.rows(base, seed=seed)
    if fmt == "json":
        import json

        typer.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
    else:
        _validation_table(rows)
    if out is not None:
        header = f"# 기준선 검증 — {base.persons:,}명 표본, 시드 {seed}, {month} 제도"
        deciles = validation.decile_shares(base)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(validation_report.markdown(rows, deciles, header), encoding="utf-8")
        out.with_suffix(".svg").write_text(validation_report.chart_svg(rows), encoding="utf-8")
        console.print(f"보고서: {out} · 도표 {out.with_suffix('.svg')}")


def _validation_table(rows: list[validation.Row]) -> None:
    t = Table(title="현행 제도 기준선 ↔ 공식 통계")
    for col in ("지표", "시뮬레이션", "공식", "차이", "허용", "판정"):
        t.add_column(col, justify="left" if col == "지표" else "right")
    for r in rows:
        t.add_row(
            r.label,
            validation_report.figure(r.simulated, r.unit),
            validation_report.figure(r.official, r.unit)
            + (" (추정)" if r.status == "estimate" else ""),
            validation_report.gap(r),
            validation_report.tolerance(r),
            r.verdict,
        )
    console.print(t)


def _korea_dir(directory: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A population directory of the Korea profile (a Gwanak one cannot stand for Korea)."""
    import pyarrow.parquet as pq

    from gibon.population import store

    pop = store.load_dir(directory)
    meta = pq.read_schema(directory / "households.parquet").metadata or {}
    if meta.get(b"gibon.profile") != b"korea":
        raise InvalidInput(
            "전국 통계와는 전국 프로필 인구만 비교할 수 있습니다",
            where=str(directory),
            example=f"gibon population generate --seed 1 --scale korea --persons 100000 --out {directory}",
        )
    return pop.households, pop.persons
