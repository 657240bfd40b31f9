"""One error hierarchy: every expected failure carries its HTTP status and a helpful message.

Messages say what was wrong, where (a field path, a line) and show a valid example, so the same
error reads well as a CLI line (exit 2), a JSON 4xx body or a message next to a form field.
"""

from __future__ import annotations

from typing import Any


class GibonError(Exception):
    status = 400

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        example: str | None = None,
        status: int | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.example = example
        self.details = details
        if status is not None:
            self.status = status

    def one_line(self) -> str:
        parts = [f"{self.where}: {self.message}" if self.where else self.message]
        if self.example:
            parts.append(f"예: {self.example}")
        return " — ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": type(self).__name__, "message": self.message}
        if self.where:
            body["where"] = self.where
        if self.example:
            body["example"] = self.example
        if self.details is not None:
            body["details"] = self.details
        return body


class InvalidInput(GibonError):
    """The input is malformed or out of range (CLI exit 2, HTTP 422)."""

    status = 422


class NotFound(GibonError):
    status = 404


class Forbidden(GibonError):
    status = 403


class NotAuthenticated(GibonError):
    status = 401


class Conflict(GibonError):
    """Someone else changed the record first; ``details`` holds both versions."""

    status = 409


class InvalidTransition(GibonError):
    """A workflow step is not allowed from the current state."""

    status = 409


class Busy(GibonError):
    """The server is at capacity or the database is busy: try again shortly (HTTP 503)."""

    status = 503
    retry_after = 1  # seconds, sent as the Retry-After header


class TooLarge(GibonError):
    """A request body, upload or input file is larger than gibon accepts (HTTP 413)."""

    status = 413
