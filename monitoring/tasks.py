"""django-q2 tasks: take primary keys, load, call a service."""

from . import delivery, digest, services


def run_monitoring() -> dict[str, int]:
    return services.monitoring_run()


def deliver_alerts(channel_pk: int) -> dict[str, int]:
    return delivery.alert_channel_deliver(channel_id=channel_pk)


def send_finance_digest() -> bool:
    return digest.finance_digest_send() is not None
