import json
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from integrations.models import SyncRecord, WebhookEvent
from mapping.models import MappingSet
from mapping.samples import sample_sources
from mapping.services import mapping_defaults_install, payload_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client


def _post_data(mapping_set, change=None):
    rows = list(mapping_set.fields.all())
    data = {
        "note": mapping_set.note,
        "fields-TOTAL_FORMS": str(len(rows)),
        "fields-INITIAL_FORMS": str(len(rows)),
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        values = {
            "id": row.pk,
            "mapping_set": mapping_set.pk,
            "position": row.position,
            "target": row.target,
            "source_path": row.source_path,
            "transforms": json.dumps(row.transforms),
            "default": "" if row.default is None else json.dumps(row.default),
            "condition": "" if row.condition is None else json.dumps(row.condition),
        }
        if change and row.target == change["target"]:
            values.update(change)
        if row.required:
            values["required"] = "on"
        data.update({f"fields-{i}-{k}": v for k, v in values.items()})
    return data


def _payment_set(integration):
    mapping_defaults_install(integration=integration)
    return MappingSet.objects.get(
        integration=integration, entity="payment", is_active=True
    )


def test_editing_in_admin_creates_a_version_the_next_payment_follows(
    admin_client, syspro_integration
):
    mapping_set = _payment_set(syspro_integration)
    url = reverse("admin:mapping_mappingset_change", args=[mapping_set.pk])
    assert admin_client.get(url).status_code == 200
    data = _post_data(
        mapping_set,
        {
            "target": "JournalNotation",
            "source_path": "stripe_id",
            "transforms": json.dumps([{"name": "prefix", "params": {"text": "Card "}}]),
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    mapping_set.refresh_from_db()
    assert (mapping_set.version, mapping_set.is_active) == (2, True)
    payload, version = payload_build(
        integration=syspro_integration,
        entity="payment",
        source=sample_sources()["payment"],
    )
    assert payload["JournalNotation"] == "Card ch_3MmlLrLkdIwHu7ix0snN0B15"
    assert version == 2
    assert MappingSet.objects.filter(
        integration=syspro_integration, entity="payment", version=1, is_active=False
    ).exists()


def test_bad_transform_parameters_are_refused_on_save(admin_client, syspro_integration):
    mapping_set = _payment_set(syspro_integration)
    url = reverse("admin:mapping_mappingset_change", args=[mapping_set.pk])
    data = _post_data(
        mapping_set,
        {
            "target": "PaymentDate",
            "transforms": json.dumps(
                [{"name": "unix_to_date", "params": {"timezone": "Mars/Olympus"}}]
            ),
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "unknown time zone" in response.content.decode()
    mapping_set.refresh_from_db()
    assert mapping_set.version == 1


def test_preview_shows_source_payload_and_validation(admin_client, syspro_integration):
    mapping_set = _payment_set(syspro_integration)
    url = reverse("admin:mapping_mappingset_preview", args=[mapping_set.pk])
    page = admin_client.get(url, {"fixture": "payment"}).content.decode()
    assert "ERP payload" in page and "35.49" in page and "valid for SYSPRO" in page
    # a customer record carries no customer code: the payment would be refused
    page = admin_client.get(url, {"fixture": "customer"}).content.decode()
    assert "payment.Customer" in page and "required by the mapping" in page


@pytest.mark.parametrize("event", ["abc", "1.5", "-1", "9" * 30, "\u0661x"])
def test_preview_of_a_malformed_event_id_says_so(
    admin_client, syspro_integration, event
):
    mapping_set = _payment_set(syspro_integration)
    url = reverse("admin:mapping_mappingset_preview", args=[mapping_set.pk])

    response = admin_client.get(url, {"event": event})

    assert response.status_code == 200
    assert "No such event for this integration." in response.content.decode()


def test_preview_from_a_stored_event_and_dry_run_against_posted(
    admin_client, syspro_integration
):
    mapping_set = _payment_set(syspro_integration)
    event = WebhookEvent.objects.create(
        integration=syspro_integration,
        stripe_id="evt_1",
        type="charge.succeeded",
        body="{}",
    )
    source = sample_sources()["payment"]
    posted, _ = payload_build(
        integration=syspro_integration, entity="payment", source=source
    )
    SyncRecord.objects.create(
        integration=syspro_integration,
        event=event,
        operation="post_payment",
        idempotency_key="k1",
        stripe_id=source["stripe_id"],
        source=source,
        payload={**posted, "Bank": "FNB"},
        status="succeeded",
    )
    url = reverse("admin:mapping_mappingset_preview", args=[mapping_set.pk])
    page = admin_client.get(url, {"event": event.pk, "replay": 5}).content.decode()
    assert "ch_3MmlLrLkdIwHu7ix0snN0B15" in page
    assert "1 would change" in page
    assert "<code>Bank</code>: FNB → STRIPE" in page


class _FormNesting(HTMLParser):
    """The action of every <form> and how many forms enclose it."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.forms: dict[str, int] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.forms[dict(attrs).get("action") or ""] = self.depth
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


def test_the_suggest_button_is_a_form_of_its_own(admin_client, syspro_integration):
    # given the change page of a mapping set
    mapping_set = _payment_set(syspro_integration)
    page = admin_client.get(
        reverse("admin:mapping_mappingset_change", args=[mapping_set.pk])
    ).content.decode()

    # then its suggest form is in no other form (a browser drops a nested one)
    nesting = _FormNesting()
    nesting.feed(page)
    suggest = reverse("admin:mapping_mappingset_suggest", args=[mapping_set.pk])
    assert nesting.forms[suggest] == 0


def test_suggest_button_creates_an_inactive_draft(admin_client, syspro_integration):
    mapping_set = _payment_set(syspro_integration)
    url = reverse("admin:mapping_mappingset_suggest", args=[mapping_set.pk])
    response = admin_client.post(url)
    draft = MappingSet.objects.get(
        integration=syspro_integration, entity="payment", version=2
    )
    assert response.status_code == 302
    assert not draft.is_active
    page = admin_client.get(
        reverse("admin:mapping_mappingset_change", args=[draft.pk])
    ).content.decode()
    assert "Suggested" in page and "%" in page


def test_activate_action_and_transform_reference(admin_client, syspro_integration):
    mapping_set = _payment_set(syspro_integration)
    admin_client.post(
        reverse("admin:mapping_mappingset_suggest", args=[mapping_set.pk])
    )
    draft = MappingSet.objects.get(
        integration=syspro_integration, entity="payment", version=2
    )
    response = admin_client.post(
        reverse("admin:mapping_mappingset_changelist"),
        {"action": "activate", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_active
    page = admin_client.get(
        reverse("admin:mapping_mappingset_transforms")
    ).content.decode()
    assert "minor_to_decimal" in page and "exponent" in page


def test_anomaly_policy_admin_lists(admin_client, syspro_integration):
    response = admin_client.get(reverse("admin:mapping_anomalypolicy_add"))
    assert response.status_code == 200


def test_adding_a_field_row_with_empty_json_cells(admin_client, syspro_integration):
    mapping_set = _payment_set(syspro_integration)
    mapping_set.fields.filter(target="InvoiceToPay").delete()
    url = reverse("admin:mapping_mappingset_change", args=[mapping_set.pk])
    data = _post_data(mapping_set)
    index = int(data["fields-TOTAL_FORMS"])
    data["fields-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"fields-{index}-mapping_set": mapping_set.pk,
            f"fields-{index}-position": 99,
            f"fields-{index}-target": "InvoiceToPay",
            f"fields-{index}-source_path": "order_number",
            f"fields-{index}-transforms": "",
            f"fields-{index}-default": "",
            f"fields-{index}-condition": "",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    payload, _ = payload_build(
        integration=syspro_integration,
        entity="payment",
        source=sample_sources()["payment"],
    )
    assert payload["InvoiceToPay"] == "000123"


def test_install_defaults_from_the_changelist(admin_client, sagepro_integration):
    url = reverse("admin:mapping_mappingset_install_defaults")
    assert "Install" in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"integration": sagepro_integration.pk})
    assert response.status_code == 302
    assert (
        MappingSet.objects.filter(
            integration=sagepro_integration, is_active=True
        ).count()
        == 9
    )
    changelist = admin_client.get(reverse("admin:mapping_mappingset_changelist"))
    assert "Install default templates" in changelist.content.decode()
