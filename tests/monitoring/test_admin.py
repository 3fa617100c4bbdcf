"""The channel admin: the URL is write-only (stored encrypted, never shown
back), refused when the portal would not post to it, and a test message
shows whether a channel works."""

import pytest
from django.urls import reverse

from integrations.models import AuditEntry
from monitoring.models import AlertChannel

pytestmark = pytest.mark.django_db

ADD = reverse("admin:monitoring_alertchannel_add")


def _form(**fields) -> dict:
    return {
        "name": "Ops Slack",
        "kind": "slack",
        "integration": "",
        "min_level": "warning",
        "recipients": "",
        "is_active": "on",
        "new_url": "",
        **fields,
    }


def test_a_slack_channel_keeps_its_url_secret(admin_client, http_receiver):
    url = http_receiver.url("/services/T000/B000/secret-part-XYZ")
    response = admin_client.post(ADD, _form(new_url=url))
    assert response.status_code == 302
    channel = AlertChannel.objects.get()
    assert channel.url == url
    # the change page and the list show the fingerprint, never the URL
    change = admin_client.get(
        reverse("admin:monitoring_alertchannel_change", args=[channel.pk])
    ).content.decode()
    listing = admin_client.get(
        reverse("admin:monitoring_alertchannel_changelist")
    ).content.decode()
    for page in (change, listing):
        assert "secret-part-XYZ" not in page
        assert "/services/T000" not in page
    assert channel.url_fingerprint in listing
    # the audit names the fingerprint only
    entry = AuditEntry.objects.get(action="alert_channel.url_set")
    assert "secret-part-XYZ" not in str(entry.before) + str(entry.after)
    # saving without a new URL keeps it
    admin_client.post(
        reverse("admin:monitoring_alertchannel_change", args=[channel.pk]),
        _form(name="Ops Slack 2"),
    )
    channel.refresh_from_db()
    assert (channel.name, channel.url) == ("Ops Slack 2", url)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"new_url": ""}, "Enter the channel&#x27;s URL."),
        ({"new_url": "http://169.254.169.254/latest"}, "cloud metadata"),
        ({"new_url": "ftp://hooks.example.com/x"}, "Enter an http:// or https:// URL"),
        ({"kind": "apprise", "new_url": "nonsense://x"}, "Apprise does not recognise"),
        # apprise's generic hooks follow the outbound rules like Slack and Teams
        (
            {"kind": "apprise", "new_url": "json://169.254.169.254/latest"},
            "cloud metadata",
        ),
        (
            {"kind": "apprise", "new_url": "forms://10.1.2.3/hook"},
            "private or loopback address",
        ),
        ({"kind": "email", "recipients": ""}, "Enter at least one email address."),
        # the refused address is echoed escaped
        (
            {"kind": "email", "recipients": "a@example.com, <b>"},
            "&#x27;&lt;b&gt;&#x27; is not an email address",
        ),
        (
            {"kind": "email", "recipients": "a@example.com", "new_url": "http://x"},
            "An email channel has no URL.",
        ),
    ],
)
def test_bad_channels_are_refused_with_the_reason(admin_client, fields, error):
    response = admin_client.post(ADD, _form(**fields))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not AlertChannel.objects.exists()


def test_send_a_test_message(admin_client, http_receiver):
    channel = AlertChannel.objects.create(name="Teams", kind="teams")
    channel.url = http_receiver.url("/teams")
    channel.save()
    broken = AlertChannel.objects.create(name="Broken", kind="email", recipients="")
    response = admin_client.post(
        reverse("admin:monitoring_alertchannel_changelist"),
        {"action": "send_test", "_selected_action": [channel.pk, broken.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "Test message sent through 1 channel(s)." in text
    assert "The email channel has no recipients." in text
    assert len(http_receiver.at("/teams")) == 1


def test_a_vendor_apprise_url_is_taken_as_it_is(admin_client):
    url = "discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js"
    response = admin_client.post(ADD, _form(kind="apprise", new_url=url))
    assert response.status_code == 302
    assert AlertChannel.objects.get().url == url
