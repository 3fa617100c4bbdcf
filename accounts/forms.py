from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed

from . import selectors, services


def _token_field(*, required: bool, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label="Authenticator code",
        required=required,
        max_length=8,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class StaffAuthenticationForm(AdminAuthenticationForm):
    """Username and password, and the TOTP code once the user has a device."""

    otp_token = _token_field(
        required=False, help_text="Only if two-factor authentication is on for you."
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        device = selectors.totp_device_confirmed(user=user)
        if device is None:
            return cleaned_data
        token = cleaned_data.get("otp_token") or ""
        if not token.strip():
            raise forms.ValidationError(
                "Enter the 6-digit code from your authenticator app.",
                code="token_required",
            )
        try:
            # django-otp's login signal handler marks the session verified
            # with the device set here.
            user.otp_device = services.totp_token_verify(device=device, token=token)
        except services.TokenRejected as error:
            # Count a wrong code as a failed login, so django-axes locks out
            # code guessing by someone who has the password.
            user_login_failed.send(
                sender=type(self),
                credentials={"username": user.get_username()},
                request=self.request,
            )
            raise forms.ValidationError(error.message, code="invalid_token") from error
        return cleaned_data


class TokenForm(forms.Form):
    otp_token = _token_field(required=True)
