from django.contrib import admin

from sandbox.admin import ReadOnlyAdmin

from . import models


class SalesOrderLineInline(admin.TabularInline):
    model = models.SalesOrderLine
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class GlJournalLineInline(SalesOrderLineInline):
    model = models.GlJournalLine


@admin.register(models.Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "currency", "terms_code", "on_hold", "seeded"]
    search_fields = ["code", "name", "email"]


@admin.register(models.StockItem)
class StockItemAdmin(ReadOnlyAdmin):
    list_display = ["stock_code", "description", "selling_price"]


@admin.register(models.InventoryPrice)
class InventoryPriceAdmin(ReadOnlyAdmin):
    list_display = ["stock_item", "price_code", "selling_price"]
    list_filter = ["price_code"]
    list_select_related = ["stock_item"]
    search_fields = ["stock_item__stock_code"]


@admin.register(models.PriceBreak)
class PriceBreakAdmin(ReadOnlyAdmin):
    list_display = ["price", "quantity", "selling_price"]
    list_select_related = ["price__stock_item"]
    search_fields = ["price__stock_item__stock_code"]


@admin.register(models.Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["operator", "user_id", "created_at", "last_used_at", "ended_at"]


@admin.register(models.SalesOrder)
class SalesOrderAdmin(ReadOnlyAdmin):
    list_display = ["sales_order", "customer", "customer_po_number", "order_date"]
    list_select_related = ["customer"]
    search_fields = ["sales_order", "customer_po_number"]
    inlines = [SalesOrderLineInline]


@admin.register(models.ArInvoice)
class ArInvoiceAdmin(ReadOnlyAdmin):
    list_display = [
        "invoice",
        "transaction_type",
        "customer",
        "reference",
        "invoice_value",
        "balance",
    ]
    list_filter = ["transaction_type"]
    list_select_related = ["customer"]
    search_fields = ["invoice", "reference"]


@admin.register(models.ArPayment)
class ArPaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "customer", "payment_value", "unapplied_value", "bank"]
    list_select_related = ["customer"]
    search_fields = ["reference"]


@admin.register(models.ArAdjustment)
class ArAdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "customer", "invoice", "adjustment_value"]
    list_select_related = ["customer"]
    search_fields = ["reference"]


@admin.register(models.GlJournal)
class GlJournalAdmin(ReadOnlyAdmin):
    list_display = ["gl_year", "gl_period", "gl_journal", "journal_reference"]
    search_fields = ["journal_reference"]
    inlines = [GlJournalLineInline]


@admin.register(models.CustomFormValue)
class CustomFormValueAdmin(ReadOnlyAdmin):
    list_display = ["form_type", "key_field", "field_name", "alpha_value"]
    list_filter = ["form_type", "field_name"]
    search_fields = ["key_field", "alpha_value"]


for model in (
    models.Warehouse,
    models.WarehouseItem,
    models.ContractPrice,
    models.Bank,
    models.LedgerCode,
):
    admin.site.register(model, ReadOnlyAdmin)
