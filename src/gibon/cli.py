"""The ``gibon`` command: a thin adapter over the same services the web app uses."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from gibon.errors import GibonError

err_console = Console(stderr=True)


class _GibonGroup(TyperGroup):
    """Turns every expected failure into one line on stderr and exit code 2, without a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except GibonError as exc:
            err_console.print(
                f"[bold red]오류[/] {exc.one_line()}", highlight=False, soft_wrap=True
            )
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_GibonGroup,
    help="gibon (기본): 기본사회를 위한 구청 소프트웨어 — software for a district's basic society.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register() -> None:
    from gibon import server_cli

    app.add_typer(server_cli.db_app, name="db")
    app.add_typer(server_cli.demo_app, name="demo")
    app.add_typer(server_cli.audit_app, name="audit")
    app.command("serve")(server_cli.serve)
    # domain commands: one import and one add_typer per domain
    from gibon.population import cli as population_cli

    app.add_typer(population_cli.app, name="population")
    from gibon.care import cli as care_cli

    app.add_typer(care_cli.app, name="care")
    from gibon.visits import cli as visits_cli

    app.add_typer(visits_cli.app, name="visits")
    from gibon.pharm import cli as pharm_cli

    app.add_typer(pharm_cli.app, name="pharm")
    from gibon.benefits import cli as benefits_cli

    app.add_typer(benefits_cli.app, name="benefits")
    from gibon.simulator import cli as simulator_cli

    app.command("simulate")(simulator_cli.simulate)
    app.add_typer(simulator_cli.validate_app, name="validate")
    from gibon.accounts import cli as accounts_cli

    app.add_typer(accounts_cli.app, name="accounts")
    from gibon.crisis import cli as crisis_cli

    app.add_typer(crisis_cli.app, name="crisis")


_register()


def main() -> None:
    app()
