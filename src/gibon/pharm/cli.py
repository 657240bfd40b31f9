"""``gibon pharm``: review one patient's year of dispensings; screen a synthetic population."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gibon.kit.files import write_atomic, write_text_atomic
from gibon.pharm import fhir_export, inputs, report, screen
from gibon.pharm.review import review as run_review

app = typer.Typer(
    help="스마트 방문약료: 1년 조제내역으로 약물안전리포트를 만듭니다 (medication safety review).",
    no_args_is_help=True,
)


class Format(StrEnum):
    json = "json"
    html = "html"
    pdf = "pdf"
    fhir = "fhir"


class Audience(StrEnum):
    pharmacist = "pharmacist"
    resident = "resident"


@app.command("review")
def review_cmd(
    patient: Annotated[
        Path, typer.Argument(help="patient file: .json, .csv or a FHIR R4 Bundle (.json)")
    ],
    fmt: Annotated[
        Format,
        typer.Option(
            "--format", "-f", help="json, html, pdf or fhir (FHIR R4 Bundle, KR Core Patient)"
        ),
    ] = Format.json,
    audience: Annotated[
        Audience, typer.Option(help="pharmacist (findings) or resident (large type, calendar)")
    ] = Audience.pharmacist,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="write here instead of stdout (pdf needs it)")
    ] = None,
) -> None:
    """Review one patient: findings, metrics, priority; as JSON or the 약물안전리포트 (HTML/PDF)."""
    rv = run_review(inputs.load(patient))
    if fmt is Format.pdf:
        target = out or patient.with_suffix(f".{audience.value}.pdf")
        data = report.pdf(rv, audience.value)
        write_atomic(target, lambda p: _write_bytes(p, data))
        typer.echo(str(target))
        return
    if fmt is Format.fhir:
        text = json.dumps(fhir_export.bundle(rv), ensure_ascii=False, indent=2)
    elif fmt is Format.json:
        text = json.dumps(rv.to_dict(), ensure_ascii=False, indent=2)
    else:
        text = report.html(rv, audience.value)
    if out:
        write_text_atomic(out, text)
        typer.echo(str(out))
    else:
        sys.stdout.write(text + "\n")


@app.command("screen")
def screen_cmd(
    persons: Annotated[
        int, typer.Option(min=1, max=2_000_000, help="synthetic population size")
    ] = 20_000,
    seed: Annotated[int, typer.Option(help="population and history seed")] = 1,
    min_age: Annotated[int, typer.Option(min=0, max=120)] = 65,
    min_ingredients: Annotated[
        int, typer.Option(min=0, help="keep people taking at least this many ingredients")
    ] = 0,
    medical_aid: Annotated[
        bool,
        typer.Option("--medical-aid", help="only 의료급여 households (gibon.benefits, 2026 rules)"),
    ] = False,
    review_date: Annotated[str, typer.Option(help="YYYY-MM-DD")] = "2026-03-01",
    top: Annotated[int, typer.Option(min=1, help="rows to print")] = 20,
    out: Annotated[Path | None, typer.Option(help="write the full ranking as CSV")] = None,
    workers: Annotated[
        int,
        typer.Option(min=1, max=64, help="processes reviewing in parallel (same ranking as 1)"),
    ] = 1,
) -> None:
    """Rank synthetic residents by visit priority, from synthetic twelve-month histories."""
    when = inputs.parse_date(review_date, "--review-date")
    ranked = screen.run(
        seed,
        persons,
        min_age,
        when,
        min_ingredients,
        progress=True,
        medical_aid_only=medical_aid,
        workers=workers,
    )
    screen.print_table(ranked[:top])
    if out:
        write_text_atomic(out, screen.to_csv(ranked))
        typer.echo(f"{len(ranked)} rows -> {out}")


def _write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)
