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


class JournalLineInline(SalesOrderLineInline):
    model = models.JournalLine


@admin.register(models.Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ["custno", "company", "currid", "balance", "seeded"]
    search_fields = ["custno", "company", "email"]


@admin.register(models.SalesOrder)
class SalesOrderAdmin(ReadOnlyAdmin):
    list_display = ["sono", "customer", "ponum", "ordate", "ordamt", "currid"]
    list_select_related = ["customer"]
    search_fields = ["sono", "ponum"]
    inlines = [SalesOrderLineInline]


@admin.register(models.Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["invno", "customer", "ponum", "invamt", "balance"]
    list_select_related = ["customer"]
    search_fields = ["invno", "ponum"]


@admin.register(models.CashReceipt)
class CashReceiptAdmin(ReadOnlyAdmin):
    list_display = ["id", "reference", "customer", "invno", "amount", "bank"]
    list_select_related = ["customer"]
    search_fields = ["reference"]


@admin.register(models.CreditMemo)
class CreditMemoAdmin(ReadOnlyAdmin):
    list_display = ["id", "type", "reference", "customer", "invno", "amount"]
    list_filter = ["type"]
    list_select_related = ["customer"]
    search_fields = ["reference"]


@admin.register(models.JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "reference", "date", "descrip"]
    search_fields = ["reference"]
    inlines = [JournalLineInline]


for model in (models.Item, models.Account, models.Bank):
    admin.site.register(model, ReadOnlyAdmin)
