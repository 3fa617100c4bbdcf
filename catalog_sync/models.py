"""The link between an ERP stock item and its Stripe Product and Price.

One row per integration, item, price code and currency. The same link is
written on the Stripe side too (metadata `erp_item` and `erp_price_code`, and
the price's lookup key), so either side finds the other.
"""

from django.db import models

from integrations.models import Integration


class CatalogLink(models.Model):
    integration = models.ForeignKey(
        Integration, on_delete=models.PROTECT, related_name="catalog_links"
    )
    erp_item = models.CharField(max_length=60, help_text="ERP stock code.")
    price_code = models.CharField(max_length=10)
    currency = models.CharField(max_length=3, help_text="ISO code, lower case.")
    name = models.CharField(
        max_length=250, help_text="The product name last sent to Stripe."
    )
    stripe_product = models.CharField(max_length=255)
    stripe_price = models.CharField(
        max_length=255, help_text="The current (active) price."
    )
    interval = models.CharField(
        max_length=5,
        blank=True,
        default="",
        help_text="Recurring interval of the price; blank for a one-time price.",
    )
    unit_amount = models.BigIntegerField(
        help_text="The current price in the currency's minor units."
    )
    synced_at = models.DateTimeField()
    archived_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the item left the price list."
    )

    class Meta:
        ordering = ["integration", "erp_item"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "erp_item", "price_code", "currency"],
                name="catalog_link_unique_item_price",
            )
        ]
        indexes = [models.Index(fields=["stripe_price"])]
        permissions = [("sync_catalog", "Can sync the ERP catalog to Stripe")]

    def __str__(self) -> str:
        return f"{self.erp_item} ({self.price_code}/{self.currency})"
