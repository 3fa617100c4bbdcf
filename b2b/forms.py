"""Portal forms: input checks only, with messages that say what to fix."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.signals import user_login_failed

from accounts import selectors as staff_selectors
from accounts import services as staff_services

from .models import Order

MAX_QUANTITY = 100_000


class BuyerLoginForm(AuthenticationForm):
    """Email and password, and the authenticator code once one is set up.
    Staff and users of no company are refused with the same words as a
    wrong password, so the form tells nobody which emails are buyers."""

    otp_token = forms.CharField(
        label="Authenticator code",
        required=False,
        max_length=8,
        help_text="Only if you turned on two-factor authentication.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if user.is_staff or not hasattr(user, "buyer"):
            raise self.get_invalid_login_error()
        if not user.buyer.company.is_active:
            raise forms.ValidationError(
                "Your company's portal access is closed. Contact your account manager.",
                code="inactive_company",
            )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        device = staff_selectors.totp_device_confirmed(user=user)
        if device is None:
            return cleaned_data
        token = (cleaned_data.get("otp_token") or "").strip()
        if not token:
            raise forms.ValidationError(
                "Enter the 6-digit code from your authenticator app.",
                code="token_required",
            )
        try:
            user.otp_device = staff_services.totp_token_verify(
                device=device, token=token
            )
        except staff_services.TokenRejected as error:
            # A wrong code counts as a failed login: django-axes locks out
            # code guessing by someone who has the password.
            user_login_failed.send(
                sender=type(self),
                credentials={"username": user.get_username()},
                request=self.request,
            )
            raise forms.ValidationError(error.message, code="invalid_token") from error
        return cleaned_data


class BuyerPasswordResetForm(PasswordResetForm):
    """Reset emails go to buyers only: a staff address gets nothing here."""

    def get_users(self, email):
        return (
            user
            for user in super().get_users(email)
            if not user.is_staff and hasattr(user, "buyer")
        )


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label="Authenticator code",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class CartAddForm(forms.Form):
    code = forms.CharField(max_length=30)
    quantity = forms.IntegerField(
        min_value=1,
        max_value=MAX_QUANTITY,
        error_messages={
            "min_value": "Order at least 1.",
            "max_value": f"Order at most {MAX_QUANTITY:,} at a time.",
            "invalid": "Enter a whole number of units.",
        },
    )


class ReviewForm(forms.Form):
    submission = forms.UUIDField(widget=forms.HiddenInput)
    po_number = forms.CharField(label="Your PO number", max_length=30, required=False)
    ship_to = forms.CharField(
        label="Ship to",
        max_length=205,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Up to 5 lines of 40 characters; blank ships to the address "
        "on your account.",
    )
    requested_date = forms.DateField(
        label="Requested delivery date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    notes = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    payment = forms.ChoiceField(
        choices=Order.Payment.choices,
        initial=Order.Payment.ACCOUNT,
        widget=forms.RadioSelect,
    )

    def __init__(
        self, *args: Any, addresses: Sequence[tuple[str, ...]] = (), **kwargs: Any
    ) -> None:
        """`addresses`: the ERP's ship-to addresses for this company. When it
        has any, the buyer picks one of them; typing one is offered only
        when the ERP has none."""
        super().__init__(*args, **kwargs)
        self.addresses = list(addresses)
        if self.addresses:
            del self.fields["ship_to"]
            self.fields["ship_to_address"] = forms.ChoiceField(
                label="Ship to",
                choices=[
                    (str(index), ", ".join(lines))
                    for index, lines in enumerate(self.addresses)
                ],
                initial="0",
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose one of your addresses."},
            )
            # Rendered where the typed address would have been.
            self.order_fields(
                ["submission", "po_number", "ship_to_address", "requested_date"]
            )

    def clean(self) -> dict:
        data = super().clean()
        chosen = data.pop("ship_to_address", None)
        if self.addresses:
            data["ship_to"] = (
                "\n".join(self.addresses[int(chosen)]) if chosen is not None else ""
            )
        return data

    def clean_ship_to(self) -> str:
        value = self.cleaned_data["ship_to"]
        lines = [line for line in value.splitlines() if line.strip()]
        if len(lines) > 5:
            raise forms.ValidationError("Use at most 5 lines for the address.")
        long = [line for line in lines if len(line.strip()) > 40]
        if long:
            raise forms.ValidationError(
                f"Keep each line to 40 characters (the ERP's limit): {long[0]!r} "
                f"is {len(long[0].strip())}."
            )
        return "\n".join(line.strip() for line in lines)
