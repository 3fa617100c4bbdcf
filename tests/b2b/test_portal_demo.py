"""`setup_sandbox` prints buyer logins that work, and is safe to run again."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from b2b.models import Buyer, Company

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("setup_sandbox", "--erp", "syspro", stdout=out)
    return out.getvalue()


def test_setup_sandbox_prints_a_working_buyer_login(client):
    run()
    output = run()
    assert Company.objects.count() == 2 and Buyer.objects.count() == 3
    email, password = re.search(
        r"Portal buyer  (buyer@bayside\.example)  password: (\S+)", output
    ).groups()
    response = client.post(
        reverse("b2b:login"), {"username": email, "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("b2b:catalog")
