"""The guided setup's per-currency account options: chosen with the other
options, a code pattern that cannot fit the ERP's customer codes refused."""

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


def test_the_setup_refuses_a_pattern_too_long_for_the_erps_customer_codes(
    admin_client,  # noqa: F811
):
    draft = _start(admin_client)
    _stripe(admin_client, draft)
    _erp(admin_client, draft)

    response = admin_client.post(
        reverse("onboarding:options", args=[draft.pk]),
        {
            **OPTIONS,
            "customer_currency_policy": "per_currency_account",
            "currency_account_pattern": "{code}-CUR-{currency}",
        },
    )

    assert response.status_code == 200
    assert "at most 7 characters" in response.content.decode()
    draft.refresh_from_db()
    assert draft.options_saved_at is None


def test_the_setup_writes_the_policy_and_pattern_into_the_options(
    admin_client,  # noqa: F811
):
    draft = _start(admin_client)
    _stripe(admin_client, draft)
    _erp(admin_client, draft)

    response = admin_client.post(
        reverse("onboarding:options", args=[draft.pk]),
        {
            **OPTIONS,
            "customer_currency_policy": "per_currency_account",
            "currency_account_pattern": "{currency}{code}",
        },
    )

    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    options = draft.integration.options
    assert options["customer_currency_policy"] == "per_currency_account"
    assert options["currency_account_pattern"] == "{currency}{code}"
