"""The admin: a dry run lists each field that would change and changes
nothing; Apply applies that plan; staff without the permission are refused;
the field owners are edited per integration."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from customer_sync.models import CustomerSyncSettings, Owner
from integrations.models import AuditEntry

from .conftest import syspro_customer

pytestmark = pytest.mark.django_db
URL = "admin:customer_sync_customersyncstate_sync"


def test_dry_run_lists_each_field_then_apply_applies_it(
    admin_client, integration, sdk, linked
):
    # when: the dry run
    response = admin_client.post(
        reverse(URL), {"integration": integration.pk, "dry_run": "Dry run"}
    )

    # then: every field with Stripe's value and the ERP's, nothing changed
    page = response.content.decode()
    assert response.status_code == 200
    assert "Harbour Cycles (old)" in page and "021 555 0100" in page
    assert "1 Dock Road, Unit 4, Cape Town, WC, 8001, ZA" in page
    assert "Apply these changes to Stripe" in page
    assert sdk.customers.retrieve(linked.stripe_customer_id).name == (
        "Harbour Cycles (old)"
    )

    # when: applied with the dry run's plan
    fingerprint = response.context["plan"].fingerprint
    response = admin_client.post(
        reverse(URL),
        {"integration": integration.pk, "plan": fingerprint, "apply": "Apply"},
    )

    # then
    assert response.status_code == 200
    assert sdk.customers.retrieve(linked.stripe_customer_id).name == "Harbour Cycles"
    run = AuditEntry.objects.get(action="customer_sync.run")
    assert run.actor.username == "admin"
    changelist = admin_client.get(
        reverse("admin:customer_sync_customersyncstate_changelist")
    )
    assert "Sync ERP customers to Stripe (dry run first)" in changelist.content.decode()


def test_apply_without_a_dry_run_only_plans(admin_client, integration, sdk, linked):
    response = admin_client.post(
        reverse(URL), {"integration": integration.pk, "apply": "Apply"}
    )

    assert "Run the dry run first." in response.content.decode()
    assert response.context["plan"].dry_run
    assert sdk.customers.retrieve(linked.stripe_customer_id).name == (
        "Harbour Cycles (old)"
    )


def test_apply_after_the_erp_moved_applies_nothing(
    admin_client, integration, sdk, linked
):
    dry = admin_client.post(
        reverse(URL), {"integration": integration.pk, "dry_run": "Dry run"}
    )
    syspro_customer(name="Harbour Cycles Group")

    response = admin_client.post(
        reverse(URL),
        {
            "integration": integration.pk,
            "plan": dry.context["plan"].fingerprint,
            "apply": "Apply",
        },
    )

    assert "changed since the dry run" in response.content.decode()
    assert sdk.customers.retrieve(linked.stripe_customer_id).name == (
        "Harbour Cycles (old)"
    )


def test_staff_without_the_permission_are_refused(client, integration):
    user = get_user_model().objects.create_user(
        "clerk", password="pw-0123456789", is_staff=True
    )
    client.force_login(user)

    assert client.get(reverse(URL)).status_code == 403


def test_field_owners_are_edited_per_integration(admin_client, integration):
    settings = CustomerSyncSettings.objects.get(integration=integration)
    url = reverse("admin:customer_sync_customersyncsettings_change", args=[settings.pk])
    form = {
        "integration": integration.pk,
        "enabled": "on",
        "name_owner": Owner.ERP,
        "email_owner": Owner.STRIPE,
        "phone_owner": Owner.LATEST,
        "address_owner": Owner.ERP,
        "shipping_owner": Owner.ERP,
        "terms_owner": Owner.ERP,
    }

    response = admin_client.post(url, form)

    assert response.status_code == 302
    settings.refresh_from_db()
    assert (settings.name_owner, settings.email_owner) == (Owner.ERP, Owner.STRIPE)
    bad = admin_client.post(url, form | {"name_owner": "nobody"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
