"""Shared fixtures: every database test runs on SQLite and on PostgreSQL, each test rolled back.

PostgreSQL is used when GIBON_TEST_POSTGRES_URL is set or 127.0.0.1:5432 answers; elsewhere its
half of the tests is skipped with the reason shown.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from gibon import db
from gibon.accounts.models import Role, User
from gibon.app import create_app
from gibon.config import Settings
from tests import factories

pytest_plugins = ["tests.browser"]

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _postgres_admin_url() -> str | None:
    url = os.environ.get("GIBON_TEST_POSTGRES_URL")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return PG_DEFAULT
    except OSError:
        return None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    admin_url = _postgres_admin_url()
    if admin_url is None:
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432 and GIBON_TEST_POSTGRES_URL unset")
    name = f"gibon_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    yield url
    db.dispose_engines()  # close pooled connections before the database goes
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'gibon.db'}"


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture(scope="session")
def secret_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys") / "secret.key"


@pytest.fixture(scope="session")
def engine(database_url: str, secret_key_file: Path) -> Engine:
    """A migrated database holding a small synthetic population (committed once per backend)."""
    db.upgrade(database_url)
    engine = db.engine_for(database_url)
    factories.load_small_population(engine, secret_key_file)
    return engine


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session_maker(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(session_maker: sessionmaker[Session]) -> Iterator[Session]:
    with session_maker() as s:
        yield s


@pytest.fixture
def settings(database_url: str, secret_key_file: Path, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url, secret_key_file=secret_key_file, data_dir=tmp_path / "data"
    )


@pytest.fixture
def app(settings: Settings, session_maker: sessionmaker[Session]) -> FastAPI:
    application = create_app(settings)
    application.state.sessionmaker = session_maker  # requests join the test's transaction
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def login(client: TestClient, session: Session):  # type: ignore[no-untyped-def]
    """``login(role, dong=None)`` creates a user of that role and signs the client in as it."""

    def _login(role: Role, dong: str | None = None, organization_id: str | None = None) -> User:
        user = factories.make_user(session, role, dong=dong, organization_id=organization_id)
        session.commit()
        factories.sign_in(client, user.username)
        return user

    return _login
