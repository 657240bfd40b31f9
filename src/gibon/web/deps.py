"""Named dependencies at the boundary: the DB session, the signed-in user, role checks, templates.

Handlers declare what they need (``db: DbSession``, ``user: CurrentUser``,
``Depends(require_roles(Role.admin))``) instead of checking in their bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from gibon import __version__
from gibon.accounts import service as accounts
from gibon.accounts.models import ROLE_LABELS_KO, Role, User
from gibon.audit import service as audit
from gibon.errors import Forbidden, NotAuthenticated
from gibon.kit import diff, problems
from gibon.web import filters, flash, nav, people

TEMPLATES_DIR = FilePath(__file__).parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals["role_labels"] = {r.value: label for r, label in ROLE_LABELS_KO.items()}
templates.env.globals["nav_items"] = nav.nav_items
templates.env.globals["nav_current"] = nav.current_path
templates.env.globals["version"] = __version__
filters.install(templates.env)
templates.env.globals["field_id"] = problems.field_id
templates.env.globals["field_label"] = problems.label_for
templates.env.globals["diff_rows"] = diff.rows

TOKEN_MAX_AGE = 8 * 3600

# A database id in a URL: bounded to the 32-bit INTEGER range PostgreSQL stores, so a huge id is a
# 422 with the allowed range instead of an overflow deep in the database driver.
RecordId = Annotated[int, Path(ge=1, le=2_147_483_647, examples=[1])]


def get_db(request: Request) -> Iterator[Session]:
    """The request owns the transaction: commit when the handler returns, roll back on error.

    Scoped to the handler ("function"), so the commit happens before the response is sent: the
    client's next request always sees the change, and audit writes release the chain's lock
    before the response goes out.
    """
    session: Session = request.app.state.sessionmaker()
    request.state.db = session  # pages name people through it (web.people)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_db, scope="function")]


def token_serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.vault.session_key, salt="gibon-api-token")


def _user_id_from_request(request: Request) -> int | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        try:
            value = token_serializer(request).loads(header[7:].strip(), max_age=TOKEN_MAX_AGE)
        except (BadSignature, SignatureExpired):
            return None
        return int(value)
    user_id = request.session.get("user_id")
    return int(user_id) if user_id is not None else None


def optional_user(request: Request, db: DbSession) -> User | None:
    user_id = _user_id_from_request(request)
    user = accounts.get_user(db, user_id) if user_id is not None else None
    if user is not None and not user.is_active:
        return None
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


def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise NotAuthenticated("로그인이 필요합니다")
    return user


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]


def require_roles(*roles: Role) -> Callable[..., User]:
    """A dependency that admits only ``roles``; a refusal answers 403 and is audited."""
    allowed = frozenset(roles)

    def check(request: Request, user: CurrentUser, db: DbSession) -> User:
        if user.role_enum not in allowed:
            deny(db, user, request.url.path)
        return user

    return check


def deny(db: Session, user: User, what: str) -> None:
    """Record a refused action in the audit log (in its own commit) and answer 403."""
    audit.record_on_commit(db, actor=user.username, role=user.role, action="denied", resource=what)
    db.commit()
    raise Forbidden("이 작업을 할 권한이 없습니다", where=what)


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
