"""ERP price list → Stripe, against the SYSPRO sandbox (INVQPL) and the
Stripe sandbox through the official SDK."""

from decimal import Decimal

import pytest
import stripe

from catalog_sync.models import CatalogLink
from catalog_sync.selectors import catalog_link_for_price
from catalog_sync.services import Action, catalog_sync_run, catalog_sync_scheduled
from integrations.connectors import stripe_api
from integrations.connectors.errors import TransientError
from integrations.models import Alert, AuditEntry
from portal.exceptions import ApplicationError

from .conftest import syspro_model

pytestmark = pytest.mark.django_db


def erp_price(code: str, price: str, *, description: str = "", price_code="T"):
    """Put a stock item on a SYSPRO price list, or change its price there."""
    item, _ = syspro_model("StockItem").objects.update_or_create(
        stock_code=code,
        defaults={
            "description": description or f"Item {code}",
            "selling_price": Decimal(price),
        },
    )
    syspro_model("InventoryPrice").objects.update_or_create(
        stock_item=item,
        price_code=price_code,
        defaults={"selling_price": Decimal(price)},
    )


def erp_remove(code: str, price_code="T") -> None:
    syspro_model("InventoryPrice").objects.filter(
        stock_item__stock_code=code, price_code=price_code
    ).delete()


@pytest.fixture
def sdk(integration):
    """The Stripe sandbox as an outside client sees it."""
    api = stripe_api.stripe_api_for(integration)()
    return api.v1


def stripe_counts(sdk) -> tuple[int, int]:
    products = list(sdk.products.list({"limit": 100}).auto_paging_iter())
    prices = list(sdk.prices.list({"limit": 100}).auto_paging_iter())
    return len(products), len(prices)


def run(integration, *, dry_run=False):
    return catalog_sync_run(integration=integration, dry_run=dry_run)


def test_first_run_creates_products_and_prices_linked_both_ways(integration, sdk):
    # given
    erp_price("CS-100", "12.50", description="Bolt pack")
    erp_price("CS-200", "7.00")

    # when
    plan = run(integration)

    # then
    assert plan.counts == {"create": 2}
    link = CatalogLink.objects.get(integration=integration, erp_item="CS-100")
    assert (link.unit_amount, link.currency, link.price_code) == (1250, "usd", "T")
    price = sdk.prices.retrieve(link.stripe_price)
    product = sdk.products.retrieve(link.stripe_product)
    assert (price.unit_amount, price.currency, price.active) == (1250, "usd", True)
    assert price.product == product.id and product.name == "Bolt pack"
    assert price.metadata["erp_item"] == "CS-100"
    assert price.metadata["erp_price_code"] == "T"
    assert product.metadata["erp_item"] == "CS-100"
    assert sdk.prices.list({"lookup_keys": [price.lookup_key]}).data[0].id == price.id
    assert AuditEntry.objects.filter(action="catalog_sync.create").count() == 2


def test_a_second_run_changes_nothing(integration, sdk):
    erp_price("CS-100", "12.50")
    run(integration)
    before = stripe_counts(sdk)

    plan = run(integration)

    assert plan.changes == () and plan.unchanged == 1
    assert stripe_counts(sdk) == before == (1, 1)


def test_a_run_that_died_before_its_commit_adopts_what_it_made(integration, sdk):
    # given: Stripe holds the product and price, our table lost the link
    erp_price("CS-100", "12.50")
    run(integration)
    CatalogLink.objects.all().delete()

    # when
    plan = run(integration)

    # then: the same product and price are linked again, none is made twice
    assert plan.counts == {"create": 1}
    assert stripe_counts(sdk) == (1, 1)
    link = CatalogLink.objects.get()
    assert sdk.prices.retrieve(link.stripe_price).active


def test_a_changed_erp_price_makes_a_new_price_and_deactivates_the_old(
    integration, sdk
):
    erp_price("CS-100", "12.50")
    run(integration)
    old = CatalogLink.objects.get().stripe_price
    erp_price("CS-100", "13.75")

    plan = run(integration)

    assert [(c.action, c.previous_amount, c.unit_amount) for c in plan.changes] == [
        (Action.NEW_PRICE, 1250, 1375)
    ]
    link = CatalogLink.objects.get()
    new = sdk.prices.retrieve(link.stripe_price)
    assert (new.unit_amount, new.active) == (1375, True)
    old_price = sdk.prices.retrieve(old)
    assert old_price.active is False and old_price.unit_amount == 1250
    # the lookup key moved to the new price: it finds the current one
    current = sdk.prices.list({"lookup_keys": [new.lookup_key]}).data
    assert [p.id for p in current] == [new.id]
    assert run(integration).changes == ()


def test_going_back_to_an_earlier_amount_is_a_new_price_again(integration, sdk):
    erp_price("CS-100", "12.50")
    run(integration)
    erp_price("CS-100", "13.75")
    run(integration)
    erp_price("CS-100", "12.50")

    run(integration)

    link = CatalogLink.objects.get()
    assert sdk.prices.retrieve(link.stripe_price).unit_amount == 1250
    active = list(sdk.prices.list({"active": True}).auto_paging_iter())
    assert [p.id for p in active] == [link.stripe_price]


def test_a_removed_item_is_archived_never_deleted_and_comes_back(integration, sdk):
    erp_price("CS-100", "12.50")
    erp_price("CS-200", "7.00")
    run(integration)
    erp_remove("CS-200")

    plan = run(integration)

    assert [(c.action, c.erp_item) for c in plan.changes] == [
        (Action.ARCHIVE, "CS-200")
    ]
    link = CatalogLink.objects.get(erp_item="CS-200")
    assert link.archived_at is not None
    assert sdk.products.retrieve(link.stripe_product).active is False
    assert sdk.prices.retrieve(link.stripe_price).active is False
    assert run(integration).changes == ()

    # back on the list at the same price: the same product and price return
    erp_price("CS-200", "7.00")
    plan = run(integration)
    assert [c.action for c in plan.changes] == [Action.RESTORE]
    link.refresh_from_db()
    assert link.archived_at is None
    assert sdk.products.retrieve(link.stripe_product).active is True
    assert sdk.prices.retrieve(link.stripe_price).active is True
    assert stripe_counts(sdk) == (2, 2)


def test_a_renamed_item_updates_the_product_only(integration, sdk):
    erp_price("CS-100", "12.50", description="Bolt pack")
    run(integration)
    erp_price("CS-100", "12.50", description="Bolt pack (50)")

    plan = run(integration)

    assert [c.action for c in plan.changes] == [Action.UPDATE]
    link = CatalogLink.objects.get()
    assert sdk.products.retrieve(link.stripe_product).name == "Bolt pack (50)"
    assert stripe_counts(sdk) == (1, 1)


def test_a_dry_run_lists_the_changes_and_changes_nothing(integration, sdk):
    erp_price("CS-100", "12.50")
    erp_price("CS-200", "7.00")
    run(integration)
    erp_price("CS-100", "13.00")
    erp_remove("CS-200")
    erp_price("CS-300", "1.00")
    audits = AuditEntry.objects.count()

    plan = run(integration, dry_run=True)

    assert plan.dry_run
    assert sorted((c.action, c.erp_item) for c in plan.changes) == [
        (Action.ARCHIVE, "CS-200"),
        (Action.CREATE, "CS-300"),
        (Action.NEW_PRICE, "CS-100"),
    ]
    assert stripe_counts(sdk) == (2, 2)
    assert CatalogLink.objects.filter(archived_at__isnull=True).count() == 2
    assert CatalogLink.objects.get(erp_item="CS-100").unit_amount == 1250
    assert AuditEntry.objects.count() == audits


def test_jpy_has_no_minor_unit(integration, sdk):
    integration.options["catalog_sync"] = {"price_code": "T", "currency": "JPY"}
    integration.save(update_fields=["options"])
    erp_price("CS-100", "1500")
    erp_price("CS-200", "99.50")

    plan = run(integration)

    link = CatalogLink.objects.get()
    assert (link.erp_item, link.unit_amount, link.currency) == ("CS-100", 1500, "jpy")
    assert sdk.prices.retrieve(link.stripe_price).unit_amount == 1500
    [refused] = [c for c in plan.changes if c.action == Action.REFUSED]
    assert refused.erp_item == "CS-200"
    assert "99.50 has more decimals than JPY holds (0)" in refused.reason


def test_a_three_decimal_currency_keeps_its_third_place(integration, sdk):
    integration.options["catalog_sync"] = {"price_code": "T", "currency": "kwd"}
    integration.save(update_fields=["options"])
    erp_price("CS-100", "1.234")

    run(integration)

    link = CatalogLink.objects.get()
    assert link.unit_amount == 1234
    price = sdk.prices.retrieve(link.stripe_price)
    assert (price.unit_amount, price.currency) == (1234, "kwd")


def test_a_price_finer_than_the_currency_is_refused_never_rounded(integration, sdk):
    erp_price("CS-100", "12.345")
    erp_price("CS-200", "7.00")

    plan = run(integration)

    refused = [c for c in plan.changes if c.action == Action.REFUSED]
    assert [c.erp_item for c in refused] == ["CS-100"]
    assert "12.345 has more decimals than USD holds (2)" in refused[0].reason
    assert list(CatalogLink.objects.values_list("erp_item", flat=True)) == ["CS-200"]
    assert stripe_counts(sdk) == (1, 1)


def test_the_sync_is_off_by_default(integration):
    integration.options.pop("catalog_sync")
    integration.save(update_fields=["options"])

    with pytest.raises(ApplicationError, match="Catalog sync is off"):
        run(integration)


@pytest.mark.parametrize(
    "option",
    [{"currency": "usd"}, {"price_code": "A", "currency": "dollars"}, "A"],
)
def test_a_malformed_option_is_a_clear_error(integration, option):
    integration.options["catalog_sync"] = option
    integration.save(update_fields=["options"])

    with pytest.raises(ApplicationError, match="catalog_sync"):
        run(integration)


def test_the_scheduled_run_applies_and_alerts_on_a_broken_option(integration, sdk):
    erp_price("CS-100", "12.50")

    assert catalog_sync_scheduled()["create"] == 1
    assert catalog_sync_scheduled() == {"integrations": 1, "failed_integrations": 0}

    integration.options["catalog_sync"] = {"currency": "usd"}
    integration.save(update_fields=["options"])
    assert catalog_sync_scheduled()["failed_integrations"] == 1
    assert Alert.objects.filter(code="catalog_sync_failed").count() == 1


def test_stripe_refuses_a_change_of_a_prices_amount(integration, sdk):
    """Prices are immutable: unit_amount is not an update parameter
    (https://docs.stripe.com/api/prices/update)."""
    erp_price("CS-100", "12.50")
    run(integration)
    link = CatalogLink.objects.get()

    with pytest.raises(stripe.InvalidRequestError):
        sdk.prices.update(link.stripe_price, {"unit_amount": 1300})
    assert sdk.prices.retrieve(link.stripe_price).unit_amount == 1250


def test_a_stripe_price_finds_its_stock_code(integration, sdk):
    erp_price("CS-100", "12.50")
    run(integration)
    link = CatalogLink.objects.get()

    found = catalog_link_for_price(
        integration=integration, stripe_price=link.stripe_price
    )

    assert found == link
    assert catalog_link_for_price(integration=integration, stripe_price="x") is None


def test_a_recurring_price_list_serves_a_new_subscription(integration, sdk):
    # given: the price list published as monthly prices
    integration.options["catalog_sync"] = {
        "price_code": "T",
        "currency": "usd",
        "interval": "month",
    }
    integration.save(update_fields=["options"])
    erp_price("CS-100", "12.50")
    run(integration)
    erp_price("CS-100", "14.00")

    # when: the ERP price changes
    run(integration)

    # then: the current monthly price is the new one, found by its lookup key
    link = CatalogLink.objects.get()
    price = sdk.prices.retrieve(link.stripe_price)
    assert (price.type, price.recurring.interval) == ("recurring", "month")
    [current] = sdk.prices.list({"lookup_keys": [price.lookup_key]}).data
    assert (current.id, current.unit_amount) == (price.id, 1400)
    customer = sdk.customers.create({"email": "buyer@example.com"})
    subscription = sdk.subscriptions.create(
        {
            "customer": customer.id,
            "items": [{"price": current.id}],
            "default_payment_method": "pm_card_visa",
        }
    )
    assert subscription["items"].data[0].price.unit_amount == 1400


def test_switching_to_monthly_replaces_the_one_time_price(integration, sdk):
    erp_price("CS-100", "12.50")
    run(integration)
    old = CatalogLink.objects.get().stripe_price
    integration.options["catalog_sync"]["interval"] = "month"
    integration.save(update_fields=["options"])

    plan = run(integration)

    assert [c.action for c in plan.changes] == [Action.NEW_PRICE]
    assert sdk.prices.retrieve(old).active is False
    link = CatalogLink.objects.get()
    assert sdk.prices.retrieve(link.stripe_price).recurring.interval == "month"


def test_a_new_price_made_by_a_run_that_died_is_adopted_not_made_again(
    integration, sdk
):
    # given: a run made the new price (taking the lookup key over), then died
    # before it deactivated the old one and committed the link
    erp_price("CS-100", "12.50")
    run(integration)
    link = CatalogLink.objects.get()
    old = sdk.prices.retrieve(link.stripe_price)
    made = sdk.prices.create(
        {
            "product": link.stripe_product,
            "currency": "usd",
            "unit_amount": 1375,
            "lookup_key": old.lookup_key,
            "transfer_lookup_key": True,
        }
    )
    erp_price("CS-100", "13.75")

    # when
    run(integration)

    # then
    link.refresh_from_db()
    assert link.stripe_price == made.id
    assert sdk.prices.retrieve(old.id).active is False
    assert stripe_counts(sdk) == (1, 2)


class StripeDown:
    """A Stripe that does not answer."""

    def __getattr__(self, name):
        def call(*args, **kwargs):
            raise TransientError("Stripe: connection refused")

        return call


def test_stripe_down_fails_each_item_writes_no_link_and_the_next_run_catches_up(
    integration, sdk
):
    erp_price("CS-100", "12.50")

    plan = catalog_sync_run(integration=integration, dry_run=False, api=StripeDown())

    assert [(c.action, c.erp_item) for c in plan.changes] == [(Action.FAILED, "CS-100")]
    assert "connection refused" in plan.changes[0].reason
    assert not CatalogLink.objects.exists()
    assert run(integration).counts == {"create": 1}
