"""The access policy: which role may do what, where; every refusal audited.

``policy`` holds the table and ``check``; ``deps`` the FastAPI dependencies that ask it.
"""

from gibon.access.policy import (
    POLICY,
    Action,
    Refused,
    Scope,
    Target,
    check,
    check_hidden,
    permits,
    refuse,
    scope_of,
)

__all__ = [
    "POLICY",
    "Action",
    "Refused",
    "Scope",
    "Target",
    "check",
    "check_hidden",
    "permits",
    "refuse",
    "scope_of",
]
