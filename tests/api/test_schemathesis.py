"""The API fuzzed against its own OpenAPI schema, in-process over WSGI.

schemathesis loads /api/schema/ from Django's WSGI application (no socket)
and sends a bounded number of generated requests per operation with an
admin-scope token: no 5xx, no response outside the schema, and no GET
changes a row.
"""

import hashlib
import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.models import IdempotentResponse
from integrations.models import (
    Alert,
    AuditEntry,
    Integration,
    PayloadChange,
    SyncRecord,
    WebhookEvent,
)
from reconciliation.models import Payout, PayoutLine

from .conftest import client_for, staff

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 5
# Bodies with free-form JSON (an ERP payload, mapping transforms and
# conditions): a NUL character anywhere in them is refused with a 400
# (PostgreSQL cannot store one), which their schema cannot say.
FREE_FORM_BODIES = {
    ("POST", "/api/v1/records/{id}/edit-payload/"),
    ("POST", "/api/v1/mapping-sets/import/"),
}
WATCHED = (
    Integration,
    WebhookEvent,
    SyncRecord,
    PayloadChange,
    Alert,
    AuditEntry,
    Payout,
    PayoutLine,
    IdempotentResponse,
)


def database_fingerprint() -> str:
    digest = hashlib.sha256()
    for model in WATCHED:
        rows = list(model.objects.order_by("pk").values())
        digest.update(json.dumps(rows, default=str, sort_keys=True).encode())
    return digest.hexdigest()


@pytest.fixture
def wsgi_app():
    # Django's test client keeps the test's transaction open across requests
    # by not closing connections at request boundaries; do the same here.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(db):
    user = staff("root", None)
    user.is_superuser = True
    user.save()
    client = client_for(user, "admin")
    return {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}


@pytest.fixture
def objects(failed_record, succeeded_record, alert, payout, event):
    """One of each resource, so some generated ids find a row."""


# The live schema, served by the app itself (the view reads no table).
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", get_wsgi_application()
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case, wsgi_app, auth_headers, objects):
    before = database_fingerprint() if case.method == "GET" else ""
    excluded = (
        [positive_data_acceptance]
        if (case.method, case.path) in FREE_FORM_BODIES
        else []
    )
    case.call_and_validate(headers=auth_headers, excluded_checks=excluded)
    if case.method == "GET":
        assert database_fingerprint() == before, f"{case.path} changed a row"
