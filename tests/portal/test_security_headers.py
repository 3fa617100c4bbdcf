"""The Content-Security-Policy of the portal, and no inline code it would block."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from integrations.models import SyncRecord, WebhookEvent
from mapping.models import MappingSet
from mapping.services import mapping_defaults_install
from reconciliation.models import GlAccounts, JournalPosting, Payout, PayoutLine

pytestmark = pytest.mark.django_db

PROJECT_PACKAGES = (
    "accounts",
    "integrations",
    "mapping",
    "reconciliation",
    "portal",
    "sandbox",
)
# Script types a browser runs; a data block (application/json) is not code.
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in parts}


class _InlineCode(HTMLParser):
    """Collect what a policy without 'unsafe-inline' blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: value or "" for name, value in attrs}
        script_type = named.get("type", "").lower()
        if tag == "script" and not named.get("src"):
            self._in_script = script_type in EXECUTABLE_SCRIPT_TYPES
            if self._in_script:
                self.scripts.append("<script> without src")
        if tag == "style":
            self.styles.append("<style> element")
        for name, value in named.items():
            if name.startswith("on"):
                self.scripts.append(f"<{tag} {name}={value!r}>")
            elif name == "style":
                self.styles.append(f"<{tag} style={value!r}>")
            elif name == "href" and value.strip().lower().startswith("javascript:"):
                self.scripts.append(f"<{tag} href={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.scripts[-1] += f": {data.strip()[:60]!r}"


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw")


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def portal_data(integration):
    """One row of each main model, so their change forms render."""
    mapping_defaults_install(integration=integration)
    event = WebhookEvent.objects.create(
        integration=integration,
        stripe_id="evt_csp",
        type="charge.succeeded",
        body='{"id": "evt_csp"}',
    )
    record = SyncRecord.objects.create(
        integration=integration,
        event=event,
        operation=SyncRecord.Operation.POST_PAYMENT,
        idempotency_key="csp-1",
        stripe_id="ch_csp",
        source={"stripe_id": "ch_csp", "amount": 1000, "currency": "USD"},
        payload={"Customer": "S1"},
        status=SyncRecord.Status.NEEDS_ATTENTION,
        error_message="ERP refused the customer",
    )
    payout = Payout.objects.create(
        integration=integration, stripe_id="po_csp", amount=1000, currency="usd"
    )
    PayoutLine.objects.create(
        payout=payout,
        balance_transaction="txn_csp",
        type="charge",
        reporting_category="charge",
        source="ch_csp",
        amount=1000,
        net=1000,
        currency="usd",
        match=PayoutLine.Match.values[0],
    )
    JournalPosting.objects.create(
        payout=payout,
        kind=JournalPosting.Kind.PAYOUT,
        reference="po_csp",
        currency="usd",
        lines=[{"account": "1010", "description": "Bank", "amount": 1000}],
    )
    GlAccounts.objects.create(
        integration=integration,
        bank="1010",
        clearing="1090",
        fees="6210",
        refunds="4900",
        disputes="5910",
        dispute_fees="6220",
        adjustments="6900",
        fx="7910",
    )
    return {
        "record": record,
        "payout": payout,
        "mapping_set": MappingSet.objects.get(
            integration=integration, entity="payment", is_active=True
        ),
    }


def _admin_urls() -> list[str]:
    """Changelist, add form and first change form of every project model."""
    urls = []
    for model in admin.site._registry:
        if not model.__module__.startswith(PROJECT_PACKAGES):
            continue
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        urls.append(reverse(f"{prefix}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"{prefix}_change", args=[first.pk]))
    return urls


@pytest.fixture
def admin_pages(staff_client, portal_data) -> dict[str, str]:
    """HTML of the project's admin pages as a superuser sees them."""
    payout = portal_data["payout"]
    mapping_set = portal_data["mapping_set"]
    urls = [
        reverse("admin:index"),
        *_admin_urls(),
        reverse("reconciliation:payout_proof", args=[payout.pk]),
        reverse(
            "admin:integrations_syncrecord_edit_payload",
            args=[portal_data["record"].pk],
        ),
        reverse("admin:mapping_mappingset_preview", args=[mapping_set.pk])
        + "?fixture=payment&replay=5",
        reverse("admin:mapping_mappingset_transforms"),
        reverse("admin:mapping_mappingset_install_defaults"),
    ]
    pages = {}
    for url in urls:
        response = staff_client.get(url)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def test_admin_pages_carry_no_inline_script(admin_pages):
    # when every admin page of the project is parsed
    found = {}
    for url, html in admin_pages.items():
        parser = _InlineCode()
        parser.feed(html)
        if parser.scripts:
            found[url] = parser.scripts
    # then none holds script the policy would block (inline, handler, javascript:)
    assert found == {}


def test_admin_pages_carry_no_inline_style(admin_pages):
    found = {}
    for url, html in admin_pages.items():
        parser = _InlineCode()
        parser.feed(html)
        if parser.styles:
            found[url] = parser.styles
    assert found == {}


def test_login_page_carries_no_inline_code(client):
    parser = _InlineCode()
    parser.feed(client.get(reverse("admin:login")).content.decode())
    assert parser.scripts == []
    assert parser.styles == []


def _assert_strict_policy(response) -> None:
    directives = _directives(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


def test_admin_page_sends_the_policy(staff_client, portal_data):
    response = staff_client.get(reverse("admin:integrations_syncrecord_changelist"))
    assert response.status_code == 200
    _assert_strict_policy(response)


def test_proof_page_sends_the_policy(staff_client, portal_data):
    response = staff_client.get(
        reverse("reconciliation:payout_proof", args=[portal_data["payout"].pk])
    )
    assert response.status_code == 200
    _assert_strict_policy(response)


def test_login_page_sends_the_policy(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    _assert_strict_policy(response)


def test_refused_proof_filter_sends_the_policy(staff_client, portal_data):
    response = staff_client.get(
        reverse("reconciliation:payout_proof", args=[portal_data["payout"].pk]),
        {"match": "<script>alert(1)</script>"},
    )
    assert response.status_code == 400
    _assert_strict_policy(response)
