"""The access policy as a page: for each role, what it may do and where (district team, admin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from gibon.access.deps import PolicyReader
from gibon.access.policy import (
    ACTION_LABELS_KO,
    OPEN_ROUTES,
    POLICY,
    RESOURCE_LABELS_KO,
    SCOPE_LABELS_KO,
)
from gibon.accounts.models import ROLE_LABELS_KO, Role
from gibon.web.deps import render

router = APIRouter(prefix="/admin", include_in_schema=False)


def by_role() -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(role label, [(resource label, action label, scope label)]) for every role."""
    out = []
    for role in Role:
        rights = [
            (RESOURCE_LABELS_KO[resource], ACTION_LABELS_KO[action], SCOPE_LABELS_KO[scopes[role]])
            for (resource, action), scopes in POLICY.items()
            if role in scopes
        ]
        out.append((ROLE_LABELS_KO[role], rights))
    return out


@router.get("/access", response_class=HTMLResponse)
def policy_page(request: Request, user: PolicyReader) -> Any:
    """접근 권한표: 역할마다 무엇을 어디까지 할 수 있는지 (코드의 정책표 그대로)."""
    return render(request, "access/policy.html", roles=by_role(), open_routes=OPEN_ROUTES)
