"""The audit trail: every personal-data read and write is recorded; tampering is detected."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

import gibon.cli
from gibon import db
from gibon.accounts.models import Role
from gibon.audit import service as audit
from gibon.audit.models import AuditEvent
from gibon.config import get_settings
from tests.care import helpers
from tests.care.helpers import ok


def test_reading_a_case_and_each_step_leaves_an_audit_row_with_its_purpose(client, session, login):
    user = login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    ok(client.get(f"/api/cases/{case['id']}"))
    ok(
        client.post(
            f"/api/cases/{case['id']}/screenings",
            json={"version": case["version"], "items": {"bathing": True}},
        ),
        201,
    )
    ok(client.get("/api/cases", params={"status": "open"}))
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.actor == user.username, AuditEvent.resource != "session")
        .order_by(AuditEvent.id)
    ).all()
    seen = [(e.action, e.resource) for e in rows]
    assert seen == [
        ("create", "care_case"),
        ("read", "care_case"),
        ("update", "care_case"),
        ("read", "care_queue"),
    ]
    assert rows[1].purpose == "사례 상세 조회"
    assert rows[2].purpose == "사전 확인"
    assert rows[2].detail.startswith("신청 접수 → 사전 확인 완료 ")


def test_a_resident_number_search_never_writes_the_number_into_the_audit_log(
    client, session, login, app
):
    user = login(Role.district_team)
    person = helpers.person_in(session)
    rrn = app.state.vault.decrypt(person.rrn_enc)
    ok(client.post("/api/cases/search", json={"q": rrn}))
    row = session.scalars(
        select(AuditEvent).where(
            AuditEvent.actor == user.username, AuditEvent.resource != "session"
        )
    ).one()
    assert "search=rrn" in row.detail and rrn.replace("-", "")[:6] not in row.detail + row.purpose


def test_the_admin_can_search_the_audit_log_and_others_cannot(client, session, login):
    officer = login(Role.dong_officer, dong=helpers.DONG)
    helpers.open_case(client, helpers.person_in(session).id)
    login(Role.admin)
    found = ok(client.get("/api/audit", params={"actor": officer.username}))
    assert [e["action"] for e in found if e["resource"] != "session"] == ["create"]
    assert ok(client.get("/api/audit/verify"))["ok"] is True
    login(Role.district_team)
    assert client.get("/api/audit").status_code == 403


@pytest.fixture
def scratch_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    db.upgrade(url)
    monkeypatch.setenv("GIBON_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_changing_one_audit_row_is_detected_and_the_cli_names_it(scratch_db):
    engine = db.engine_for(scratch_db)
    with db.transaction(engine) as s:
        ids = [
            audit.record(
                s,
                actor="sillim",
                role="dong_officer",
                action="read",
                resource="care_case",
                resource_id=str(i),
                purpose="사례 조회",
            ).id
            for i in range(5)
        ]
    runner = CliRunner()
    assert runner.invoke(gibon.cli.app, ["audit", "verify"]).exit_code == 0
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_events SET actor = 'intruder' WHERE id = :i"), {"i": ids[2]}
        )
    with db.transaction(engine) as s:
        report = audit.verify(s)
    assert report.first_broken_id == ids[2]
    result = runner.invoke(gibon.cli.app, ["audit", "verify"])
    assert result.exit_code == 2
    assert f"audit_events.id={ids[2]}" in result.output + (result.stderr or "")
    engine.dispose()
