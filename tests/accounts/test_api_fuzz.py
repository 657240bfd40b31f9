"""Schemathesis against the sign-in endpoints: nothing answers 500 (bounded run)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from gibon.accounts.models import Role

AUTH_PATHS = r"^/api/(auth|me)"
BOUNDED = settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def test_no_sign_in_endpoint_answers_500_to_generated_requests(app, client, login):  # type: ignore[no-untyped-def]
    login(Role.district_team)
    headers = dict(client.headers)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=AUTH_PATHS)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @BOUNDED
        def call(case):  # type: ignore[no-untyped-def]
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:200]}")

        call()
    assert not failures, failures
