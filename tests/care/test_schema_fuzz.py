"""Schemathesis against /openapi.json for the care and audit API (bounded, deterministic).

Every generated request is checked for more than "no 500": the status code must be one the
document declares, and the body must match the declared schema (the typed ``XRead`` models for a
success, ``ErrorBody`` for a refusal), so an endpoint whose answer drifts from its model fails here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gibon.accounts.models import Role
from tests.care import helpers

CARE_PATHS = r"^/api/(cases|conferences|providers|referrals|followups|audit)"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
BOUNDED = settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def _schema(app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=CARE_PATHS)


def test_every_care_answer_matches_its_declared_status_and_schema(app, client, session, login):  # type: ignore[no-untyped-def]
    login(Role.district_team)
    helpers.provider(session)
    case = helpers.open_case(client, helpers.person_in(session).id)
    helpers.ok(client.get(f"/api/cases/{case['id']}"))  # the detail answers before the fuzzing
    headers = dict(client.headers)
    operations = [result.ok() for result in _schema(app).get_all_operations()]
    assert len(operations) >= 38
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @BOUNDED
        def call(case):  # type: ignore[no-untyped-def]
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            except (AssertionError, FailureGroup) as exc:
                failures.append(f"{case.method} {case.formatted_path}: {str(exc)[:400]}")

        call()
    assert not failures, "\n".join(failures[:10])


def test_the_fuzzer_fails_an_answer_that_does_not_match_its_model(app, client, session, login):  # type: ignore[no-untyped-def]
    """The check is live: a case detail without its path is refused by the declared schema."""
    login(Role.district_team)
    case = helpers.open_case(client, helpers.person_in(session).id)
    operation = _schema(app).get("/api/cases/{case_id}")["GET"]  # type: ignore[index]
    generated = operation.Case(path_parameters={"case_id": case["id"]})
    response = generated.call(headers=dict(client.headers))
    assert response.status_code == 200
    generated.validate_response(response, checks=CHECKS)  # the real answer conforms
    body = response.json()
    del body["events"]
    drifted = Response(
        status_code=200,
        headers=response.headers,
        content=json.dumps(body).encode(),
        request=response.request,
        elapsed=response.elapsed,
        verify=True,
    )
    with pytest.raises(FailureGroup, match="events"):
        generated.validate_response(drifted, checks=CHECKS)
