"""The access policy page shows, per role, the rights in the policy table."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from fastapi.testclient import TestClient

from gibon.access.policy import POLICY
from gibon.accounts.models import ROLE_LABELS_KO, Role


class _Sections(HTMLParser):
    """Text of each <section>'s list items, keyed by its <h2>."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[str]] = {}
        self._tag = ""
        self._current = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag = tag
        if tag == "li" and self._current:
            self.sections[self._current].append("")

    def handle_data(self, data: str) -> None:
        if self._tag == "h2":
            self._current = data.strip()
            self.sections[self._current] = []
        elif self._current and self.sections[self._current] and data.strip():
            self.sections[self._current][-1] += data

    def handle_endtag(self, tag: str) -> None:
        self._tag = ""


def test_the_district_team_reads_every_roles_rights_as_in_the_table(
    client: TestClient, login: Any
) -> None:
    login(Role.district_team)
    page = client.get("/admin/access")
    assert page.status_code == 200
    parser = _Sections()
    parser.feed(page.text)
    for role in Role:
        expected = sum(1 for scopes in POLICY.values() if role in scopes)
        assert len(parser.sections[ROLE_LABELS_KO[role]]) == expected, role
    officer = parser.sections[ROLE_LABELS_KO[Role.dong_officer]]
    assert "통합돌봄 사례 조회 — 담당 동" in officer
    assert not any("care_" in line for lines in parser.sections.values() for line in lines)


def test_a_dong_officer_may_not_open_the_policy_page(client: TestClient, login: Any) -> None:
    login(Role.dong_officer, dong="신림동")
    assert client.get("/admin/access").status_code == 403
