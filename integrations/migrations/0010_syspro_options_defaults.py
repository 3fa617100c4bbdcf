"""SYSPRO integrations set up before the SYSPRO options changes (issue 15).

Their options may hold `payment_type: "CC"`, which SYSPRO refuses (ARSTPYDOC
PaymentType is C check, S cash or O other:
https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/ARPrimaryPosting/PostARPaymentsAdjustmentsAndMiscellaneousReceipts/ARSTPYDOC.vb),
and lack the options a company must now supply. CC becomes O and each missing
option gets the default it had when this migration was written. The values
are copied here, not imported from the SYSPRO package, so that the migration
does what it did on the day it was written whatever the package says later.
A value the integration already holds is kept. The reverse is a no-op: the
options it fills are ones the code reads as these same defaults.
"""

from django.db import migrations

REFUSED_PAYMENT_TYPES = {"CC"}
# integrations/erps/syspro/templates.py DEFAULT_OPTIONS_SYSPRO and
# integrations/erps/spec.py DEFAULT_OPTIONS as of this migration.
SYSPRO_DEFAULTS = {
    "payment_type": "O",
    "product_class": "STRP",
    "adjustment_product_class": "",
    "misc_product_class": "_OTH",
    "misc_charge_code": "",
    "uom": "EA",
    "journal_type": "N",
    "currency_precision": "round",
    "currencies": [],
}


def syspro_options_defaults(apps, schema_editor) -> None:
    Integration = apps.get_model("integrations", "Integration")
    integrations = Integration.objects.filter(erp_connection__kind="syspro")
    for integration in integrations.order_by("pk"):
        options = dict(integration.options or {})
        if str(options.get("payment_type", "")).strip().upper() in (
            REFUSED_PAYMENT_TYPES
        ):
            del options["payment_type"]
        for name, default in SYSPRO_DEFAULTS.items():
            if name not in options:
                options[name] = list(default) if isinstance(default, list) else default
        if options != (integration.options or {}):
            integration.options = options
            integration.save(update_fields=["options"])


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0009_alert_acknowledged"),
    ]

    operations = [
        migrations.RunPython(syspro_options_defaults, migrations.RunPython.noop),
    ]
