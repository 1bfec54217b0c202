"""Schemathesis generates requests from the OpenAPI document, valid and invalid alike, and
the API must never answer with a 500; every error keeps the {error: {...}} shape."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from tastemaker.app import create_app
from tests.factories import World

EXAMPLES = int(os.environ.get("TASTEMAKER_FUZZ_EXAMPLES", "20"))

# The document is read from an app built once; each test then calls an app bound to its own
# rolled-back transaction. (schemathesis' pytest plugin does not run on pytest 9 yet.)
_SCHEMA = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app())
OPERATIONS = {op.label: op for op in (r.ok() for r in _SCHEMA.get_all_operations())}


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_never_answers_500(label: str, client: TestClient, world: World) -> None:
    operation = OPERATIONS[label]
    headers = world.headers("a_owner")

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case: Any) -> None:
        kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
        response = client.request(**kwargs)
        assert response.status_code < 500, f"{label}: {response.status_code} {response.text}"
        if response.status_code >= 400:
            assert set(response.json()["error"]) == {"code", "message", "details"}

    check()
