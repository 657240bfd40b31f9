"""The policy table as Markdown, for docs/security.md (a test keeps the two the same)."""

from __future__ import annotations

from gibon.access.policy import (
    ACTION_LABELS_KO,
    OPEN_ROUTES,
    POLICY,
    RESOURCE_LABELS_KO,
    SCOPE_LABELS_KO,
)
from gibon.accounts.models import ROLE_LABELS_KO, Role


def markdown() -> str:
    """One row per (resource, action), one column per role; a cell is the scope or —."""
    roles = list(Role)
    head = ["자원 (resource)", "행위"] + [ROLE_LABELS_KO[r] for r in roles]
    lines = [_row(head), _row(["---"] * len(head))]
    for (resource, action), scopes in POLICY.items():
        cells = [SCOPE_LABELS_KO[scopes[r]] if r in scopes else "—" for r in roles]
        label = f"{RESOURCE_LABELS_KO[resource]} (`{resource}`)"
        lines.append(_row([label, ACTION_LABELS_KO[action], *cells]))
    return "\n".join(lines)


def open_routes_markdown() -> str:
    lines = [_row(["경로", "누가, 왜"]), _row(["---", "---"])]
    lines += [_row([f"`{route}`", why]) for route, why in OPEN_ROUTES.items()]
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
