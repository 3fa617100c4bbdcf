from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from portal.outbound import OutboundUrlRefused

from .channels import channel_url_check
from .models import AlertChannel


class AlertChannelForm(forms.ModelForm):
    """The URL is write-only: typed to set or replace it, never shown again."""

    new_url = forms.CharField(
        label="Webhook or Apprise URL",
        required=False,
        strip=True,
        max_length=2000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Slack or Teams: the incoming webhook URL they give you. Other "
        "services: an Apprise URL (discord://…, mattermost://…, json://host/path). "
        "Stored encrypted and never shown again; leave blank to keep the "
        "current one.",
    )

    class Meta:
        model = AlertChannel
        fields = [
            "name",
            "kind",
            "integration",
            "min_level",
            "recipients",
            "daily_digest",
            "is_active",
        ]

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        url = data.get("new_url", "")
        if kind == AlertChannel.Kind.EMAIL:
            if url:
                self.add_error("new_url", "An email channel has no URL.")
            recipients = AlertChannel(recipients=data.get("recipients", ""))
            addresses = recipients.recipient_list()
            if not addresses:
                self.add_error("recipients", "Enter at least one email address.")
            for address in addresses:
                try:
                    validate_email(address)
                except ValidationError:
                    self.add_error(
                        "recipients", f"{address!r} is not an email address."
                    )
            return data
        if data.get("daily_digest"):
            self.add_error("daily_digest", "The digest goes to email channels only.")
        if not url and not self.instance.url:
            self.add_error("new_url", "Enter the channel's URL.")
        elif url:
            try:
                channel_url_check(kind, url)
            except OutboundUrlRefused as exc:
                self.add_error("new_url", exc.message)
        return data
