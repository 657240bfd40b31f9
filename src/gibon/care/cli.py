"""``gibon care``: demo cases and the per-step deadlines, over the same code the web app uses."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from gibon import db
from gibon.care import deadlines, demo, rules, settings
from gibon.care.cases.transitions import STATUS_LABELS
from gibon.config import get_settings
from gibon.errors import InvalidInput
from gibon.kit.crypto import Vault, load_or_create_key
from gibon.residents import repository as residents

app = typer.Typer(help="통합돌봄 사례관리 (integrated care case management)", no_args_is_help=True)
console = Console()


@app.command("demo")
def load_demo(
    seed: int = typer.Option(1, min=0, help="random seed"),
    cases: int = typer.Option(2000, min=1, max=200_000, help="cases to create"),
) -> None:
    """Replace care data with the demo provider catalogue and cases over every step."""
    settings = get_settings()
    engine = db.engine_for(settings.database_url)
    vault = Vault(load_or_create_key(settings.secret_key_file))
    with db.transaction(engine) as session:
        if residents.count_persons(session) == 0:
            raise InvalidInput(
                "no residents in the database", where="persons", example="gibon demo load"
            )
        made = demo.load(session, vault, rng_seed=seed, cases=cases)
    console.print(f"통합돌봄 데모 사례 {made:,}건을 만들었습니다 (demo cases created).")


@app.command("deadlines")
def show_deadlines() -> None:
    """Show the district's working days per step (its own choice, not law)."""
    table = Table(title="단계별 처리 기한 (법령상 기한 아님)")
    table.add_column("단계")
    table.add_column("일", justify="right")
    table.add_column("근거")
    source = rules.SOURCE_LABELS[deadlines.STEP_DAYS_BASIS.source]
    for status, days in deadlines.configured().items():
        table.add_row(STATUS_LABELS[status], str(days), source)
    console.print(table)


@app.command("settings")
def show_settings() -> None:
    """Show every care setting with the rule it comes from (법령, 사업안내 or 구 자체 결정)."""
    table = Table(title="통합돌봄 설정과 그 근거")
    for column in ("설정", "값", "근거", "설명"):
        table.add_column(column)
    for item in settings.describe(settings.current()):
        table.add_row(item.name, item.value, item.basis.label, item.note)
    district = rules.SOURCE_LABELS[deadlines.STEP_DAYS_BASIS.source]
    for status, days in deadlines.configured().items():
        table.add_row(
            f"처리 기한: {STATUS_LABELS[status]}", f"{days}일", district, "법령상 기한 아님"
        )
    console.print(table)
