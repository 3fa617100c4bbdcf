"""Staff accounts: login lockout (django-axes) and TOTP two-factor (django-otp)."""

import io
import os
import re
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from accounts.client_ip import client_ip_address
from integrations.models import AuditEntry
from integrations.roles import FINANCE_REVIEWERS, INTEGRATION_ADMINS

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN_URL = "/admin/login/"
ROOT = Path(__file__).resolve().parents[2]


def _staff(username: str, group: str | None = None, **extra) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def _device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift,
    )
    return f"{value:0{device.digits}d}"


def _wrong_code(device: TOTPDevice) -> str:
    return f"{(int(_code(device)) + 1) % 10**device.digits:0{device.digits}d}"


def _frozen_clock():
    # Frozen at the real time, so sessions made inside outlive the block.
    return freeze_time(timezone.now())


def _login(client, username: str, password: str = PASSWORD, **extra):
    data = {"username": username, "password": password, "next": "/admin/"}
    data.update(extra.pop("data", {}))
    return client.post(LOGIN_URL, data, **extra)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# Lockout


def test_repeated_failed_logins_lock_the_account_out(client, settings):
    _staff("alice")

    # given: one failure short of the limit
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "alice", "wrong").status_code == 200
    # when: the last allowed failure
    response = _login(client, "alice", "wrong")
    # then: the lockout page, and the right password is refused too
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    response = _login(client, "alice")
    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.content.decode()
    assert not _logged_in(client)


def test_a_lockout_ends_after_the_cool_off(client, settings):
    _staff("alice")
    with _frozen_clock() as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _login(client, "alice", "wrong")
        assert _login(client, "alice").status_code == 429

        clock.tick(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
        assert _login(client, "alice").status_code == 302
    assert _logged_in(client)


def test_a_successful_login_resets_the_failure_count(client, settings):
    _staff("alice")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "alice", "wrong")
    assert _login(client, "alice").status_code == 302
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "alice", "wrong").status_code == 200
    assert _login(client, "alice").status_code == 302


def test_a_lockout_holds_for_one_username_from_one_address(client, settings):
    _staff("alice")
    _staff("bob")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "alice", "wrong", REMOTE_ADDR="203.0.113.7")

    assert _login(client, "bob", REMOTE_ADDR="203.0.113.7").status_code == 302
    client.logout()
    assert _login(client, "alice", REMOTE_ADDR="198.51.100.4").status_code == 302


def test_forwarded_address_is_used_only_behind_configured_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.CLIENT_IP_PROXY_COUNT = 0
    assert client_ip_address(request) == "10.0.0.1"
    settings.CLIENT_IP_PROXY_COUNT = 1
    assert client_ip_address(request) == "203.0.113.9"
    settings.CLIENT_IP_PROXY_COUNT = 3
    assert client_ip_address(request) == "10.0.0.1"


def test_locked_out_by_a_forwarded_address_behind_a_proxy(client, settings):
    settings.CLIENT_IP_PROXY_COUNT = 1
    _staff("alice")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "alice", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7")

    locked = _login(client, "alice", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert locked.status_code == 429
    assert (
        _login(client, "alice", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 302
    )


# TOTP at login


def test_a_user_with_a_device_needs_a_code_to_log_in(client):
    device = _device(_staff("fran", FINANCE_REVIEWERS))

    with _frozen_clock() as clock:
        missing = _login(client, "fran")
        assert missing.status_code == 200
        assert "Enter the 6-digit code" in missing.content.decode()
        wrong = _login(client, "fran", data={"otp_token": _wrong_code(device)})
        assert wrong.status_code == 200
        assert "That code is not valid" in wrong.content.decode()
        assert not _logged_in(client)

        # django-otp throttles the device for a second after a wrong code
        clock.tick(timedelta(seconds=2))
        response = _login(client, "fran", data={"otp_token": _code(device)})
    assert response.status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_user_without_a_device_logs_in_with_a_password(client):
    _staff("fran", FINANCE_REVIEWERS)
    form = client.get(LOGIN_URL).content.decode()
    assert 'name="otp_token"' in form
    assert _login(client, "fran").status_code == 302
    assert _logged_in(client)


def test_wrong_codes_count_towards_the_lockout(client, settings):
    device = _device(_staff("ada", INTEGRATION_ADMINS))
    with _frozen_clock() as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert (
                _login(client, "ada", data={"otp_token": _wrong_code(device)})
            ).status_code == 200
            clock.tick(timedelta(minutes=2))
        last = _login(client, "ada", data={"otp_token": _wrong_code(device)})
    assert last.status_code == 429


# Required for Integration admins and superusers


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True


CHANGELIST = "admin:integrations_syncrecord_changelist"


@pytest.mark.usefixtures("otp_required")
@pytest.mark.parametrize("role", ["integration_admin", "superuser"])
def test_an_admin_without_a_device_is_sent_to_set_one_up(client, role):
    if role == "superuser":
        user = _staff("root", is_superuser=True)
    else:
        user = _staff("ada", INTEGRATION_ADMINS)
    client.force_login(user)

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('admin:two_factor')}?next=%2Fadmin%2Fintegrations%2Fsyncrecord%2F"
    )
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.usefixtures("otp_required")
def test_an_admin_sets_up_a_device_and_reaches_the_changelist(client):
    user = _staff("ada", INTEGRATION_ADMINS)
    client.force_login(user)
    url = f"{reverse('admin:two_factor')}?next={reverse(CHANGELIST)}"

    with _frozen_clock() as clock:
        page = client.get(url)
        assert page.status_code == 200
        assert "<svg" in page.content.decode()
        pending = TOTPDevice.objects.get(user=user, confirmed=False)

        wrong = client.post(url, {"otp_token": _wrong_code(pending)})
        assert wrong.status_code == 200
        assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

        clock.tick(timedelta(seconds=2))
        response = client.post(
            url, {"otp_token": _code(pending), "next": reverse(CHANGELIST)}
        )

    assert response.status_code == 302
    assert response["Location"] == reverse(CHANGELIST)
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse(CHANGELIST)).status_code == 200
    assert AuditEntry.objects.filter(
        action="otp_device_confirm", target_id=str(user.pk)
    ).exists()


@pytest.mark.usefixtures("otp_required")
def test_an_admin_with_a_device_passes_the_code_step(client):
    user = _staff("ada", INTEGRATION_ADMINS)
    device = _device(user)
    client.force_login(user)

    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:two_factor_verify"))

    verify = reverse("admin:two_factor_verify")
    with _frozen_clock() as clock:
        wrong = client.post(verify, {"otp_token": _wrong_code(device)})
        assert wrong.status_code == 200
        assert "That code is not valid" in wrong.content.decode()
        assert client.get(reverse(CHANGELIST)).status_code == 302

        clock.tick(timedelta(seconds=2))
        right = client.post(
            verify, {"otp_token": _code(device), "next": reverse(CHANGELIST)}
        )
    assert right["Location"] == reverse(CHANGELIST)
    assert client.get(reverse(CHANGELIST)).status_code == 200


@pytest.mark.usefixtures("otp_required")
def test_an_admin_logs_in_with_password_and_code(client):
    device = _device(_staff("ada", INTEGRATION_ADMINS))
    with _frozen_clock():
        response = _login(client, "ada", data={"otp_token": _code(device)})
    assert response.status_code == 302
    assert client.get(reverse(CHANGELIST)).status_code == 200


@pytest.mark.usefixtures("otp_required")
def test_a_code_is_spent_once(client):
    device = _device(_staff("ada", INTEGRATION_ADMINS))
    with _frozen_clock():
        code = _code(device)
        assert _login(client, "ada", data={"otp_token": code}).status_code == 302
        client.logout()
        replay = _login(client, "ada", data={"otp_token": code})
    assert replay.status_code == 200
    assert not _logged_in(client)


@pytest.mark.usefixtures("otp_required")
def test_a_finance_reviewer_is_offered_two_factor_not_forced(client):
    client.force_login(_staff("fran", FINANCE_REVIEWERS))

    assert client.get(reverse(CHANGELIST)).status_code == 200
    index = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("admin:two_factor")}"' in index


def test_admins_are_not_forced_without_the_setting(client, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = False
    client.force_login(_staff("ada", INTEGRATION_ADMINS))
    assert client.get(reverse(CHANGELIST)).status_code == 200
    assert client.get(reverse("admin:two_factor")).status_code == 200


@pytest.mark.usefixtures("otp_required")
def test_webhooks_and_sandboxes_are_not_redirected(client):
    client.force_login(_staff("ada", INTEGRATION_ADMINS))
    url = reverse("stripe-webhook", args=[str(uuid.uuid4())])
    assert client.get(reverse(CHANGELIST)).status_code == 302

    delivery = client.post(url, b"{}", content_type="application/json")
    sandbox = client.get("/sandbox/stripe/v1/customers")

    assert delivery.status_code != 302
    assert sandbox.status_code != 302


@pytest.mark.usefixtures("otp_required")
def test_an_unverified_admin_can_still_log_out(client):
    client.force_login(_staff("ada", INTEGRATION_ADMINS))
    assert client.get(reverse(CHANGELIST)).status_code == 302
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert not _logged_in(client)


def test_production_settings_require_two_factor_for_admins():
    # A fresh interpreter: the settings module is chosen once per process.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "OTP_", "FIELD_ENCRYPTION"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DJANGO_SECRET_KEY="a" * 60,
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
    )
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.OTP_REQUIRED_FOR_ADMINS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr


# The set-up page


def test_the_set_up_page_has_no_inline_script(client):
    client.force_login(_staff("fran", FINANCE_REVIEWERS))

    page = client.get(reverse("admin:two_factor")).content.decode()

    assert re.search(r"<svg[^>]*>.*</svg>", page, re.S)
    assert "otpauth://" not in page
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all(" src=" in tag for tag in scripts)
    assert not re.search(r"\son[a-z]+=", page)
    assert "<img" not in page


def test_removing_a_device_needs_a_current_code(client):
    user = _staff("fran", FINANCE_REVIEWERS)
    device = _device(user)
    client.force_login(user)
    url = reverse("admin:two_factor")

    with _frozen_clock() as clock:
        assert client.post(url, {"otp_token": _wrong_code(device)}).status_code == 200
        assert TOTPDevice.objects.filter(pk=device.pk).exists()

        clock.tick(timedelta(seconds=2))
        response = client.post(url, {"otp_token": _code(device)})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    # and a new one is offered in its place
    assert "<svg" in client.get(url).content.decode()


# An administrator's reset


def test_otp_reset_removes_a_users_devices_with_an_audit_entry():
    user = _staff("ada", INTEGRATION_ADMINS)
    _device(user)
    out = io.StringIO()

    call_command("otp_reset", "ada", stdout=out)
    call_command("otp_reset", "ada", stdout=out)

    assert not TOTPDevice.objects.filter(user=user).exists()
    assert "Removed 1 TOTP device(s) of ada." in out.getvalue()
    assert "ada has no TOTP device." in out.getvalue()
    assert (
        AuditEntry.objects.filter(
            action="otp_device_reset", target_id=str(user.pk)
        ).count()
        == 1
    )


def test_axes_reset_username_lifts_a_lockout(client, settings):
    _staff("alice")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "alice", "wrong")

    call_command("axes_reset_username", "alice", stdout=io.StringIO())

    assert _login(client, "alice").status_code == 302
