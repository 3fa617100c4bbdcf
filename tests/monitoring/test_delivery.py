"""Alerts reach people: email through Django's SMTP backend to a local sink,
Slack, Teams and an apprise JSON webhook to a local HTTP receiver; each alert
once per channel, retried when a channel fails, reminded until acknowledged."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from integrations import audit
from integrations.models import Alert
from monitoring import channels as channels_module
from monitoring.delivery import (
    alert_channel_deliver,
    alert_deliveries_enqueue,
    alert_deliveries_plan,
)
from monitoring.models import AlertChannel, AlertDelivery
from monitoring.services import monitoring_run
from tests.factories import IntegrationFactory
from tests.monitoring.conftest import channel_add

pytestmark = pytest.mark.django_db

Status = AlertDelivery.Status


def _raise(integration, **fields) -> Alert:
    return audit.alert_raise(
        integration=integration,
        level=fields.get("level", "critical"),
        code=fields.get("code", "erp_authentication"),
        message=fields.get("message", f"{integration}: the ERP rejected the login"),
        dedupe_key=fields.get("dedupe_key", f"auth:{integration.pk}"),
    )


def _run(capture, now=None) -> dict:
    with capture(execute=True):
        return monitoring_run(now=now)


def test_an_alert_reaches_every_channel_once(
    integration, channels, smtp_sink, http_receiver, django_capture_on_commit_callbacks
):
    # given
    alert = _raise(integration)
    # when: the scheduled pass runs, then runs again (and the tasks twice)
    _run(django_capture_on_commit_callbacks)
    _run(django_capture_on_commit_callbacks)
    for channel in channels.values():
        alert_channel_deliver(channel_id=channel.pk)
    # then: one email, one message at each webhook
    assert len(smtp_sink.messages) == 1
    email = smtp_sink.messages[0]
    assert email["X-Envelope-To"] == "oncall@example.com"
    assert "erp_authentication" in email["Subject"]
    assert "the ERP rejected the login" in email.get_payload()
    slack = http_receiver.at("/slack")
    assert len(slack) == 1
    assert "the ERP rejected the login" in slack[0]["text"]
    teams = http_receiver.at("/teams")
    assert len(teams) == 1
    card = teams[0]["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert "ERP rejected the login" in card["content"]["body"][1]["text"]
    apprise = http_receiver.at("/apprise")
    assert len(apprise) == 1
    assert "the ERP rejected the login" in apprise[0]["message"]
    deliveries = AlertDelivery.objects.filter(alert=alert)
    assert deliveries.count() == 4
    assert set(deliveries.values_list("status", "attempts")) == {(Status.SENT, 1)}


def test_a_deduplicated_alert_is_delivered_once(
    integration, channels, smtp_sink, http_receiver, django_capture_on_commit_callbacks
):
    # given: the same condition raised three times while open
    first = _raise(integration)
    assert _raise(integration).pk == first.pk
    _run(django_capture_on_commit_callbacks)
    assert _raise(integration).pk == first.pk
    _run(django_capture_on_commit_callbacks)
    # then
    assert Alert.objects.count() == 1
    assert len(smtp_sink.messages) == 1
    assert len(http_receiver.at("/slack")) == 1


def test_two_claims_of_one_channel_send_once(integration, http_receiver):
    # given: a delivery due on one channel
    channel = channel_add(kind=AlertChannel.Kind.SLACK, url=http_receiver.url("/s"))
    _raise(integration)
    alert_deliveries_plan()
    # when: the task runs twice (a retry, or two workers with the same task)
    first = alert_channel_deliver(channel_id=channel.pk)
    second = alert_channel_deliver(channel_id=channel.pk)
    # then
    assert first["sent"] == 1
    assert second == {"sent": 0, "failed": 0, "skipped": 0}
    assert len(http_receiver.at("/s")) == 1


def test_a_delivery_claimed_by_a_live_task_is_not_sent_by_another(
    integration, http_receiver
):
    # given: another task holds the lease (it is sending right now)
    channel = channel_add(kind=AlertChannel.Kind.SLACK, url=http_receiver.url("/s"))
    _raise(integration)
    alert_deliveries_plan()
    AlertDelivery.objects.update(
        status=Status.SENDING,
        lease_token="other",
        lease_expires_at=timezone.now() + timedelta(minutes=1),
    )
    # when
    result = alert_channel_deliver(channel_id=channel.pk)
    # then: nothing sent; once its lease expires (that task died), it is
    assert result["sent"] == 0
    assert http_receiver.at("/s") == []
    later = alert_channel_deliver(
        channel_id=channel.pk, now=timezone.now() + timedelta(minutes=2)
    )
    assert later["sent"] == 1
    assert len(http_receiver.at("/s")) == 1


def test_a_failing_channel_is_retried_with_backoff_then_gives_up(
    integration, http_receiver, settings
):
    settings.ALERT_DELIVERY_MAX_ATTEMPTS = 3
    channel = channel_add(kind=AlertChannel.Kind.SLACK, url=http_receiver.url("/s"))
    _raise(integration)
    alert_deliveries_plan()
    http_receiver.status = 500
    now = timezone.now()
    # when: the webhook fails
    assert alert_channel_deliver(channel_id=channel.pk, now=now)["failed"] == 1
    delivery = AlertDelivery.objects.get()
    # then: failed, with the reason and a time to try again
    assert delivery.status == Status.FAILED
    assert delivery.attempts == 1
    assert "HTTP 500" in delivery.last_error
    assert delivery.next_attempt_at == now + timedelta(seconds=60)
    # not due before then
    assert alert_channel_deliver(channel_id=channel.pk, now=now)["failed"] == 0
    # the second try fails too; the third, the last allowed, gives up
    assert (
        alert_channel_deliver(channel_id=channel.pk, now=now + timedelta(minutes=1))[
            "failed"
        ]
        == 1
    )
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == now + timedelta(minutes=1, seconds=120)
    alert_channel_deliver(channel_id=channel.pk, now=now + timedelta(minutes=5))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.GAVE_UP, 3)
    assert len(http_receiver.at("/s")) == 3


def test_a_retry_succeeds_once_the_channel_is_back(integration, http_receiver):
    channel = channel_add(kind=AlertChannel.Kind.TEAMS, url=http_receiver.url("/t"))
    _raise(integration)
    alert_deliveries_plan()
    http_receiver.status = 503
    now = timezone.now()
    alert_channel_deliver(channel_id=channel.pk, now=now)
    http_receiver.status = 200
    # when: the scheduled pass finds the retry due
    due = alert_deliveries_enqueue(now=now + timedelta(minutes=2))
    result = alert_channel_deliver(
        channel_id=channel.pk, now=now + timedelta(minutes=2)
    )
    # then
    assert due == [channel.pk]
    assert result["sent"] == 1
    delivery = AlertDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        Status.SENT,
        2,
        "",
    )


def test_an_unacknowledged_alert_is_reminded_until_acknowledged(
    integration, http_receiver, settings, admin_user
):
    settings.ALERT_REMINDER_MINUTES = 60
    channel = channel_add(kind=AlertChannel.Kind.SLACK, url=http_receiver.url("/s"))
    alert = _raise(integration)
    now = timezone.now()
    alert_deliveries_plan(now=now)
    alert_channel_deliver(channel_id=channel.pk, now=now)
    # not before the reminder interval
    assert alert_deliveries_plan(now=now + timedelta(minutes=30)) == 0
    # when: an hour passes with nobody on it
    assert alert_deliveries_plan(now=now + timedelta(minutes=61)) == 1
    alert_channel_deliver(channel_id=channel.pk, now=now + timedelta(minutes=61))
    # then: a reminder
    messages = http_receiver.at("/s")
    assert len(messages) == 2
    assert messages[1]["text"].startswith("Reminder: ")
    # when: someone acknowledges it
    assert audit.alert_acknowledge(alert=alert, actor=admin_user)
    # then: no more reminders
    assert alert_deliveries_plan(now=now + timedelta(hours=5)) == 0
    assert len(http_receiver.at("/s")) == 2


def test_a_reminder_planned_before_the_acknowledgement_is_not_sent(
    integration, http_receiver, settings, admin_user
):
    settings.ALERT_REMINDER_MINUTES = 60
    channel = channel_add(kind=AlertChannel.Kind.SLACK, url=http_receiver.url("/s"))
    alert = _raise(integration)
    now = timezone.now()
    alert_deliveries_plan(now=now)
    alert_channel_deliver(channel_id=channel.pk, now=now)
    alert_deliveries_plan(now=now + timedelta(minutes=61))
    # when: acknowledged between planning and sending
    audit.alert_acknowledge(alert=alert, actor=admin_user)
    result = alert_channel_deliver(channel_id=channel.pk, now=now + timedelta(hours=2))
    # then
    assert result == {"sent": 0, "failed": 0, "skipped": 1}
    assert len(http_receiver.at("/s")) == 1


def test_a_resolved_alert_is_neither_sent_nor_reminded(
    integration, http_receiver, settings, admin_user
):
    settings.ALERT_REMINDER_MINUTES = 60
    channel = channel_add(kind=AlertChannel.Kind.SLACK, url=http_receiver.url("/s"))
    alert = _raise(integration)
    alert_deliveries_plan()
    audit.alert_resolve(alert=alert, actor=admin_user)
    assert alert_channel_deliver(channel_id=channel.pk)["skipped"] == 1
    assert alert_deliveries_plan(now=timezone.now() + timedelta(hours=5)) == 0
    assert http_receiver.at("/s") == []


def test_channels_filter_by_integration_and_level(integration, http_receiver):
    other = IntegrationFactory()
    mine = channel_add(
        kind=AlertChannel.Kind.SLACK,
        url=http_receiver.url("/mine"),
        integration=integration,
        min_level=AlertChannel.Level.CRITICAL,
    )
    _raise(integration, level="warning", dedupe_key="w")
    _raise(other, level="critical", dedupe_key="other")
    critical = _raise(integration, level="critical", dedupe_key="c")
    alert_deliveries_plan()
    assert list(AlertDelivery.objects.values_list("alert_id", "channel_id")) == [
        (critical.pk, mine.pk)
    ]


def test_several_alerts_due_together_go_out_as_one_message(integration, http_receiver):
    channel = channel_add(kind=AlertChannel.Kind.SLACK, url=http_receiver.url("/s"))
    for n in range(3):
        _raise(integration, dedupe_key=f"record:{n}", message=f"record {n} failed")
    alert_deliveries_plan()
    assert alert_channel_deliver(channel_id=channel.pk)["sent"] == 3
    (message,) = http_receiver.at("/s")
    assert "3 alerts" in message["text"]
    assert all(f"record {n} failed" in message["text"] for n in range(3))


def test_chat_messages_escape_what_they_echo(integration, http_receiver):
    channel = channel_add(kind=AlertChannel.Kind.SLACK, url=http_receiver.url("/s"))
    teams = channel_add(
        kind=AlertChannel.Kind.TEAMS, url=http_receiver.url("/t"), name="teams"
    )
    _raise(integration, message="<!channel> see [here](https://evil.example) & *now*")
    alert_deliveries_plan()
    alert_channel_deliver(channel_id=channel.pk)
    alert_channel_deliver(channel_id=teams.pk)
    slack_text = http_receiver.at("/s")[0]["text"]
    assert "<!channel>" not in slack_text
    assert "&lt;!channel&gt; see [here](https://evil.example) &amp; *now*" in slack_text
    teams_text = http_receiver.at("/t")[0]["attachments"][0]["content"]["body"][1]
    assert r"\[here\]\(https://evil\.example\)" in teams_text["text"]


def test_the_webhook_url_is_stored_encrypted_with_a_fingerprint(http_receiver):
    url = http_receiver.url("/secret-token-XYZ")
    channel = channel_add(kind=AlertChannel.Kind.SLACK, url=url)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT url FROM monitoring_alertchannel WHERE id = %s", [channel.pk]
        )
        (stored,) = cursor.fetchone()
    assert "secret-token-XYZ" not in stored
    assert AlertChannel.objects.get().url == url
    assert len(channel.url_fingerprint) == 8
    assert channel.url_fingerprint not in url


def test_an_apprise_hook_is_checked_again_when_it_sends(integration, settings):
    # given: a channel stored while its host was allowed
    settings.ERP_PRIVATE_HOSTS = ["10.0.0.0/8"]
    channel = channel_add(kind=AlertChannel.Kind.APPRISE, url="json://10.1.2.3/hook")
    settings.ERP_PRIVATE_HOSTS = []
    _raise(integration)
    alert_deliveries_plan()
    # when
    result = alert_channel_deliver(channel_id=channel.pk)
    # then: refused before apprise connects, with the reason
    assert result["failed"] == 1
    delivery = AlertDelivery.objects.get()
    assert "private or loopback address" in delivery.last_error
    assert "The channel's URL is refused" in delivery.last_error


def test_an_alert_storm_sends_each_channel_one_message(integration, http_receiver):
    channel = channel_add(kind=AlertChannel.Kind.SLACK, url=http_receiver.url("/s"))
    for n in range(45):
        _raise(integration, dedupe_key=f"record:{n}", message=f"record {n} failed")
    alert_deliveries_plan()
    assert alert_channel_deliver(channel_id=channel.pk)["sent"] == 45
    (message,) = http_receiver.at("/s")
    assert "45 alerts" in message["text"]
    assert "… and 25 more alerts in the portal." in message["text"]
    assert AlertDelivery.objects.filter(status=Status.SENT).count() == 45


def test_a_sender_that_breaks_counts_as_a_failed_attempt(
    integration, http_receiver, monkeypatch
):
    channel = channel_add(kind=AlertChannel.Kind.SLACK, url=http_receiver.url("/s"))
    _raise(integration)
    alert_deliveries_plan()

    def broken(channel, message):
        raise KeyError("surprise")

    monkeypatch.setitem(channels_module.SENDERS, AlertChannel.Kind.SLACK, broken)
    assert alert_channel_deliver(channel_id=channel.pk)["failed"] == 1
    delivery = AlertDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 1)
    assert delivery.last_error == "Unexpected error while sending: KeyError"
