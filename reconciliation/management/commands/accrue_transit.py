"""python manage.py accrue_transit --integration ID [--period CCYY-MM]"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from integrations.connectors import stripe_api as stripe_connector
from integrations.models import Integration
from portal.exceptions import ApplicationError
from portal.money import money_format
from reconciliation.accruals import (
    Period,
    transit_accruals_post,
    transit_period_last_closed,
)


class Command(BaseCommand):
    help = (
        "Accrue the Stripe payouts in transit at a period end (dated its last day) "
        "and reverse them on the next period's first day. Runs once per period."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--integration", required=True, help="Integration id or name"
        )
        parser.add_argument(
            "--period",
            help="CCYY-MM in the integration's business time zone; default: "
            "the last month that has ended",
        )

    def handle(self, *args, **options) -> None:
        key = options["integration"]
        integration = Integration.objects.filter(
            **({"pk": int(key)} if key.isdigit() else {"name": key})
        ).first()
        if integration is None:
            raise CommandError(f"No integration {key!r}")
        try:
            period = (
                Period.of_text(options["period"])
                if options["period"]
                else transit_period_last_closed(integration=integration)
            )
            accruals = transit_accruals_post(
                integration=integration,
                period=period,
                stripe_api=stripe_connector.stripe_api_for(integration)(),
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if not accruals:
            self.stdout.write(f"{period.label}: no payouts in transit.")
        for accrual in accruals:
            self.stdout.write(
                f"{accrual.period} {accrual.currency}: "
                f"{money_format(accrual.amount, accrual.currency)} in transit "
                f"({len(accrual.payouts)} payouts), accrued {accrual.accrual_date}, "
                f"reversed {accrual.reversal_date}"
            )
