"""``gibon accounts``: an administrator's account commands, over the same code as /admin/accounts.

Each command is one transaction and is audited with the operating-system user as actor
(``cli:<name>``), since the CLI is run by whoever holds the server's files.
"""

from __future__ import annotations

import getpass

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from gibon import db
from gibon.accounts import admin, labels
from gibon.accounts.models import ROLE_LABELS_KO, Role
from gibon.accounts.service import Actor
from gibon.config import get_settings
from gibon.db import utcnow
from gibon.errors import InvalidInput

app = typer.Typer(help="직원 계정 (staff accounts)", no_args_is_help=True)
console = Console()


def _actor() -> Actor:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's arbitrary uid)
        name = "unknown"
    return Actor(f"cli:{name}"[:64], Role.admin.value)


def _engine() -> Engine:
    settings = get_settings()
    engine = db.engine_for(settings.database_url)
    if not db.is_migrated(engine):
        raise InvalidInput("database is not migrated", example="gibon db upgrade")
    return engine


@app.command("create")
def create(
    username: str = typer.Argument(..., help="아이디, e.g. sillim-kim"),
    name: str = typer.Option(..., "--name", help="이름, e.g. '신림동 주민센터 김하늘'"),
    role: Role = typer.Option(..., "--role", help="역할"),
    dong: str | None = typer.Option(
        None, "--dong", help="담당 동 (동 주민센터 담당자), e.g. 신림동"
    ),
    organization: str | None = typer.Option(None, "--org", help="소속 기관 번호, e.g. prov-001"),
) -> None:
    """Create a staff account and print its temporary password (changed at first sign-in)."""
    with db.transaction(_engine()) as session:
        user, temporary = admin.create_account(
            session,
            _actor(),
            username=username,
            display_name=name,
            role=role,
            dong=dong,
            organization_id=organization,
        )
        label = ROLE_LABELS_KO[role]
    console.print(f"계정을 만들었습니다: {user.username} ({user.display_name}, {label})")
    console.print(f"임시 비밀번호: {temporary}", highlight=False)
    console.print("처음 로그인할 때 새 비밀번호로 바꾸게 됩니다.")


@app.command("disable")
def disable(username: str = typer.Argument(..., help="아이디")) -> None:
    """Stop an account from signing in and end its sessions."""
    with db.transaction(_engine()) as session:
        ended = admin.disable(session, _actor(), admin.find(session, username), utcnow())
    console.print(f"{username}: {labels.DONE['disable'].format(ended=ended)}")


@app.command("enable")
def enable(username: str = typer.Argument(..., help="아이디")) -> None:
    """Let a disabled account sign in again."""
    with db.transaction(_engine()) as session:
        admin.enable(session, _actor(), admin.find(session, username))
    console.print(f"{username}: {labels.DONE['enable']}")


@app.command("reset-password")
def reset_password(username: str = typer.Argument(..., help="아이디")) -> None:
    """Give an account a new temporary password; its sessions end and any lockout is lifted."""
    with db.transaction(_engine()) as session:
        temporary = admin.reset_password(session, _actor(), admin.find(session, username), utcnow())
    console.print(f"{username}: 비밀번호를 초기화했습니다.")
    console.print(f"임시 비밀번호: {temporary}", highlight=False)


@app.command("unlock")
def unlock(
    username: str | None = typer.Argument(None, help="아이디"),
    address: str | None = typer.Option(None, "--address", help="잠긴 접속 주소, e.g. 10.1.2.3"),
) -> None:
    """Lift a sign-in lockout of an account (or of a client address) before it ends by itself."""
    if not username and not address:
        raise InvalidInput("아이디나 --address 를 주세요", example="gibon accounts unlock sillim")
    with db.transaction(_engine()) as session:
        if username:
            done = admin.unlock(session, _actor(), admin.find(session, username))
            console.print(f"{username}: {labels.DONE['unlock' if done else 'unlock_none']}")
        if address:
            done = admin.unlock_address(session, _actor(), address)
            console.print(f"{address}: {labels.DONE['unlock' if done else 'unlock_none']}")


@app.command("list")
def list_accounts() -> None:
    """List every account with its role, area, state and last sign-in (KST)."""
    table = Table(title="직원 계정")
    table.add_column("아이디", no_wrap=True)
    for column in ("이름", "역할", "담당", "상태", "마지막 로그인"):
        table.add_column(column)
    with db.transaction(_engine()) as session:
        for row in admin.list_accounts(session, utcnow()):
            u = row.user
            table.add_row(
                u.username,
                u.display_name,
                ROLE_LABELS_KO[u.role_enum],
                u.dong or u.organization_id or "구 전체",
                _state(row),
                labels.kst(row.last_sign_in) if row.last_sign_in else "없음",
            )
    console.print(table)


def _state(row: admin.AccountRow) -> str:
    if not row.user.is_active:
        return labels.STATE_DISABLED
    state = (
        f"{labels.STATE_LOCKED} ({labels.kst(row.locked_until)}까지)"
        if row.locked_until
        else labels.STATE_ACTIVE
    )
    return f"{state} · 비밀번호 변경 필요" if row.user.must_change_password else state
