"""``gibon benefits``: every program for one household (calc) or a whole population (run)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from gibon.benefits import labels, service, view
from gibon.benefits.engine import inputs
from gibon.errors import InvalidInput
from gibon.kit import files
from gibon.kit.files import write_atomic

app = typer.Typer(help="복지급여 자격·금액 (entitlements as code).", no_args_is_help=True)
out = Console()
err = Console(stderr=True)
KIND_KO = labels.KIND  # one place for the Korean labels (pages, exports, this CLI)


def read_json(path: Path, encoding: str | None = None) -> Any:
    return files.read_input_json(
        path, encoding=encoding, example='{"dong": "청룡동", "housing": {...}, "members": [...]}'
    )


def check_format(fmt: str) -> str:
    if fmt not in ("table", "json"):
        raise InvalidInput(f"unknown format {fmt!r}", where="--format", example="--format json")
    return fmt


@app.command()
def calc(
    household: Path = typer.Argument(..., help="가구 JSON 파일 (가구 하나 또는 목록)"),
    month: str = typer.Option("2026-06", "--month", help="급여 월 YYYY-MM"),
    explain: bool = typer.Option(False, "--explain", help="단계별 설명과 법적 근거"),
    fmt: str = typer.Option("table", "--format", help="table | json"),
    encoding: str | None = typer.Option(None, "--encoding", help=files.ENCODING_HELP),
) -> None:
    """한 가구의 모든 급여: 대상 여부, 월 금액, 근거."""
    check_format(fmt)
    raw = read_json(household, encoding)
    many = isinstance(raw, list)
    results = service.calculate_many(
        raw if many else [raw], month, explain=explain or fmt == "json"
    )
    if fmt == "json":
        if not explain:
            for r in results:
                for p in r["programs"]:
                    p["explanation"] = []
        text = json.dumps(results if many else results[0], ensure_ascii=False, indent=2)
        typer.echo(text)
        return
    for r in results:
        print_result(r, explain)


def print_result(result: dict[str, Any], explain: bool) -> None:
    shown = view.result(result)
    pending = f", 판단 보류 {shown.pending_count}개" if shown.pending_count else ""
    table = Table(title=f"{result['month']} 급여 (확정 합계 {result['total']:,}원{pending})")
    for col in ("급여", "판정", "월 금액", "종류"):
        table.add_column(col, justify="right" if col.startswith("월") else "left")
    for p in shown.programs:
        table.add_row(p.name, p.verdict, p.amount_text, p.kind)
    out.print(table)
    if explain:
        for p in result["programs"]:
            out.print(f"\n[bold]{p['name_ko']}[/] ({p['id']})")
            for s in p["explanation"]:
                ref = f"  [dim]— {s['reference']}[/]" if s.get("reference") else ""
                value = f"{s['value']:,}" if type(s["value"]) is int else s["value"]
                out.print(f"  · {s['label']}: {value}{ref}", highlight=False)


@app.command()
def run(
    population_dir: Path = typer.Argument(..., help="gibon population generate 로 만든 디렉터리"),
    month: str = typer.Option("2026-06", "--month", help="급여 월 YYYY-MM"),
    out_path: Path = typer.Option(..., "--out", help="결과 parquet 파일"),
    chunk: int = typer.Option(100_000, "--chunk", min=1000, help="한 번에 계산할 가구 수"),
) -> None:
    """합성 인구 전체의 급여를 계산해 parquet 로 쓰고 급여별·동별 요약을 보여줍니다."""
    from gibon import population

    pop = population.load_dir(population_dir)
    households, persons = pop.households, pop.persons
    service.default_system().resolved(inputs.month_start(month))  # a bad month fails first
    frames = []
    with Progress(
        TextColumn("[bold]급여 계산"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("households", total=households.height)
        for start in range(0, households.height, chunk):
            hh = households.slice(start, chunk)
            pp = persons.join(hh.select("household_id"), on="household_id", how="semi")
            frames.append(service.calculate_population(hh, pp, month))
            bar.advance(task, hh.height)
    result = pl.concat(frames)
    write_atomic(out_path, lambda tmp: result.write_parquet(tmp))
    print_summary(result, month, out_path)


def summary(result: pl.DataFrame) -> pl.DataFrame:
    """Recipients, monthly amount and undetermined households per program."""
    kinds = {p.id: p.kind for p in service.default_system().programs}
    rows = []
    for pid in [c[: -len("_amount")] for c in result.columns if c.endswith("_amount")]:
        rows.append(
            {
                "program": pid,
                "kind": kinds.get(pid, "cash"),
                "recipients": int(result[f"{pid}_eligible"].sum()),
                "monthly_cost": int(result[f"{pid}_amount"].sum()),
                "undetermined": int(result[f"{pid}_undetermined"].sum()),
            }
        )
    return pl.DataFrame(rows)


def print_summary(result: pl.DataFrame, month: str, path: Path) -> None:
    table = Table(title=f"{month} 급여별 요약 ({result.height:,} 가구)")
    for col in ("급여", "종류", "수급 가구", "월 금액 (원)", "판단 보류"):
        table.add_column(col, justify="left" if col in ("급여", "종류") else "right")
    for row in summary(result).iter_rows(named=True):
        table.add_row(
            row["program"],
            KIND_KO.get(row["kind"], row["kind"]),
            f"{row['recipients']:,}",
            f"{row['monthly_cost']:,}",
            f"{row['undetermined']:,}",
        )
    out.print(table)
    if "dong" in result.columns:
        by_dong = (
            result.group_by("dong")
            .agg(
                pl.len().alias("households"),
                (pl.col("total") > 0).sum().alias("receiving"),
                pl.col("total").sum().alias("cost"),
            )
            .sort("dong")
        )
        dong = Table(title="동별 요약")
        for col in ("동", "가구", "급여 받는 가구", "현금·바우처 월 합계 (원)"):
            dong.add_column(col, justify="left" if col == "동" else "right")
        for r in by_dong.iter_rows(named=True):
            dong.add_row(r["dong"], f"{r['households']:,}", f"{r['receiving']:,}", f"{r['cost']:,}")
        out.print(dong)
    err.print(f"결과: {path}")
