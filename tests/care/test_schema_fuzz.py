"""Schemathesis against /openapi.json: no care or audit endpoint answers 500 (bounded run)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from gibon.accounts.models import Role
from tests.care import helpers

CARE_PATHS = r"^/api/(cases|conferences|providers|referrals|followups|audit)"
BOUNDED = settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def test_no_care_endpoint_answers_500_to_generated_requests(app, client, session, login):
    login(Role.admin)
    helpers.provider(session)
    helpers.open_case(client, helpers.person_in(session).id)
    headers = dict(client.headers)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=CARE_PATHS)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    for operation in operations:

        @given(case=operation.as_strategy())
        @BOUNDED
        def call(case):  # type: ignore[no-untyped-def]
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:200]}")

        call()
    assert not failures, failures
