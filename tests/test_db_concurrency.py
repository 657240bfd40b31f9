"""Concurrent requests on a live server: writers queue instead of failing, no answer is a 5xx, and
every audit row is kept (SQLite and PostgreSQL, each with a database of its own)."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from gibon import db
from gibon.accounts.models import Role
from gibon.app import create_app
from gibon.audit import service as audit
from gibon.audit.models import AuditEvent
from gibon.config import Settings
from tests import factories
from tests.care import helpers


@dataclass
class Live:
    base: str
    url: str
    token: str
    conference: dict[str, Any]  # a held conference: id and version
    person_ids: list[str]

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base, headers={"Authorization": f"Bearer {self.token}"}, timeout=30
        )


def _scratch_url(backend: str, request: pytest.FixtureRequest, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'live.db'}"
    base: str = request.getfixturevalue("postgres_url")
    name = f"gibon_live_{uuid.uuid4().hex[:10]}"
    _admin(base, f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name


def _admin(url: str, statement: str) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(statement))
    admin.dispose()


def _drop(url: str) -> None:
    db.dispose_engines(url)
    if url.startswith("postgresql"):
        name = url.rsplit("/", 1)[1]
        _admin(
            url.rsplit("/", 1)[0] + "/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("live")
    url = _scratch_url(request.param, request, tmp)
    db.upgrade(url)
    key = tmp / "secret.key"
    factories.load_small_population(db.engine_for(url), key)
    with db.transaction(db.engine_for(url)) as session:
        officer = factories.make_user(session, Role.dong_officer, dong=helpers.DONG)
        people = [helpers.person_in(session), *_more_people(session)]
        provider_id = helpers.provider(session).id  # a plan names its 제공 주체 (규칙 제9조)
    app = create_app(Settings(database_url=url, secret_key_file=key, data_dir=tmp / "data"))
    setup = TestClient(app)
    factories.sign_in(setup, officer.username)
    case = helpers.walk_to(
        setup, helpers.open_case(setup, people[0].id), "approved", provider_id=provider_id
    )
    # the 통합지원회의 is optional (규칙 제9조②): hold one, so two people can edit its record
    held = {
        "version": helpers.ok(setup.get(f"/api/cases/{case['id']}"))["case"]["version"],
        "case_id": case["id"],
        "held_on": "2026-12-01",
        "agenda": "지원계획 협의",
        "participants": [{"agency": "district", "name": "통합돌봄과"}],
    }
    helpers.ok(setup.post("/api/conferences", json=held), 201)
    conference = helpers.ok(setup.get(f"/api/cases/{case['id']}"))["conferences"][0]
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    token = setup.headers["Authorization"].removeprefix("Bearer ")
    yield Live(f"http://127.0.0.1:{port}", url, token, conference, [p.id for p in people[1:]])
    server.should_exit = True
    thread.join(timeout=10)
    _drop(url)


def _more_people(session: Session) -> list[Any]:
    from gibon.residents.models import Person

    query = select(Person).where(Person.dong == helpers.DONG).order_by(Person.id).offset(1)
    return list(session.scalars(query.limit(20)))


def _all_at_once(
    live: Live, n: int, call: Callable[[httpx.Client, int], httpx.Response]
) -> list[int]:
    """``n`` clients, each on its own connection, released together by a barrier."""
    start = threading.Barrier(n)

    def one(i: int) -> int:
        with live.client() as client:
            start.wait()
            return call(client, i).status_code

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def _audit_count(url: str, resource: str, action: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        where = (AuditEvent.resource == resource) & (AuditEvent.action == action)
        count = conn.execute(select(func.count()).where(where)).scalar_one()
    engine.dispose()
    return int(count)


def _chain_ok(url: str) -> audit.ChainReport:
    engine = create_engine(url)
    with Session(engine) as session:
        report = audit.verify(session)
    engine.dispose()
    return report


def test_two_concurrent_edits_of_one_conference_give_one_200_and_one_409(live: Live) -> None:
    conf_id = live.conference["id"]
    with live.client() as client:
        version = client.get(f"/api/conferences/{conf_id}").json()["version"]
    before = _audit_count(live.url, "care_conference", "update")
    for round_ in range(5):

        def edit(client: httpx.Client, i: int, v: int = version, r: int = round_) -> httpx.Response:
            body = {"version": v, "minutes": f"회의록 {r}-{i}"}
            return client.patch(f"/api/conferences/{conf_id}", json=body)

        assert sorted(_all_at_once(live, 2, edit)) == [200, 409]
        version += 1
    assert _audit_count(live.url, "care_conference", "update") == before + 5
    assert _chain_ok(live.url).ok


def test_twenty_concurrent_case_creations_all_succeed_with_their_audit_rows(live: Live) -> None:
    before = _audit_count(live.url, "care_case", "create")

    def create(client: httpx.Client, i: int) -> httpx.Response:
        body = {
            "person_id": live.person_ids[i],
            "channel": "family",
            "applicant_name": "김가족",
            "applicant_relation": "딸",
            "consents": ["assessment", "sharing", "referral"],
            "target_group": "agreed",  # 영 제2조제1항제3호, whatever the age
        }
        return client.post("/api/cases", json=body)

    statuses = _all_at_once(live, 20, create)
    assert statuses == [201] * 20
    assert _audit_count(live.url, "care_case", "create") == before + 20
    assert _chain_ok(live.url).ok


def test_forty_concurrent_readers_get_200_or_503_and_each_200_is_on_record(live: Live) -> None:
    case_id = live.conference["case_id"]
    before = _audit_count(live.url, "care_case", "read")
    answers: list[tuple[int, str | None]] = []

    def read(client: httpx.Client, _i: int) -> httpx.Response:
        for _ in range(4):
            response = client.get(f"/api/cases/{case_id}")
            answers.append((response.status_code, response.headers.get("retry-after")))
        return response

    _all_at_once(live, 40, read)
    assert {status for status, _ in answers} <= {200, 503}
    assert all(retry == "1" for status, retry in answers if status == 503)
    served = sum(status == 200 for status, _ in answers)
    assert served > 0
    assert _audit_count(live.url, "care_case", "read") == before + served
    assert _chain_ok(live.url).ok
