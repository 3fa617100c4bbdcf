"""The OpenAPI document and the reference page."""

import pytest
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3_and_public(db):
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    retry = schema["paths"]["/api/v1/records/{id}/retry/"]["post"]
    assert {"Idempotency-Key"} <= {p["name"] for p in retry["parameters"]}
    assert retry["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_the_reference_page_needs_no_script_from_elsewhere(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"/api/v1/records/{id}/retry/" in response.content
    assert b"<script>" not in response.content
    assert b"https://" not in response.content
    assert "script-src 'self'" in response["Content-Security-Policy"]
