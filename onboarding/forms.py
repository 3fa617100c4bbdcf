"""The guided setup's forms: they parse what the person typed and say what
to fix; the services test it against Stripe and the ERP."""

import re

from django import forms
from django.core.validators import RegexValidator

from integrations import currency_accounts, periods
from integrations.erps.registry import ERPS
from integrations.erps.setup_records import OptionSpec
from integrations.models import Integration

from .services import MAX_DRY_RUN_DAYS

# ERP codes: printable, no surrounding or inner white space.
CODE_RE = re.compile(r"^[^\s]+$")


class StartForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Integration name",
        help_text="How people will know it, e.g. “Stripe US ↔ SYSPRO Main”.",
    )


class StripeForm(forms.Form):
    api_key = forms.CharField(
        label="Secret key",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="sk_live_… or sk_test_… (Developers → API keys). Stored "
        "encrypted and never shown again; leave blank to keep the stored key.",
    )
    base_url = forms.CharField(
        label="API address",
        required=False,
        max_length=500,
        help_text="Blank for api.stripe.com; the sandbox's address for a demo.",
    )


class ErpForm(forms.Form):
    """The address and settings of one ERP kind: the same fields the connection
    admin asks for (the ERP package's `settings`)."""

    base_url = forms.CharField(label="Address", max_length=500)

    def __init__(self, *args, kind: str, stored_secrets: tuple[str, ...] = (), **kw):
        super().__init__(*args, **kw)
        self.package = ERPS[kind]
        for setting in self.package.settings:
            if setting.secret:
                keep = (
                    "; blank keeps the stored one"
                    if setting.name in stored_secrets
                    else ""
                )
                self.fields[setting.name] = forms.CharField(
                    label=setting.label,
                    required=not keep,
                    max_length=500,
                    help_text=f"{setting.help_text} Stored encrypted, never shown "
                    f"again{keep}.".strip(),
                    widget=forms.PasswordInput(
                        render_value=False, attrs={"autocomplete": "off"}
                    ),
                )
            else:
                self.fields[setting.name] = forms.CharField(
                    label=setting.label,
                    required=False,
                    max_length=500,
                    help_text=setting.help_text,
                )

    def values(self, *, secret: bool) -> dict[str, str]:
        return {
            s.name: self.cleaned_data.get(s.name, "")
            for s in self.package.settings
            if s.secret is secret
        }


class OptionsForm(forms.Form):
    """One typed field per option the ERP package names, checked against the
    length of the ERP field it is posted into."""

    def __init__(self, *args, specs: tuple[OptionSpec, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = specs
        for spec in specs:
            validators = [RegexValidator(CODE_RE, "A code without spaces.")]
            if spec.choices:
                self.fields[spec.key] = forms.ChoiceField(
                    label=spec.label,
                    help_text=spec.help_text,
                    choices=[
                        (
                            c.code,
                            f"{c.code} — {c.description}" if c.description else c.code,
                        )
                        for c in spec.choices
                    ],
                )
            else:
                self.fields[spec.key] = forms.CharField(
                    label=spec.label,
                    help_text=spec.help_text
                    or f"At most {spec.max_length} characters.",
                    max_length=spec.max_length,
                    validators=validators,
                )


CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


class CurrencyOptionsForm(forms.Form):
    """The currencies the Stripe account charges in and what to do with one
    that has more decimals than the ERP's amount fields (integrations/precision.py)."""

    currencies = forms.CharField(
        required=False,
        help_text="ISO codes the Stripe account charges in, separated by commas "
        "(e.g. USD, KWD); checked against the ERP's amount fields.",
    )
    currency_precision = forms.ChoiceField(
        label="More decimals than the ERP holds",
        choices=[
            ("round", "Round each document, with an explicit rounding line"),
            ("refuse", "Refuse: send the records to needs attention"),
        ],
    )
    customer_currency_policy = forms.ChoiceField(
        label="A charge in another currency than the ERP customer's",
        choices=list(currency_accounts.POLICIES.items()),
        initial=currency_accounts.DEFAULT_POLICY,
        required=False,
        help_text="ERP customers keep one currency. A per-currency account is "
        "a customer of its own in the ERP, made on the first charge in that "
        "currency and linked to the same Stripe customer.",
    )
    currency_account_pattern = forms.CharField(
        label="Per-currency account code",
        required=False,
        max_length=40,
        help_text="{code} is the customer's main ERP code (its last "
        "characters, as many as fit) and {currency} the ISO code, e.g. "
        "{code}-{currency}. Blank: the ERP's default. Checked against the "
        "ERP's customer code length when saved.",
    )

    def clean_currencies(self) -> list[str]:
        codes = [
            code.strip().upper()
            for code in self.cleaned_data["currencies"].split(",")
            if code.strip()
        ]
        wrong = [code for code in codes if not CURRENCY_RE.match(code)]
        if wrong:
            raise forms.ValidationError(
                f"Not ISO currency codes: {', '.join(wrong)}. Use three letters."
            )
        return sorted(set(codes))


class PeriodOptionsForm(forms.Form):
    """The business day and the ERP's closed periods (integrations/periods.py)."""

    timezone = forms.CharField(
        label="Business time zone",
        required=False,
        help_text="IANA name, e.g. Africa/Johannesburg: every date sent to the "
        "ERP is this zone's day of the Stripe time (Stripe's days end at "
        "midnight UTC). Blank: the portal's time zone.",
    )
    closed_period = forms.ChoiceField(
        label="Posting into a closed ERP period",
        choices=[
            (periods.HOLD, "Hold the record with the reason"),
            (periods.MOVE, "Date it the first day of the next open period"),
        ],
        initial=periods.HOLD,
        required=False,
    )

    def clean_timezone(self) -> str:
        value = self.cleaned_data["timezone"].strip()
        problem = periods.timezone_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


class GoLiveForm(forms.Form):
    flows = forms.MultipleChoiceField(
        choices=Integration.Flow.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The webhook endpoint will receive exactly these flows' events.",
    )
    days = forms.IntegerField(
        label="Dry run over the last … days",
        min_value=1,
        max_value=MAX_DRY_RUN_DAYS,
        initial=7,
    )
