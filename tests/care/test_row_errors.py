"""A one-row form that fails comes back to its own row with the error and what was typed."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from tests.care import helpers
from tests.care.helpers import ok


def _followup(
    client: TestClient, session: Session, login: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    case, _ref = helpers.accepted_referral(client, session, login)
    version = helpers.case_version(client, case["id"])
    fu = ok(
        client.post(
            "/api/followups",
            json={
                "version": version,
                "case_id": case["id"],
                "kind": "visit",
                "due_on": "2027-01-15",
            },
        ),
        201,
    )
    return case, fu


def test_a_follow_up_finished_without_notes_shows_the_error_in_its_own_row(
    client: TestClient, session: Session, login: Any
) -> None:
    login(Role.dong_officer, dong=helpers.DONG)
    case, fu = _followup(client, session, login)
    back = f"/care/cases/{case['id']}#followup"
    response = client.post(
        f"/care/followups/{fu['id']}/done",
        data={"version": fu["version"], "notes": "", "back": back},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/care/cases/{case['id']}#followup-{fu['id']}"
    page = client.get(response.headers["location"].split("#")[0]).text
    row = page[page.index(f'id="followup-{fu["id"]}"') :]
    row = row[: row.index("</tr>")]
    assert "처리하지 못했습니다" in row and "점검 내용" in row
    # Once shown, the error is gone on the next visit.
    assert "처리하지 못했습니다" not in client.get(f"/care/cases/{case['id']}").text
