"""``gibon population``: generate the synthetic district (or Korea) into a directory."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from gibon.errors import InvalidInput
from gibon.population import _generate, store
from gibon.population.summary import by_dong

app = typer.Typer(help="합성 인구 (synthetic population): 생성과 검증.", no_args_is_help=True)
console = Console(stderr=True)


def parse_scale(scale: str) -> tuple[str, int | None]:
    """``gwanak`` | ``korea`` | a person count (Gwanak-shaped) -> (profile, persons)."""
    text = scale.strip().lower().replace(",", "").replace("_", "")
    if text in ("gwanak", "korea"):
        return text, None
    if text.isdigit() and int(text) >= 1:
        return "gwanak", int(text)
    raise InvalidInput(
        f"unknown scale {scale!r}", where="--scale", example="--scale gwanak | korea | 10000"
    )


def parse_seed(seed: str) -> int:
    if not seed.strip().isdigit():
        raise InvalidInput(
            f"seed must be a whole number >= 0, got {seed!r}", where="--seed", example="--seed 1"
        )
    return int(seed)


@app.command()
def generate(
    seed: str = typer.Option(..., "--seed", help="정수 시드 (같은 시드 → 같은 인구)"),
    out: Path = typer.Option(..., "--out", help="출력 디렉터리"),
    scale: str = typer.Option("gwanak", "--scale", help="gwanak | korea | 인원 수"),
    persons: int | None = typer.Option(
        None, "--persons", help="표본 인원 (예: --scale korea --persons 100000, 전국 인구로 가중)"
    ),
    chunk: int = typer.Option(
        _generate.DEFAULT_CHUNK, "--chunk", help="한 번에 만들 인원 (메모리 상한)"
    ),
) -> None:
    """persons.parquet, households.parquet, calibration.md 를 DIR 에 씁니다."""
    profile, count = parse_scale(scale)
    if persons is not None:
        if persons < 1_000:
            raise InvalidInput(
                "표본은 1,000명 이상이어야 합니다", where="--persons", example="--persons 100000"
            )
        count = persons
    seed_value = parse_seed(seed)
    if chunk < 1_000:
        raise InvalidInput(
            "chunks must hold at least 1,000 persons", where="--chunk", example="--chunk 500000"
        )
    with Progress(
        TextColumn("[bold]합성 인구"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("persons", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        counts = store.write_dir(
            out, seed_value, profile=profile, persons=count, chunk_persons=chunk, progress=tick
        )
    typer.echo(f"{counts['persons']:,} persons, {counts['households']:,} households -> {out}")


@app.command()
def summary(
    directory: Path = typer.Argument(..., help="gibon population generate 로 만든 디렉터리"),
) -> None:
    """동별 인구·65세 이상·1인가구·독거노인·반지하·장애인 (스트리밍으로 읽어 큰 인구도 가능)."""
    table = by_dong(store.iter_dir(directory))
    out = Table(title=f"합성 인구 동별 요약 — {directory}")
    labels = {
        "dong": "동",
        "persons": "인구",
        "age65plus_pct": "65+ %",
        "one_person_pct": "1인가구 %",
        "elderly_alone_pct": "독거노인 % (65+ 중)",
        "semi_basement_pct": "반지하 %",
        "disabled_pct": "장애인 %",
    }
    for label in labels.values():
        out.add_column(label, justify="left" if label == "동" else "right")
    for row in table.select(list(labels)).iter_rows():
        out.add_row(*[f"{v:,}" if isinstance(v, int) else str(v) for v in row])
    Console().print(out)
