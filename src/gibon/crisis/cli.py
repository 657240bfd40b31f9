"""``gibon crisis``: the 위기가구 발굴 loop from the command line, over the same services as the web."""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon import db
from gibon.accounts.models import Role, User
from gibon.config import get_settings
from gibon.crisis import csvimport, intake, pages_render, service, synthload
from gibon.errors import InvalidInput, NotFound
from gibon.kit.crypto import Vault, load_or_create_key

app = typer.Typer(help="위기가구 발굴 (crisis case-finding)", no_args_is_help=True)
console = Console()
AS_HELP = "act as this gibon account (default: the operator, with the admin's scope)"


def _user(session: Session, username: str | None) -> User:
    if not username:
        return User(username=f"cli:{getpass.getuser()}", display_name="명령줄 운영자",
                    role=Role.admin.value)  # fmt: skip
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"계정 '{username}'이 없습니다", where="--as", example="dong-sillim")
    return user


def _engine() -> Any:
    return db.engine_for(get_settings().database_url)


@app.command("import")
def import_list(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="발굴 명단 CSV"),
    mapping: Path = typer.Option(
        ..., "--mapping", exists=True, dir_okay=False, help="열 매핑 YAML"
    ),
    rejects: Path | None = typer.Option(None, help="오류 행 파일 (기본: FILE.rejects.csv)"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """Import a bi-monthly 발굴 list; bad rows go to a rejects file you can fix and import again."""
    spec = csvimport.parse_mapping(mapping.read_text(encoding="utf-8"), str(mapping))
    settings = get_settings()
    vault = Vault(load_or_create_key(settings.secret_key_file))
    with db.transaction(_engine()) as session:
        result = intake.import_list(
            session, _user(session, as_user), vault, file.read_bytes(), spec, file.name
        )
    console.print(
        f"{result.rows:,}행 중 {result.accepted:,}건 접수, 이미 받은 신호 {result.duplicates:,}건, "
        f"오류 {result.rejected:,}건 ({result.encoding}). 새 발굴 항목 {result.items_opened:,}건."
    )
    if result.rejects_csv:
        target = rejects or file.with_suffix(".rejects.csv")
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(result.rejects_csv)
        for line in result.errors[:10]:
            console.print(f"  {line}", highlight=False)
        console.print(f"오류 행은 {target} 에 있습니다. 고친 뒤 같은 매핑으로 다시 가져오세요.")


@app.command("synth")
def synth(
    months: int = typer.Option(12, min=1, max=36),
    seed: int = typer.Option(1, min=0),
    end: str | None = typer.Option(None, help="last day (YYYY-MM-DD); default: end of last month"),
    work: bool = typer.Option(True, help="let a synthetic officer work each item to an outcome"),
) -> None:
    """Replace crisis data with a synthetic signal stream (hidden ground truth) for the district."""
    last = _date(end, "--end") if end else service.today().replace(day=1) - _day()
    with db.transaction(_engine()) as session:
        loaded = synthload.load(session, months, seed, last, work)
    s = loaded.stream
    console.print(
        f"{s.start}–{s.end}: 신호 {s.signals.height:,}건, 기기 {s.devices.height:,}대, "
        f"실제 위기 가구(숨김) {s.truth.height:,}곳. 발굴 항목 {loaded.items:,}건 — 지원 연계 "
        f"{loaded.linked:,}, 비대상 {loaded.not_needed:,}, 소재 불명 {loaded.unreachable:,}."
    )


def _day() -> Any:
    from datetime import timedelta

    return timedelta(days=1)


def _date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("날짜 형식이 틀립니다", where=where, example="2026-11-30") from None


@app.command("score")
def score(
    as_of: str | None = typer.Option(None, "--as-of", help="scoring day (default: today, KST)"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """Score every household with recent signals; those at the threshold join their dong's list."""
    day = _date(as_of, "--as-of") if as_of else None
    with db.transaction(_engine()) as session:
        user = _user(session, as_user)
        run = service.score_households(session, user.username, day)
        service.audit_run(session, user, run)
    console.print(
        f"{run.as_of} 기준 (가중치 {run.weights_version}판): {run.households_scored:,}가구 점수, "
        f"새 항목 {run.items_opened:,}건, 갱신 {run.items_updated:,}건, 재확인 복귀 {run.reopened:,}건."
    )


@app.command("worklist")
def worklist(
    dong: str = typer.Option(..., help="동 이름, 예: 신림동"),
    fmt: str = typer.Option("json", "--format", help="json | csv"),
    status: str | None = typer.Option(None, help="checking | recheck | linked | not_needed | …"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """The dong's worklist, ranked: due date, score, reasons (Korean)."""
    if fmt not in ("json", "csv"):
        raise InvalidInput("형식은 json 또는 csv입니다", where="--format", example="csv")
    with db.transaction(_engine()) as session:
        result = service.worklist(session, _user(session, as_user), dong, status)
    if fmt == "json":
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1))
        return
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["순위", "가구주", "출생연도", "상태", "점수", "처리 기한", "신호 출처", "사유"]
    )
    for rank, it in enumerate(result.items, start=1):
        writer.writerow(
            [
                rank,
                it.head_name,
                it.head_birth_year or "",
                it.status_label,
                it.score,
                it.due_on.isoformat(),
                " · ".join(it.sources),
                " / ".join(it.reasons),
            ]
        )
    typer.echo(out.getvalue(), nl=False)


@app.command("quality")
def quality(
    fmt: str = typer.Option("json", "--format", help="json | html"),
    dong: str | None = typer.Option(None),
    output: Path | None = typer.Option(None, "--output", "-o"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """How good each signal is: alerts, contacts, confirmed needs, precision, time to contact."""
    if fmt not in ("json", "html"):
        raise InvalidInput("형식은 json 또는 html입니다", where="--format", example="html")
    with db.transaction(_engine()) as session:
        report = service.quality_report(session, _user(session, as_user), dong)
    text = (
        json.dumps(report, ensure_ascii=False, indent=1, default=str)
        if fmt == "json"
        else pages_render.quality_html(report)
    )
    if output:
        output.write_text(text, encoding="utf-8")
        console.print(f"{output} 에 썼습니다.")
    else:
        typer.echo(text)


@app.command("whatif")
def whatif(
    threshold: int = typer.Option(..., "--threshold", help="the threshold to try (points)"),
    dong: str | None = typer.Option(None),
    fmt: str = typer.Option("text", "--format", help="text | json"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """What a threshold would have done on the stored (synthetic) history; nothing is stored."""
    if fmt not in ("text", "json"):
        raise InvalidInput("형식은 text 또는 json입니다", where="--format", example="json")
    with db.transaction(_engine()) as session:
        r = service.threshold_what_if(session, _user(session, as_user), threshold, dong)
    if fmt == "json":
        typer.echo(json.dumps(r, ensure_ascii=False, indent=1))
        return
    if not r["runs"]:
        typer.echo("쌓인 신호가 없습니다 (gibon crisis synth).")
        return
    typer.echo(
        f"{r['dong'] or '관악구 전체'} · 선별 회차 {len(r['runs'])}번 · 지금 임계값 {r['current_threshold']}점"
    )
    typer.echo("임계값  목록 가구  찾아낸 위기가구  재현율  정밀도")
    for o in r["sweep"]:
        mark = (
            " ← 지금"
            if o["threshold"] == r["current_threshold"]
            else (" ← 시험" if o["threshold"] == threshold else "")
        )
        rec = f"{o['recall'] * 100:.1f}%" if o["recall"] is not None else "—"
        pre = f"{o['precision'] * 100:.1f}%" if o["precision"] is not None else "—"
        typer.echo(
            f"{o['threshold']:>5}점 {o['households_listed']:>9,} {o['caught']:>15,} {rec:>7} {pre:>7}{mark}"
        )


@app.command("weights")
def weights(
    set_file: Path | None = typer.Option(None, "--set", exists=True, dir_okay=False),
    note: str = typer.Option("", help="why (required with --set)"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """Show the weights in force, or store a new version from a YAML file (district team only)."""
    import yaml

    with db.transaction(_engine()) as session:
        if set_file:
            raw = yaml.safe_load(set_file.read_text(encoding="utf-8"))
            if len(note.strip()) < 2:
                raise InvalidInput(
                    "바꾸는 이유를 적으세요", where="--note", example="단전 점수 상향"
                )
            current = service.set_weights(session, _user(session, as_user), raw, note.strip())
        else:
            current = service.weights_in_force(session)
    typer.echo(yaml.safe_dump(current.as_data(), allow_unicode=True, sort_keys=False))
