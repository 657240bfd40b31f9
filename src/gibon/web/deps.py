"""Named dependencies at the boundary: the DB session, the signed-in user, role checks, templates.

Handlers declare what they need (``db: DbSession``, ``user: CurrentUser``, or a policy
dependency from ``gibon.access.deps`` such as ``user: CaseWorker``) instead of checking in their
bodies.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Annotated, Any

from anyio import CancelScope, to_thread
from fastapi import Depends, Path, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from gibon import __version__, db
from gibon.access.audit import record_refusal
from gibon.access.policy import Refused
from gibon.accounts import service as accounts
from gibon.accounts import sessions
from gibon.accounts.models import ROLE_LABELS_KO, Role, SessionKind, User, UserSession
from gibon.audit import service as audit
from gibon.db import utcnow
from gibon.errors import NotAuthenticated
from gibon.kit import diff, problems
from gibon.web import csrf, filters, flash, nav, people

TEMPLATES_DIR = FilePath(__file__).parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
# templates ship with the package and never change under a running server: no stat() per render
templates.env.auto_reload = False
templates.env.globals["role_labels"] = {r.value: label for r, label in ROLE_LABELS_KO.items()}
templates.env.globals["nav_items"] = nav.nav_items
templates.env.globals["nav_current"] = nav.current_path
templates.env.globals["version"] = __version__
filters.install(templates.env)
templates.env.globals["field_id"] = problems.field_id
templates.env.globals["field_label"] = problems.label_for
templates.env.globals["diff_rows"] = diff.rows
templates.env.globals["csrf_field"] = csrf.field

SESSION_COOKIE = "gibon_sid"  # holds only the random session id; everything else is server-side
# What an account that must change its password may still reach.
PASSWORD_CHANGE_PATHS = frozenset(
    {"/account/password", "/api/me/password", "/api/me", "/logout", "/api/auth/logout"}
)

# A database id in a URL: bounded to the 32-bit INTEGER range PostgreSQL stores, so a huge id is a
# 422 with the allowed range instead of an overflow deep in the database driver.
RecordId = Annotated[int, Path(ge=1, le=2_147_483_647, examples=[1])]


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_db(request: Request) -> AsyncIterator[Session]:
    """The request owns the transaction: commit when the handler returns, roll back on error.

    Scoped to the handler ("function"), so the commit happens before the response is sent: the
    client's next request always sees the change, and audit writes release the chain's lock
    before the response goes out. A request that may change data (not GET/HEAD/OPTIONS) is a
    writer: on SQLite it queues for the write lock instead of failing (see ``db.unit_of_work``).

    Asynchronous, so a reader's session (which touches no database until its first query) is
    opened without a hop to the thread pool; a writer's (which may wait for SQLite's write lock)
    and the commit or rollback at the end, which talk to the database, run in the pool.
    """
    maker = request.app.state.sessionmaker
    write = request.method not in SAFE_METHODS
    work = db.unit_of_work(maker, write=write)
    session = await to_thread.run_sync(work.__enter__) if write else work.__enter__()
    request.state.db = session  # pages name people through it (web.people)
    try:
        try:
            yield session
        except BaseException as exc:
            # shielded: a cancelled request still rolls back and gives its connection back
            with CancelScope(shield=True):
                suppressed = await to_thread.run_sync(
                    work.__exit__, type(exc), exc, exc.__traceback__
                )
            if not suppressed:
                raise
        else:
            await to_thread.run_sync(work.__exit__, None, None, None)
    except Refused as refused:
        # the request's own work is rolled back and its session closed; the refusal is written
        # apart, in a transaction of its own
        await to_thread.run_sync(record_refusal, maker, refused)
        raise


DbSession = Annotated[Session, Depends(get_db, scope="function")]


def _user_session(request: Request, db: Session) -> tuple[UserSession, User] | None:
    """The live session the request carries and its account: a bearer token if one is sent,
    else the cookie.

    A token that is unknown, expired, revoked or malformed finds no session (401, never 500).
    """
    now = utcnow()
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return sessions.find_with_user(db, header[7:].strip(), SessionKind.bearer, now)
    cookie = request.cookies.get(SESSION_COOKIE)
    return sessions.find_with_user(db, cookie, SessionKind.cookie, now) if cookie else None


def optional_user(request: Request, db: DbSession) -> User | None:
    found = _user_session(request, db)
    row, user = found if found is not None else (None, None)
    if user is not None and not user.is_active:
        user = None
    request.state.user_session = row if user is not None else None
    # Pages read a detached snapshot: an error page is rendered after the session rolled back.
    request.state.user = Viewer.of(user) if user is not None else None
    return user


@dataclass(frozen=True)
class Viewer:
    """What the layout shows of the signed-in user."""

    username: str
    display_name: str
    role: str
    dong: str | None

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @classmethod
    def of(cls, user: User) -> Viewer:
        return cls(user.username, user.display_name, user.role, user.dong)


async def current_user(
    request: Request, user: Annotated[User | None, Depends(optional_user)]
) -> User:
    """The signed-in user, or 401. Asynchronous: it reads no database, and a plain ``def``
    dependency would cost a hop to the thread pool on every request."""
    if user is None:
        raise NotAuthenticated("로그인이 필요합니다")
    if user.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise accounts.PasswordChangeRequired()
    return user


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]


def audit_read(
    db: Session, user: User, resource: str, resource_id: str | None, purpose: str = ""
) -> None:
    audit.record_on_commit(
        db,
        actor=user.username,
        role=user.role,
        action="read",
        resource=resource,
        resource_id=resource_id,
        purpose=purpose,
    )


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Any:
    context.setdefault("user", getattr(request.state, "user", None))
    context.setdefault("name_of", people.namer(getattr(request.state, "db", None)))
    context.setdefault("current_path", request.url.path)
    context.setdefault("flash", flash.take(request))
    return templates.TemplateResponse(request, name, context, status_code=status_code)
