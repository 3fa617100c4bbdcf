"""The admin page: a dry run lists the plan and changes nothing; Apply
applies the same plan; staff without the permission are refused."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog_sync.models import CatalogLink
from integrations.models import AuditEntry

from .conftest import syspro_model

pytestmark = pytest.mark.django_db
URL = "admin:catalog_sync_cataloglink_sync"


@pytest.fixture
def item_on_price_list(integration):
    item = syspro_model("StockItem").objects.create(
        stock_code="CS-100", description="Bolt pack", selling_price=Decimal("12.5")
    )
    syspro_model("InventoryPrice").objects.create(
        stock_item=item, price_code="T", selling_price=Decimal("12.5")
    )


def test_dry_run_lists_the_plan_then_apply_applies_it(
    admin_client, integration, item_on_price_list
):
    # when: the dry run
    response = admin_client.post(
        reverse(URL), {"integration": integration.pk, "dry_run": "Dry run"}
    )

    # then: the plan is on the page and nothing changed
    page = response.content.decode()
    assert response.status_code == 200
    assert "CS-100" in page and "Bolt pack" in page and "12.50 USD" in page
    assert "Apply these changes to Stripe" in page
    assert not CatalogLink.objects.exists()

    # when: applied, with the plan the dry run showed
    fingerprint = response.context["plan"].fingerprint
    response = admin_client.post(
        reverse(URL),
        {"integration": integration.pk, "plan": fingerprint, "apply": "Apply"},
    )

    # then
    assert response.status_code == 200
    assert CatalogLink.objects.get().unit_amount == 1250
    assert AuditEntry.objects.filter(action="catalog_sync.run").exists()
    changelist = admin_client.get(reverse("admin:catalog_sync_cataloglink_changelist"))
    assert "Sync catalog to Stripe (dry run first)" in changelist.content.decode()


def test_an_integration_without_the_option_is_told_so(admin_client, integration):
    integration.options.pop("catalog_sync")
    integration.save(update_fields=["options"])

    response = admin_client.post(
        reverse(URL), {"integration": integration.pk, "dry_run": "Dry run"}
    )

    assert "Catalog sync is off" in response.content.decode()


def test_staff_without_the_permission_are_refused(client, integration):
    user = get_user_model().objects.create_user(
        username="clerk", password="pw-for-the-test-only", is_staff=True
    )
    client.force_login(user)

    response = client.post(
        reverse(URL), {"integration": integration.pk, "apply": "Apply"}
    )

    assert response.status_code == 403
    assert not CatalogLink.objects.exists()


def test_apply_refuses_a_plan_that_moved_since_the_dry_run(
    admin_client, integration, item_on_price_list
):
    # given: a dry run, then the ERP price changes
    response = admin_client.post(
        reverse(URL), {"integration": integration.pk, "dry_run": "Dry run"}
    )
    fingerprint = response.context["plan"].fingerprint
    syspro_model("InventoryPrice").objects.update(selling_price=Decimal("13"))

    # when
    response = admin_client.post(
        reverse(URL),
        {"integration": integration.pk, "plan": fingerprint, "apply": "Apply"},
    )

    # then
    assert "changed since the dry run" in response.content.decode()
    assert not CatalogLink.objects.exists()


def test_apply_without_a_dry_run_runs_the_dry_run(admin_client, integration):
    response = admin_client.post(
        reverse(URL), {"integration": integration.pk, "apply": "Apply"}
    )

    assert "Run the dry run first" in response.content.decode()
    assert response.context["plan"].dry_run
