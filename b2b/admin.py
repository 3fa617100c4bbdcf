"""Staff manage portal companies and invite their buyers here. Portal
orders are read-only: they change through the portal's services only."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from integrations.connectors.errors import ConnectorError
from integrations.erps.registry import connector_for
from portal.money import to_decimal, to_minor

from .models import Buyer, Company, Order, OrderLine
from .services import accounts as account_services


class CompanyForm(forms.ModelForm):
    """The ERP customer is checked in the ERP; its name and currency are
    read from there. The order limit is typed in currency units."""

    order_limit_units = forms.DecimalField(
        label="Order limit",
        required=False,
        min_value=Decimal(0),
        max_digits=15,
        help_text="Largest order a buyer places without an approver, in the "
        "company's currency (e.g. 5000.00); blank or 0: no limit.",
    )

    class Meta:
        model = Company
        fields = ["integration", "erp_customer_code", "price_code", "is_active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.order_limit:
            self.initial["order_limit_units"] = to_decimal(
                self.instance.order_limit, self.instance.currency
            )

    def clean(self):
        cleaned = super().clean()
        integration = cleaned.get("integration")
        code = (cleaned.get("erp_customer_code") or "").strip()
        if integration is None or not code:
            return cleaned
        try:
            customer = connector_for(integration.erp_connection).find_customer(
                code=code
            )
        except ConnectorError as exc:
            raise forms.ValidationError(
                f"The ERP could not be asked about customer {code}: {exc.message}"
            ) from None
        if customer is None:
            self.add_error(
                "erp_customer_code", f"The ERP has no customer with code {code}."
            )
            return cleaned
        self.instance.name = customer.name or code
        self.instance.currency = customer.currency or self.instance.currency or "USD"
        units = cleaned.get("order_limit_units") or Decimal(0)
        try:
            self.instance.order_limit = to_minor(units, self.instance.currency)
        except (ValueError, InvalidOperation):
            self.add_error(
                "order_limit_units",
                f"{units} has more decimals than {self.instance.currency} allows.",
            )
        return cleaned


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    form = CompanyForm
    list_display = ("name", "erp_customer_code", "integration", "currency", "is_active")
    list_filter = ("is_active", "integration")
    search_fields = ("name", "erp_customer_code")
    readonly_fields = ("name", "currency", "stripe_customer", "created_at")
    list_select_related = ("integration",)
    actions = ["view_as"]

    @admin.action(description="View the portal as this company", permissions=["view"])
    def view_as(self, request: HttpRequest, queryset):
        return HttpResponseRedirect(reverse("b2b:view_as"))


class BuyerInviteForm(forms.ModelForm):
    email = forms.EmailField(help_text="The invitation goes to this address.")

    class Meta:
        model = Buyer
        fields = ["company", "role"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if account_services.login_exists(email=email):
            raise forms.ValidationError(
                "This address already has a login; a person belongs to one "
                "company only."
            )
        return email


@admin.register(Buyer)
class BuyerAdmin(admin.ModelAdmin):
    list_display = ("user", "company", "role", "invited_at", "has_password")
    list_filter = ("role", "company")
    search_fields = ("user__email", "company__name", "company__erp_customer_code")
    list_select_related = ("user", "company")
    readonly_fields = ("user", "invited_at", "invited_by")
    actions = ["invite_again"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = BuyerInviteForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ("invited_at", "invited_by") if obj is None else self.readonly_fields

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("email", "company", "role")
        return ("user", "company", "role", "invited_at", "invited_by")

    @admin.display(boolean=True, description="Password set")
    def has_password(self, obj: Buyer) -> bool:
        return obj.user.has_usable_password()

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        buyer = account_services.buyer_invite(
            email=form.cleaned_data["email"],
            company=form.cleaned_data["company"],
            role=form.cleaned_data["role"],
            actor=request.user,
            base_url=request.build_absolute_uri("/"),
        )
        obj.pk, obj.user_id = buyer.pk, buyer.user_id
        obj._state.adding = False
        self.message_user(request, f"Invitation sent to {buyer.user.email}.")

    @admin.action(description="Send the invitation again", permissions=["change"])
    def invite_again(self, request: HttpRequest, queryset):
        sent = sum(
            account_services.buyer_invitation_resend(
                buyer=buyer,
                actor=request.user,
                base_url=request.build_absolute_uri("/"),
            )
            for buyer in queryset.select_related("user", "company")
        )
        self.message_user(request, f"{sent} invitation(s) sent again.")


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = (
        "code",
        "description",
        "unit",
        "quantity",
        "unit_price",
        "amount",
    )

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("__str__", "company", "status", "erp_order_number", "created_at")
    list_filter = ("status", "company")
    search_fields = ("erp_order_number", "po_number", "company__name")
    list_select_related = ("company",)
    inlines = [OrderLineInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
