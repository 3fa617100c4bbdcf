"""Two workers running the same channel's delivery task at the same moment
send the alert once (PostgreSQL: real row locks between connections)."""

import threading

import pytest
from django.db import connection

from integrations import audit
from monitoring.delivery import alert_channel_deliver, alert_deliveries_plan
from monitoring.models import AlertChannel, AlertDelivery
from tests.factories import IntegrationFactory
from tests.monitoring.conftest import channel_add


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_delivery_tasks_send_once(http_receiver):
    integration = IntegrationFactory()
    channel = channel_add(kind=AlertChannel.Kind.SLACK, url=http_receiver.url("/s"))
    for n in range(5):
        audit.alert_raise(
            integration=integration,
            level="critical",
            code="needs_attention",
            message=f"record {n}",
            dedupe_key=f"record:{n}",
        )
    alert_deliveries_plan()
    workers = 8
    barrier = threading.Barrier(workers)
    results = []

    def deliver():
        barrier.wait()
        try:
            results.append(alert_channel_deliver(channel_id=channel.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # every alert sent exactly once, whichever worker won each row
    assert sum(result["sent"] for result in results) == 5
    texts = [body["text"] for body in http_receiver.at("/s")]
    assert sum(text.count("record ") for text in texts) == 5
    assert set(AlertDelivery.objects.values_list("status", "attempts")) == {
        (AlertDelivery.Status.SENT, 1)
    }
