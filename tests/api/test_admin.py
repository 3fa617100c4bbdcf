"""API tokens in the admin: create for yourself, shown once, revoke."""

import re

import pytest
from django.urls import reverse

from api import services
from api.models import ApiToken

from .conftest import staff

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_works(client, finance):
    client.force_login(finance)
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {"name": "month-end", "scope": "operate", "expires_in_days": 30},
    )
    assert response.status_code == 200
    raw = re.search(rb'value="(lbk_[^"]+)"', response.content).group(1).decode()
    token = ApiToken.objects.get()
    assert token.user == finance and token.scope == "operate"
    # the change page never shows it again
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert raw.encode() not in page.content
    assert (
        client.get("/api/v1/records/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        == 200
    )


def test_a_reviewer_is_not_offered_the_admin_scope(client, finance):
    client.force_login(finance)
    page = client.get(reverse("admin:api_apitoken_add"))
    assert b'value="operate"' in page.content
    assert b'value="admin"' not in page.content
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {"name": "sneaky", "scope": "admin", "expires_in_days": 30},
    )
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_revoke_only_ones_own_tokens(client, finance, finance_peer):
    mine, _ = services.api_token_create(user=finance, name="mine", scope="read")
    theirs, _ = services.api_token_create(
        user=finance_peer, name="theirs", scope="read"
    )
    client.force_login(finance)
    changelist = reverse("admin:api_apitoken_changelist")
    assert b"theirs" not in client.get(changelist).content
    client.post(
        changelist,
        {"action": "revoke", "_selected_action": [mine.pk, theirs.pk]},
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None


def test_staff_without_a_role_may_hold_a_read_token(client):
    user = staff("nemo", None)
    client.force_login(user)
    page = client.get(reverse("admin:api_apitoken_add"))
    assert page.status_code == 200
    assert b'value="read"' in page.content and b'value="operate"' not in page.content
