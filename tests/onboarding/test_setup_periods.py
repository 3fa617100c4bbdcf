"""The guided setup's business time zone and closed-period rule: chosen with
the other options, a zone that is not an IANA name refused."""

import pytest
from django.urls import reverse

from tests.onboarding.test_setup_views import (  # noqa: F401 (fixtures)
    OPTIONS,
    _erp,
    _start,
    _stripe,
    admin_client,
    sandboxes,
)

pytestmark = pytest.mark.django_db


def _ready(client):
    draft = _start(client)
    _stripe(client, draft)
    _erp(client, draft)
    return draft


def test_the_setup_refuses_a_time_zone_that_is_not_an_iana_name(
    admin_client,  # noqa: F811
):
    draft = _ready(admin_client)

    response = admin_client.post(
        reverse("onboarding:options", args=[draft.pk]),
        {**OPTIONS, "timezone": "SAST", "closed_period": "hold"},
    )

    assert response.status_code == 200
    assert "is not an IANA time zone name" in response.content.decode()
    draft.refresh_from_db()
    assert draft.options_saved_at is None


def test_the_setup_writes_the_zone_and_the_rule_into_the_options(
    admin_client,  # noqa: F811
):
    draft = _ready(admin_client)

    response = admin_client.post(
        reverse("onboarding:options", args=[draft.pk]),
        {**OPTIONS, "timezone": "Africa/Johannesburg", "closed_period": "move"},
    )

    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    options = draft.integration.options
    assert options["timezone"] == "Africa/Johannesburg"
    assert options["closed_period"] == "move"
    page = admin_client.get(reverse("onboarding:options", args=[draft.pk]))
    assert 'value="Africa/Johannesburg"' in page.content.decode()
