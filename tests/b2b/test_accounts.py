"""Buyers' accounts: invitation, password, reset, throttling, TOTP, no admin."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from b2b.models import Buyer
from integrations.models import AuditEntry

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet lantern river 42"


def link_in(message) -> str:
    return re.search(r"http://testserver(/portal/\S+)", message.body).group(1)


def test_staff_invite_then_the_buyer_sets_a_password_once(
    client, admin_client, bayside, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:b2b_buyer_add"),
            {
                "email": "New.Buyer@Bayside.example",
                "company": bayside.pk,
                "role": "buyer",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    buyer = Buyer.objects.get(user__email="new.buyer@bayside.example")
    assert not buyer.user.is_staff and not buyer.user.has_usable_password()
    assert AuditEntry.objects.filter(action="b2b.buyer.invite").exists()
    [message] = mail.outbox
    link = link_in(message)

    form_page = client.get(link, follow=True)
    assert "Choose your password" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert client.post(
        reverse("b2b:login"),
        {"username": "new.buyer@bayside.example", "password": NEW_PASSWORD},
    )["Location"] == reverse("b2b:catalog")

    client.logout()
    used = client.get(link, follow=True).content.decode()
    assert "This link has expired" in used


def test_an_address_with_a_login_is_not_invited_again(admin_client, bayside_buyer):
    response = admin_client.post(
        reverse("admin:b2b_buyer_add"),
        {
            "email": bayside_buyer.user.email,
            "company": bayside_buyer.company.pk,
            "role": "buyer",
        },
    )
    assert response.status_code == 200
    assert "already has a login" in response.content.decode()


def test_password_reset_reaches_buyers_only(client, bayside_buyer, admin_user):
    admin_user.email = "admin@ledgerbridge.example"
    admin_user.save()
    for email in (bayside_buyer.user.email, admin_user.email):
        client.post(reverse("b2b:password_reset"), {"email": email})
    [message] = mail.outbox
    assert message.to == [bayside_buyer.user.email]
    page = client.get(link_in(message), follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    bayside_buyer.user.refresh_from_db()
    assert bayside_buyer.user.check_password(NEW_PASSWORD)


def test_staff_cannot_log_in_to_the_portal_and_buyers_not_to_the_admin(
    client, bayside_buyer
):
    get_user_model().objects.create_user(
        "staffer", "staffer@example.com", PASSWORD, is_staff=True
    )
    refused = client.post(
        reverse("b2b:login"), {"username": "staffer", "password": PASSWORD}
    )
    assert refused.status_code == 200 and "correct" in refused.content.decode()

    assert (
        client.post(
            reverse("b2b:login"),
            {"username": bayside_buyer.user.username, "password": PASSWORD},
        ).status_code
        == 302
    )
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302 and "/admin/login/" in admin["Location"]


def test_failed_logins_lock_the_buyer_out(client, bayside_buyer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("b2b:login"),
            {"username": bayside_buyer.user.username, "password": "wrong"},
        )
    locked = client.post(
        reverse("b2b:login"),
        {"username": bayside_buyer.user.username, "password": PASSWORD},
    )
    assert locked.status_code == settings.AXES_HTTP_RESPONSE_CODE


def test_totp_once_on_is_asked_at_every_login(client, bayside_buyer):
    device = TOTPDevice.objects.create(
        user=bayside_buyer.user, name="app", confirmed=True
    )
    credentials = {"username": bayside_buyer.user.username, "password": PASSWORD}
    without = client.post(reverse("b2b:login"), credentials)
    assert "6-digit code" in without.content.decode()
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    assert (
        client.post(
            reverse("b2b:login"), {**credentials, "otp_token": code}
        ).status_code
        == 302
    )


def test_the_next_parameter_never_leaves_the_site(client, bayside_buyer):
    response = client.post(
        f"{reverse('b2b:login')}?next=https://evil.example/",
        {
            "username": bayside_buyer.user.username,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("b2b:catalog")
