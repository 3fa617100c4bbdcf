"""Personal API tokens: hashed, shown once, expiring, revocable, scoped by role."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.test import APIClient

from api import services
from api.models import ApiToken
from api.scopes import scopes_allowed_for
from integrations.models import AuditEntry
from portal.exceptions import ApplicationError

from .conftest import client_for, staff

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_only_a_keyed_hash_is_stored(finance):
    token, raw = services.api_token_create(user=finance, name="cli", scope="read")
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw.startswith(f"lbk_{stored.prefix}_")
    assert raw not in stored.digest and stored.digest != raw
    assert len(stored.digest) == 64
    assert AuditEntry.objects.filter(action="api_token.created").count() == 1
    assert bearer(raw).get("/api/v1/records/").status_code == 200


def test_a_wrong_secret_with_a_real_prefix_is_refused(finance):
    token, raw = services.api_token_create(user=finance, name="cli", scope="read")
    forged = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    response = bearer(forged).get("/api/v1/records/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Bearer"


def test_no_credentials_get_401_in_the_error_shape(db):
    response = APIClient().get("/api/v1/records/")
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
        }
    }


def test_an_expired_token_is_refused(finance):
    _, raw = services.api_token_create(
        user=finance,
        name="cli",
        scope="read",
        expires_at=timezone.now() + timedelta(days=1),
    )
    with freeze_time(timezone.now() + timedelta(days=2)):
        assert bearer(raw).get("/api/v1/records/").status_code == 401


def test_a_revoked_token_is_refused(finance):
    token, raw = services.api_token_create(user=finance, name="cli", scope="read")
    assert services.api_token_revoke(token=token, actor=finance) is True
    assert services.api_token_revoke(token=token, actor=finance) is False
    assert bearer(raw).get("/api/v1/records/").status_code == 401


def test_a_token_stops_working_when_its_owner_leaves_the_staff(finance):
    _, raw = services.api_token_create(user=finance, name="cli", scope="read")
    finance.is_staff = False
    finance.save()
    assert bearer(raw).get("/api/v1/records/").status_code == 401


def test_expiry_is_required_to_be_within_a_year(finance):
    with pytest.raises(ApplicationError):
        services.api_token_create(
            user=finance,
            name="cli",
            scope="read",
            expires_at=timezone.now() + timedelta(days=400),
        )
    with pytest.raises(ApplicationError):
        services.api_token_create(
            user=finance,
            name="cli",
            scope="read",
            expires_at=timezone.now() - timedelta(days=1),
        )


def test_scopes_follow_the_admin_roles(finance, integration_admin):
    # given: a reviewer, an admin and a staff member with no role
    nobody = staff("nemo", None)
    # then
    assert scopes_allowed_for(user=finance) == ["read", "operate"]
    assert scopes_allowed_for(user=integration_admin) == [
        "read",
        "operate",
        "admin",
    ]
    assert scopes_allowed_for(user=nobody) == ["read"]
    with pytest.raises(ApplicationError):
        services.api_token_create(user=finance, name="x", scope="admin")


def test_a_read_token_cannot_act(reader, failed_record):
    response = reader.post(f"/api/v1/records/{failed_record.pk}/retry/", {})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"


def test_an_operate_token_cannot_do_admin_things(operator, integration):
    response = operator.post(f"/api/v1/integrations/{integration.pk}/resume/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"


def test_a_token_never_exceeds_its_owners_role(integration, failed_record):
    # given: an admin-scope token of a superuser who then loses the flag and
    # has no group: the role, not the scope, decides
    user = staff("sam", None)
    user.is_superuser = True
    user.save()
    client = client_for(user, "admin")
    user.is_superuser = False
    user.save()
    # then
    assert client.get("/api/v1/records/").status_code == 403
    assert client.post(f"/api/v1/records/{failed_record.pk}/retry/").status_code == 403


def test_a_finance_reviewer_cannot_resume_an_integration_or_see_connections(
    finance, integration
):
    # A reviewer's best token is operate: connections and secrets are admin
    # matters, and the API has no endpoint that returns a secret at all.
    client = client_for(finance, "operate")
    assert (
        client.post(f"/api/v1/integrations/{integration.pk}/resume/").status_code == 403
    )
    body = client.get(f"/api/v1/integrations/{integration.pk}/").json()
    assert "stripe_connection" not in body and "erp_connection" not in body
    assert "secret" not in str(body).lower()


@override_settings(
    REST_FRAMEWORK={
        "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
        "DEFAULT_THROTTLE_RATES": {"api": "3/min"},
    }
)
def test_rate_limit_is_per_token(finance):
    # given: two tokens of one person, and a limit of three a minute
    cache.clear()
    first = client_for(finance, "read")
    second = client_for(finance, "read")
    # when
    statuses = [first.get("/api/v1/alerts/").status_code for _ in range(4)]
    # then
    assert statuses == [200, 200, 200, 429]
    limited = first.get("/api/v1/alerts/")
    assert limited.json()["error"]["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0
    assert second.get("/api/v1/alerts/").status_code == 200
