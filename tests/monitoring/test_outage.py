"""An ERP outage injected into the SYSPRO sandbox, through the real intake,
workflow, ledger and connector, raises an alert that arrives by email (a
local SMTP sink) and by webhook (a local HTTP receiver), once."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from integrations.connectors import http
from integrations.erps import registry
from integrations.intake import webhook_event_store
from integrations.models import Alert, SyncRecord
from monitoring.models import AlertDelivery
from monitoring.services import monitoring_run
from sandbox import faults
from tests.factories import IntegrationFactory
from tests.integrations.workflows import stripe_events as se
from tests.support.wsgi import wsgi_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]

HOST = "http://testserver"


@pytest.fixture
def syspro_integration(monkeypatch):
    monkeypatch.setattr(http, "SESSION_FACTORY", lambda c: wsgi_session(HOST))
    faults._cache.clear()
    integration = IntegrationFactory(
        stripe_connection__base_url=f"{HOST}/sandbox/stripe",
        stripe_connection__secrets={"api_key": settings.SANDBOX_STRIPE_API_KEY},
        erp_connection__base_url=f"{HOST}/sandbox/syspro/SYSPROWCFService/Rest",
    )
    yield integration
    faults._cache.clear()
    registry.close_all()


def _deliver_customer(integration, capture) -> SyncRecord:
    event = se.event("customer.created", se.customer("cus_OUTAGE1"))
    with capture(execute=True):
        webhook_event_store(
            integration=integration,
            data=event,
            body=json.dumps(event),
            source="webhook",
        )
    return SyncRecord.objects.get(integration=integration)


def _deliver_alerts(capture, now=None) -> None:
    with capture(execute=True):
        monitoring_run(now=now)


@pytest.mark.parametrize(
    ("fault", "code", "later"),
    [
        # The ERP refuses the login: the ledger raises it at once.
        ({"reject_credentials": True}, "erp_authentication", timedelta(0)),
        # The ERP is down: records retry; past the threshold the rule raises it.
        ({"down": True}, "retry_backlog_age", timedelta(minutes=61)),
    ],
)
def test_an_erp_outage_reaches_people_by_email_and_webhook(
    syspro_integration,
    channels,
    smtp_sink,
    http_receiver,
    django_capture_on_commit_callbacks,
    fault,
    code,
    later,
):
    # given: the ERP sandbox fails
    faults.faults_set("syspro", **fault)
    # when: a Stripe event arrives and the ledger tries the ERP
    record = _deliver_customer(syspro_integration, django_capture_on_commit_callbacks)
    assert record.status == SyncRecord.Status.RETRYING
    # and the scheduled monitoring pass runs (twice: a repeat sends nothing)
    now = timezone.now() + later
    _deliver_alerts(django_capture_on_commit_callbacks, now=now)
    _deliver_alerts(django_capture_on_commit_callbacks, now=now)
    # then: one alert, by email and at each webhook, once
    alert = Alert.objects.get(code=code)
    assert alert.integration == syspro_integration
    assert len(smtp_sink.messages) == 1
    email = smtp_sink.messages[0]
    assert code in email["Subject"]
    assert syspro_integration.name in email.get_payload()
    assert len(http_receiver.at("/slack")) == 1
    assert code in http_receiver.at("/slack")[0]["text"]
    assert len(http_receiver.at("/teams")) == 1
    assert len(http_receiver.at("/apprise")) == 1
    assert set(
        AlertDelivery.objects.filter(alert=alert).values_list("status", flat=True)
    ) == {AlertDelivery.Status.SENT}
