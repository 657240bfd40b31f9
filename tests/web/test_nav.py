from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from gibon.accounts.models import Role
from gibon.web.nav import NAV, nav_items

ORGS = {Role.provider: "prov-x", Role.visiting_professional: "doc-x", Role.pharmacist: "pha-x"}


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_menu_entry_a_role_sees_opens_for_that_role(
    role: Role,
    client: TestClient,
    login,  # type: ignore[no-untyped-def]
) -> None:
    login(
        role, dong="신림동" if role is Role.dong_officer else None, organization_id=ORGS.get(role)
    )
    for item in [i for i in NAV if role in i.roles]:
        response = client.get(item.path)
        assert response.status_code == 200, (item.path, response.status_code)


def test_a_visitor_sees_only_the_public_pages() -> None:
    assert [i.path for i in nav_items(None)] == ["/", "/benefits"]


def test_the_policy_analyst_is_offered_no_page_with_personal_data() -> None:
    paths = {i.path for i in NAV if Role.policy_analyst in i.roles}
    assert paths <= {"/", "/care/dashboard", "/simulator", "/crisis/quality"}


def test_every_menu_entry_is_guarded_by_the_same_policy_entry_as_its_page(app) -> None:  # type: ignore[no-untyped-def]
    from tests.access.test_policy_routes import endpoints

    guards = {path: need for method, path, need in endpoints(app) if method == "GET"}
    for item in NAV:
        if isinstance(item.guard, frozenset):
            assert guards[item.path] is None, item.path  # an open page, offered by role
        else:
            assert guards[item.path] == item.guard, item.path
