"""The main menu: each entry names the roles that may open it, so nobody sees a dead link."""

from __future__ import annotations

from dataclasses import dataclass

from gibon.accounts.models import Role, User

ALL = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str
    roles: frozenset[Role]


NAV: list[NavItem] = [
    NavItem("/", "관악구 한눈에", ALL),
]


def nav_items(user: User | None) -> list[NavItem]:
    if user is None:
        return [item for item in NAV if item.path == "/"]
    return [item for item in NAV if user.role_enum in item.roles]
