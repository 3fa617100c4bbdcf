"""ERP customers → their linked Stripe customers, against the SYSPRO sandbox
(ARSQRY header) and the Stripe sandbox through the official SDK."""

import pytest
from django.utils.module_loading import import_string
from django_q.models import Schedule

from customer_sync.fields import MARKER, TERMS_KEY
from customer_sync.models import CustomerSyncSettings, CustomerSyncState, Owner
from customer_sync.services import (
    Action,
    customer_sync_run,
    customer_sync_scheduled,
)
from integrations.connectors import stripe_api
from integrations.connectors.errors import TransientError
from integrations.models import Alert, AuditEntry
from portal.exceptions import ApplicationError
from portal.schedules import schedules_ensure
from sandbox.stripeapi.models import Event

from .conftest import CODE, syspro_customer

pytestmark = pytest.mark.django_db


def run(integration, **kwargs):
    return customer_sync_run(integration=integration, dry_run=False, **kwargs)


def updates() -> int:
    return Event.objects.filter(type="customer.updated").count()


def test_first_run_sends_the_erp_master_to_the_linked_stripe_customer(
    integration, sdk, linked
):
    # when
    plan = run(integration)

    # then
    assert plan.counts == {"update": 1}
    (change,) = plan.changes
    assert {f.field for f in change.fields} == {
        "name",
        "phone",
        "address",
        "shipping",
        "terms",
    }
    customer = sdk.customers.retrieve(linked.stripe_customer_id)
    assert customer.name == "Harbour Cycles"
    assert customer.phone == "021 555 0100"
    assert customer.email == "ap@harbour.example"
    assert customer.address.to_dict() == {
        "line1": "1 Dock Road",
        "line2": "Unit 4",
        "city": "Cape Town",
        "state": "WC",
        "postal_code": "8001",
        "country": "ZA",
    }
    assert customer.shipping.name == "Harbour Cycles"
    assert customer.shipping.address.line1 == "9 Quay Street"
    assert customer.shipping.address.line2 is None
    assert customer.metadata[TERMS_KEY] == "30"
    assert customer.metadata["erp_customer_code"] == CODE
    assert customer.metadata[MARKER]
    state = CustomerSyncState.objects.get(link=linked)
    assert state.synced_at and not state.last_error
    audit = AuditEntry.objects.get(action="customer_sync.update")
    assert audit.before["name"] == "Harbour Cycles (old)"
    assert audit.after["name"] == "Harbour Cycles"


def test_a_rerun_reads_no_stripe_customer_and_writes_nothing(integration, linked):
    run(integration)
    before = updates()

    plan = run(integration, api=StripeDown())

    assert plan.changes == () and plan.unchanged == 1
    assert updates() == before


def test_an_erp_change_is_listed_by_the_dry_run_and_applied_as_shown(
    integration, sdk, linked
):
    # given a synced customer whose name and terms then change in SYSPRO
    run(integration)
    syspro_customer(name="Harbour Cycles Ltd", terms_code="60")
    before = updates()

    # when
    dry = customer_sync_run(integration=integration, dry_run=True)

    # then the dry run lists each field, old and new, and changes nothing
    (change,) = dry.changes
    assert change.action == Action.UPDATE
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("name", "Harbour Cycles", "Harbour Cycles Ltd"),
        ("terms", "30", "60"),
    ]
    assert updates() == before
    assert sdk.customers.retrieve(linked.stripe_customer_id).name == "Harbour Cycles"

    # when applied with the dry run's fingerprint
    applied = run(integration, expected_fingerprint=dry.fingerprint)

    # then exactly that reached Stripe, in one update
    assert applied.counts == {"update": 1}
    customer = sdk.customers.retrieve(linked.stripe_customer_id)
    assert (customer.name, customer.metadata[TERMS_KEY]) == ("Harbour Cycles Ltd", "60")
    assert updates() == before + 1


def test_apply_refuses_a_plan_that_moved_since_the_dry_run(integration, sdk, linked):
    run(integration)
    syspro_customer(name="Harbour Cycles Ltd")
    dry = customer_sync_run(integration=integration, dry_run=True)
    syspro_customer(name="Harbour Cycles Group")

    with pytest.raises(ApplicationError, match="dry run"):
        run(integration, expected_fingerprint=dry.fingerprint)

    assert sdk.customers.retrieve(linked.stripe_customer_id).name == "Harbour Cycles"


def test_a_field_stripe_owns_is_never_sent(integration, sdk, linked):
    CustomerSyncSettings.objects.filter(integration=integration).update(
        name_owner=Owner.STRIPE
    )

    run(integration)
    syspro_customer(name="Harbour Cycles Ltd", telephone="021 555 0199")
    plan = run(integration)

    assert [f.field for f in plan.changes[0].fields] == ["phone"]
    customer = sdk.customers.retrieve(linked.stripe_customer_id)
    assert (customer.name, customer.phone) == ("Harbour Cycles (old)", "021 555 0199")


def test_a_last_writer_field_the_erp_did_not_change_is_left_to_stripe(
    integration, sdk, linked
):
    # given a synced customer whose phone a person then changed in Stripe
    # (its webhook not processed here) and whose name changed in SYSPRO
    run(integration)
    sdk.customers.update(linked.stripe_customer_id, {"phone": "+27 82 000 0000"})
    syspro_customer(name="Harbour Cycles Ltd")

    # when
    run(integration)

    # then only the field the ERP changed went to Stripe
    customer = sdk.customers.retrieve(linked.stripe_customer_id)
    assert (customer.name, customer.phone) == ("Harbour Cycles Ltd", "+27 82 000 0000")


def test_an_erp_owned_field_changed_in_stripe_is_put_back(integration, sdk, linked):
    CustomerSyncSettings.objects.filter(integration=integration).update(
        email_owner=Owner.ERP
    )
    run(integration)
    sdk.customers.update(linked.stripe_customer_id, {"email": "someone@else.example"})
    CustomerSyncState.objects.filter(link=linked).update(stripe_dirty=True)

    plan = run(integration)

    assert [f.field for f in plan.changes[0].fields] == ["email"]
    email = sdk.customers.retrieve(linked.stripe_customer_id).email
    assert email == "ap@harbour.example"


class StripeDown:
    """A Stripe that does not answer."""

    def __getattr__(self, name):
        def call(*args, **kwargs):
            raise TransientError("Stripe: connection refused")

        return call


def test_stripe_down_fails_each_customer_with_the_reason_and_the_next_run_retries(
    integration, sdk, linked
):
    plan = run(integration, api=StripeDown())

    assert [(c.action, c.erp_code) for c in plan.changes] == [(Action.FAILED, CODE)]
    assert "connection refused" in plan.changes[0].reason
    assert "connection refused" in CustomerSyncState.objects.get(link=linked).last_error
    assert (
        sdk.customers.retrieve(linked.stripe_customer_id).name == "Harbour Cycles (old)"
    )

    assert run(integration).counts == {"update": 1}
    assert sdk.customers.retrieve(linked.stripe_customer_id).name == "Harbour Cycles"
    assert CustomerSyncState.objects.get(link=linked).last_error == ""


class UpdateThenDie:
    """Stripe applies the update, then the run dies before recording it."""

    def __init__(self, api):
        self.api = api

    def __getattr__(self, name):
        return getattr(self.api, name)

    def update_customer(self, *args, **kwargs):
        self.api.update_customer(*args, **kwargs)
        raise TransientError("the reply was lost")


def test_a_run_that_died_after_stripes_update_is_not_applied_twice(
    integration, sdk, linked
):
    api = stripe_api.stripe_api_for(integration)()
    run(integration, api=UpdateThenDie(api))
    before = updates()

    plan = run(integration)

    assert plan.counts == {"record": 1}
    assert updates() == before
    assert run(integration).changes == ()


def test_a_link_to_a_customer_gone_from_the_erp_is_refused(integration, linked):
    linked.erp_customer_code = "0009999"
    linked.save()

    plan = run(integration)

    assert plan.changes[0].action == Action.REFUSED
    assert "no such customer" in plan.changes[0].reason


def test_without_settings_the_sync_says_how_to_set_it_up(integration):
    CustomerSyncSettings.objects.all().delete()

    with pytest.raises(ApplicationError, match="customer sync settings"):
        run(integration)


def test_the_schedule_runs_enabled_integrations_and_alerts_on_failures(
    integration, linked, monkeypatch
):
    monkeypatch.setattr(stripe_api, "stripe_api_for", lambda i: StripeDown)

    totals = customer_sync_scheduled()

    assert totals == {"integrations": 1, "failed_integrations": 0, "failed": 1}
    assert Alert.objects.filter(code="customer_sync_failed").count() == 1


def test_the_schedule_skips_disabled_integrations(integration, linked):
    CustomerSyncSettings.objects.update(enabled=False)

    assert customer_sync_scheduled() == {"integrations": 0, "failed_integrations": 0}


def test_an_update_sent_twice_with_its_key_is_one_stripe_update(
    integration, sdk, linked
):
    # Two runs that planned the same change (a second worker, the admin's
    # Apply racing the schedule) send the same key: Stripe replays the first.
    dry = customer_sync_run(integration=integration, dry_run=True)
    sent = []

    class Recording:
        def __init__(self, api):
            self.api = api

        def __getattr__(self, name):
            return getattr(self.api, name)

        def update_customer(self, customer_id, params, *, idempotency_key):
            sent.append((params, idempotency_key))
            return self.api.update_customer(
                customer_id, params, idempotency_key=idempotency_key
            )

    api = stripe_api.stripe_api_for(integration)()
    run(integration, api=Recording(api), expected_fingerprint=dry.fingerprint)
    sdk.customers.update(linked.stripe_customer_id, {"name": "Edited meanwhile"})
    before = updates()

    ((params, key),) = sent
    assert key.startswith(f"customer-sync:{linked.pk}:")
    api.update_customer(linked.stripe_customer_id, params, idempotency_key=key)

    assert updates() == before
    assert sdk.customers.retrieve(linked.stripe_customer_id).name == (
        "Edited meanwhile"
    )


def test_a_deleted_stripe_customer_is_refused_with_the_reason(integration, sdk, linked):
    sdk.customers.delete(linked.stripe_customer_id)

    plan = run(integration)

    assert plan.changes[0].action == Action.REFUSED
    assert "no such customer" in plan.changes[0].reason.lower() or "deleted" in (
        plan.changes[0].reason
    )


def test_the_schedule_is_created_once_by_name_and_runs_the_task(db):
    name = "customer sync: ERP customers to Stripe"

    schedules_ensure()
    schedules_ensure()

    (row,) = Schedule.objects.filter(name=name)
    assert (row.func, row.minutes, row.repeats) == (
        "customer_sync.tasks.sync_customers",
        30,
        -1,
    )
    assert import_string(row.func)() == {"integrations": 0, "failed_integrations": 0}
