"""django-q2 tasks: take primary keys, load, call a service."""

from integrations.models import Integration

from . import accruals, services, sweep
from .models import Payout


def prove_open_payouts() -> int:
    return services.payouts_prove_open()


def prove_payout(payout_pk: int) -> str:
    payout = Payout.objects.select_related("integration").get(pk=payout_pk)
    return services.payout_proof_compute(payout=payout).proof_status


def sweep_missed_events() -> dict[str, int]:
    results = {}
    for integration in Integration.objects.filter(is_active=True):
        run = sweep.events_sweep(integration=integration)
        results[integration.name] = run.ingested
    return results


def accrue_funds_in_transit() -> dict[str, int]:
    """Each active integration's last ended month, accrued once."""
    return accruals.transit_accruals_due()
