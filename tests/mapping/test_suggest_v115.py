"""Suggester rules added on v117's former held-out part (HitPay, Bitrix24).

Every field below is invented after a miss's shape, with no vendor's own
names, and is set beside a close field its rule leaves alone.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    lookup,
    sourced,
    suggest,
)


def test_the_source_systems_key_and_the_records_version_there_are_not_its_id(
    samples,
):
    # given a feed's key described as the key of the outside system the data
    # comes from, and the item's revision there described as its original
    # version, beside the item's own key in that system (the near case: the
    # record's key in the system that sends it)
    system = described(
        "feed.system_id",
        "string",
        "Identifier of the external system that sends the data on this item",
    )
    version = described("feed.item_revision", "string", "Original version")
    item = described(
        "feed.item_id", "string", "Identifier of the item in the external system"
    )
    # when suggested on a Stripe customer, then the system's key and the
    # version are left empty, and the item's key is still its Stripe id
    assert_no_source(sourced(samples, "customer", system))
    assert_no_source(sourced(samples, "customer", version))
    assert sourced(samples, "customer", item).source == "id"


def test_a_name_described_as_the_middle_name_is_none_of_stripes(samples):
    # given a contact's name field described as the middle name, and the
    # same field described as the full name with the middle name in it (the
    # near case: the whole name)
    middle = described("contact.inner_name", "string", "Middle name")
    whole = described(
        "contact.inner_name", "string", "Full name, the middle name included"
    )
    # when suggested on a Stripe customer, then the first is left empty,
    # Stripe's one name telling no middle part, and the second is still the
    # customer's name
    assert_no_source(sourced(samples, "customer", middle))
    assert sourced(samples, "customer", whole).source == "name"


def test_a_date_of_modification_is_not_the_creation(samples):
    # given a date and time an entry was last modified, and the date and
    # time it was made (the near case: its creation)
    modified = described("entry.modification_time", "datetime", "When it changed.")
    made = described("entry.creation_time", "datetime", "When it was made.")
    # when suggested on a Stripe charge, then the first is left empty, Stripe
    # keeping no time of a change, and the second is still the creation
    assert_no_source(sourced(samples, "charge", modified, threshold=None))
    assert sourced(samples, "charge", made, threshold=None).source == "created"


def test_a_currency_key_shown_sending_an_iso_code_takes_the_code(samples):
    # given a job's currency key, typed as the API's own kind of value, whose
    # description shows the sample call sending an ISO code, and the same key
    # described with no code (the near case: a currency record's key)
    shown = described(
        "job.currency_uid",
        "acme_currency",
        "Money of the job (the sample call sends 'USD')",
    )
    bare = described("job.currency_uid", "acme_currency", "Money of the job")
    # when suggested on a Stripe invoice, then the first is the invoice's
    # currency upper-cased, and the second is still looked up in the
    # integration's currency table
    code = sourced(samples, "invoice", shown)
    assert (code.source, code.transforms) == ("currency", [{"name": "upper"}])
    assert lookup(sourced(samples, "invoice", bare)) == "currency"


def test_a_start_date_set_to_the_creation_by_default_is_the_creation(samples):
    # given a job's start day described as the day the job is created by
    # default, and the same day with no default (the near case: a period's
    # start, none of the document's dates)
    by_default = described(
        "job.start_day", "date", "Start day (by default, the day the job is created)"
    )
    bare = described("job.start_day", "date", "Start day")
    # when suggested on a Stripe invoice, then the first is the invoice's
    # creation as a date, and the second is still left empty
    made = sourced(samples, "invoice", by_default)
    assert (made.source, made.transforms[0]["name"]) == ("created", "unix_to_date")
    assert_no_source(sourced(samples, "invoice", bare))


def test_a_flag_asking_only_whether_it_is_closed_is_the_status_mapped(samples):
    # given a job's closed flag typed as one character and described as 'Y'
    # or 'N', asking only whether the job is closed, and the job's closing
    # date and a closed flag saying what closing means (the near cases: no
    # flag, and a write-off no status says)
    flag = described("job.closed", "char", "Is the job closed? ('Y' or 'N')")
    when = described("job.closed_on", "char", "When the job was closed")
    # when suggested on a Stripe invoice, then the flag is the invoice's
    # status through a value map, and the date is still no status
    closed = sourced(samples, "invoice", flag)
    assert (closed.source, closed.transforms[0]["name"]) == ("status", "value_map")
    assert sourced(samples, "invoice", when).source != "status"
    # and neither is the written-off flag
    written_off = described(
        "job.closed", "boolean", "When true, the job is closed and counted lost"
    )
    assert sourced(samples, "invoice", written_off).source != "status"


def test_an_addresss_country_kept_flat_beside_its_code_is_the_name(samples):
    # given a client's address country and address country code kept flat in
    # the client's group, and the address country alone (the near case: no
    # code beside it to hold the code)
    country = described("client.addressCountry", "string", "Land")
    code = described("client.addressCountryCode", "string", "Land code")
    # when suggested on a Stripe customer, then beside the code the country
    # is the country's name, the code stays as it is, and alone the country
    # is still the code as it is
    both = suggest(samples["customer"], country, code)
    assert both["client.addressCountry"].transforms == [
        {"name": "country_code", "params": {"to": "name"}}
    ]
    assert both["client.addressCountryCode"].transforms == []
    alone = sourced(samples, "customer", country)
    assert (alone.source, alone.transforms) == ("address.country", [])


def test_the_value_of_a_listed_detail_naming_no_money_is_no_amount(samples):
    # given the value of the first entry of an order's chat handles, and the
    # value of the first entry of its prices (the near case: a list of sums)
    chat = described("order.chats.0.value", "string", "Chat handles")
    price = described("order.prices.0.value", "string", "Price")
    # when suggested on a Stripe charge, then the handle is left empty, no
    # amount, and the price is still the charge's amount
    assert_no_source(sourced(samples, "charge", chat))
    assert sourced(samples, "charge", price).source == "amount"


def test_your_internal_order_id_is_the_merchants_order(samples):
    # given a reference described as your internal order id, the API user's
    # own key for the order, and one described only as your order id (the
    # near case: whatever order the words leave open)
    internal = described("ref_no", "string", "Your internal order ID (up to 64 chars)")
    open_ = described("ref_no", "string", "Your order ID (up to 64 chars)")
    # when suggested on a Stripe charge, then the first is the order the
    # seller keeps in the charge's metadata, and the second is not
    assert sourced(samples, "charge", internal).source == "metadata.erp_order"
    assert sourced(samples, "charge", open_).source != "metadata.erp_order"
    # and on a Stripe invoice the first is the invoice's own number
    assert sourced(samples, "invoice", internal).source == "number"


def test_an_untyped_sum_described_only_as_the_records_amount_is_a_decimal(samples):
    # given a bill's amount whose type the command line leaves out, its help
    # text naming it only the bill's amount, and one described as the amount
    # in cents (the near case: the words tell its unit)
    plain = described("bill.amount", "not given", '"Bill amount" (help text)')
    cents = described("bill.amount", "not given", '"Bill amount in cents" (help)')
    # when suggested on a Stripe invoice, then the first is a decimal in
    # major units, and the second is still the minor units as they are
    assert sourced(samples, "invoice", plain).transforms[0]["name"] == (
        "minor_to_decimal"
    )
    assert sourced(samples, "invoice", cents).transforms == []


def test_a_partys_key_in_the_sending_system_on_a_payment_is_its_customer(samples):
    # given a key described as the identifier of the client in that external
    # system, and one described as the identifier of the payment there (the
    # near case: the record's own key)
    # when suggested on a Stripe charge, then the client's key is the charge's
    # customer, the party's own record, and the payment's key is still the
    # charge's id; on a Stripe customer the client's key is its own id
    for object_type, keyed, source in (
        ("charge", "client", "customer"),
        ("charge", "payment", "id"),
        ("customer", "client", "id"),
    ):
        key = described(
            "source_key",
            "string",
            f"the identifier of the {keyed} in that external system",
        )
        assert sourced(samples, object_type, key).source == source, keyed
