"""Both directions at once, end to end: the sync's Stripe update comes back
as a signed customer.updated webhook from the Stripe sandbox, through the
portal's intake and the real Stripe → ERP customer workflow, to the SYSPRO
sandbox. Our own echo never reaches the ERP; a person's edit does, as far
as the field owners allow."""

import pytest
from django.apps import apps
from freezegun import freeze_time

from customer_sync.inbound import ECHO, NOTHING_OWNED
from customer_sync.models import CustomerSyncSettings, CustomerSyncState, Owner
from customer_sync.services import customer_sync_run
from integrations.models import SyncRecord, WebhookEvent

from .conftest import CODE, syspro_customer

pytestmark = pytest.mark.django_db


def erp_row():
    return apps.get_model("sandbox_syspro", "Customer").objects.get(code=CODE)


def sync(integration):
    return customer_sync_run(integration=integration, dry_run=False)


def skipped_reasons() -> list[str]:
    return [
        (record.response or {}).get("skipped", "")
        for record in SyncRecord.objects.filter(operation="upsert_customer")
        .exclude(status=SyncRecord.Status.PENDING)
        .order_by("pk")
        if ":sync:" in record.idempotency_key
    ]


def test_our_own_update_echoing_back_never_reaches_the_erp(
    integration, sdk, linked, deliver, syspro_writes
):
    # given the sync's update of the Stripe customer
    assert sync(integration).counts == {"update": 1}
    before = {f: getattr(erp_row(), f) for f in ("name", "telephone", "email")}

    # when Stripe delivers its customer.updated (twice: at least once)
    assert deliver() == [200]
    event = WebhookEvent.objects.get(type="customer.updated")
    event.refresh_from_db()

    # then the event was processed and nothing was written to SYSPRO
    assert event.status == WebhookEvent.Status.PROCESSED
    assert skipped_reasons() == [ECHO]
    assert syspro_writes.calls == []
    assert {f: getattr(erp_row(), f) for f in before} == before
    # and the sync, run again, has nothing to send either: no loop
    assert sync(integration).changes == ()
    assert deliver() == []


def test_a_persons_stripe_edit_of_a_last_writer_field_reaches_the_erp_once(
    integration, sdk, linked, deliver, syspro_writes
):
    sync(integration)
    deliver()

    # when a person changes the phone in Stripe
    sdk.customers.update(linked.stripe_customer_id, {"phone": "+27 82 000 0000"})
    assert deliver() == [200]

    # then SYSPRO has it, written once
    assert erp_row().telephone == "+27 82 000 0000"
    assert len(syspro_writes.calls) == 1
    # and the next sync run sees SYSPRO already in step with Stripe
    plan = sync(integration)
    assert plan.counts == {"record": 1}
    assert deliver() == []
    assert len(syspro_writes.calls) == 1


def test_an_erp_owned_field_edited_in_stripe_is_not_written_and_is_put_back(
    integration, sdk, linked, deliver, syspro_writes
):
    CustomerSyncSettings.objects.filter(integration=integration).update(
        name_owner=Owner.ERP
    )
    sync(integration)
    deliver()

    # when a person renames the customer in Stripe
    sdk.customers.update(linked.stripe_customer_id, {"name": "Renamed in Stripe"})
    assert deliver() == [200]

    # then SYSPRO keeps its name, nothing is written to it
    assert erp_row().name == "Harbour Cycles"
    assert syspro_writes.calls == []
    assert skipped_reasons()[-1] == NOTHING_OWNED
    assert CustomerSyncState.objects.get(link=linked).stripe_dirty

    # and the next run puts the ERP's name back in Stripe, whose echo is
    # not written either
    plan = sync(integration)
    assert [f.field for f in plan.changes[0].fields] == ["name"]
    assert sdk.customers.retrieve(linked.stripe_customer_id).name == "Harbour Cycles"
    assert deliver() == [200]
    assert syspro_writes.calls == []
    assert skipped_reasons()[-1] == ECHO


def test_a_stripe_edit_mixing_owned_and_free_fields_writes_only_the_free_ones(
    integration, sdk, linked, deliver, syspro_writes
):
    CustomerSyncSettings.objects.filter(integration=integration).update(
        name_owner=Owner.ERP
    )
    sync(integration)
    deliver()

    sdk.customers.update(
        linked.stripe_customer_id,
        {"name": "Renamed in Stripe", "email": "billing@harbour.example"},
    )
    deliver()

    (payload,) = syspro_writes.calls
    assert payload["Name"] == "Harbour Cycles"
    row = erp_row()
    assert (row.name, row.email) == ("Harbour Cycles", "billing@harbour.example")


def test_an_older_stripe_edit_loses_to_a_later_erp_change(
    integration, sdk, linked, deliver, syspro_writes
):
    with freeze_time("2027-01-04 09:00:00") as clock:
        # given a synced customer
        sync(integration)
        deliver()
        # and a Stripe edit of the phone whose webhook is still on its way
        clock.tick(60)
        sdk.customers.update(linked.stripe_customer_id, {"phone": "+27 82 111 1111"})
        # when SYSPRO's phone changes later and the sync sends it
        clock.tick(60)
        syspro_customer(telephone="021 555 0177")
        assert [f.field for f in sync(integration).changes[0].fields] == ["phone"]
        clock.tick(1)
        # then the late webhook of the older edit does not overwrite it
        assert deliver() == [200, 200]

    assert erp_row().telephone == "021 555 0177"
    assert sdk.customers.retrieve(linked.stripe_customer_id).phone == "021 555 0177"
    assert syspro_writes.calls == []
    assert skipped_reasons()[-2:] == [NOTHING_OWNED, ECHO]


def test_a_later_stripe_edit_wins_over_an_earlier_erp_change(
    integration, sdk, linked, deliver, syspro_writes
):
    with freeze_time("2027-01-04 09:00:00") as clock:
        sync(integration)
        deliver()
        clock.tick(60)
        syspro_customer(telephone="021 555 0177")
        sync(integration)
        clock.tick(60)
        sdk.customers.update(linked.stripe_customer_id, {"phone": "+27 82 222 2222"})
        deliver()

    assert erp_row().telephone == "+27 82 222 2222"
    assert len(syspro_writes.calls) == 1


def test_a_stripe_edit_back_to_what_the_sync_wrote_still_reaches_the_erp(
    integration, sdk, linked, deliver, syspro_writes
):
    # given the sync wrote phone 021 555 0100 to Stripe, and a person then
    # changed it in Stripe (written to SYSPRO)
    sync(integration)
    deliver()
    sdk.customers.update(linked.stripe_customer_id, {"phone": "+27 82 000 0000"})
    deliver()

    # when the person changes it back: the customer matches the old marker
    sdk.customers.update(linked.stripe_customer_id, {"phone": "021 555 0100"})
    deliver()

    # then it is a person's edit, not our echo: SYSPRO follows
    assert erp_row().telephone == "021 555 0100"
    assert len(syspro_writes.calls) == 2


def test_a_stripe_name_cut_to_the_erps_length_is_not_sent_back_cut(
    integration, sdk, linked, deliver, syspro_writes
):
    # given a Stripe name longer than SYSPRO's 30 characters, written to it
    sync(integration)
    deliver()
    long_name = "Harbour Cycles and Sons Trading Company"
    sdk.customers.update(linked.stripe_customer_id, {"name": long_name})
    deliver()
    assert erp_row().name == long_name[:30]

    # when the sync runs: SYSPRO's name changed, by that write
    plan = sync(integration)

    # then Stripe, the last writer, keeps the whole name
    assert plan.counts == {"record": 1}
    assert sdk.customers.retrieve(linked.stripe_customer_id).name == long_name
    assert sync(integration).changes == ()


def test_a_stripe_edit_of_one_field_does_not_undo_an_erp_edit_of_another(
    integration, sdk, linked, deliver, syspro_writes
):
    # given a synced customer renamed in SYSPRO (no sync run since)
    sync(integration)
    deliver()
    syspro_customer(name="Harbour Cycles Ltd")

    # when a person changes the phone in Stripe
    sdk.customers.update(linked.stripe_customer_id, {"phone": "+27 82 000 0000"})
    deliver()

    # then SYSPRO gets the phone and keeps its new name
    (payload,) = syspro_writes.calls
    assert payload["Name"] == "Harbour Cycles Ltd"
    row = erp_row()
    assert (row.name, row.telephone) == ("Harbour Cycles Ltd", "+27 82 000 0000")
    # and the next run sends the name to Stripe, not the phone back
    plan = sync(integration)
    assert [f.field for f in plan.changes[0].fields] == ["name"]
    customer = sdk.customers.retrieve(linked.stripe_customer_id)
    assert (customer.name, customer.phone) == ("Harbour Cycles Ltd", "+27 82 000 0000")
