"""A Stripe customer paying in several currencies, against single-currency
ERP customers: per-currency accounts, made once, whatever arrives when."""

from decimal import Decimal

import pytest

from integrations.connectors.errors import TransientError
from integrations.models import CustomerLink, SyncRecord
from mapping.models import AnomalyPolicy
from tests.integrations.workflows import stripe_events as se

pytestmark = pytest.mark.django_db

CURRENCY_FIELD = {"syspro": "Currency", "sagepro": "currid"}


def _currency_of(harness, code: str) -> str:
    return harness.erp.customers[code].get(CURRENCY_FIELD[harness.erp.kind], "")


def _book(harness, charge_id: str, amount: int, currency: str) -> dict:
    charge = se.charge(charge_id, amount=amount, currency=currency)
    harness.stripe.charges[charge_id] = charge
    harness.deliver(se.event("charge.succeeded", charge))
    return charge


def _booked_to(harness, operation: str, reference: str) -> str:
    document = harness.erp.document(operation, reference)
    assert document is not None, f"no {operation} for {reference}"
    return document.customer


def _amount_field(harness) -> str:
    return "PaymentValue" if harness.erp.kind == "syspro" else "amount"


def test_each_currency_gets_its_own_account_linked_to_the_same_customer(harness):
    # given a customer whose first payment made its main account in USD
    _book(harness, "ch_usd", 1999, "usd")
    main = harness.record("customer:cus_A").erp_reference
    assert _currency_of(harness, main) == "USD"

    # when it pays in EUR, JPY and KWD
    _book(harness, "ch_eur", 1250, "eur")
    _book(harness, "ch_jpy", 5000, "jpy")
    _book(harness, "ch_kwd", 12345, "kwd")

    # then each charge is booked to an account in its own currency
    expected = {
        "ch_usd": ("USD", Decimal("19.99")),
        "ch_eur": ("EUR", Decimal("12.50")),
        "ch_jpy": ("JPY", Decimal("5000")),
        "ch_kwd": ("KWD", Decimal("12.345")),
    }
    codes = set()
    for charge_id, (currency, amount) in expected.items():
        code = _booked_to(harness, "create_sales_order", charge_id)
        assert _booked_to(harness, "post_payment", charge_id) == code
        assert _currency_of(harness, code) == currency
        payment = harness.erp.document("post_payment", charge_id)
        if currency == "KWD":
            # Into two-decimal fields, rounded with an explicit line
            # (integrations/precision.py); the end-to-end tests hold it.
            assert abs(payment.amount - amount) <= Decimal("0.005")
        else:
            assert payment.amount == amount
        codes.add(code)
    assert len(codes) == 4
    links = {
        link.currency: link.erp_customer_code
        for link in CustomerLink.objects.filter(stripe_customer_id="cus_A")
    }
    assert links == {
        "": main,
        "EUR": harness.record("customer:cus_A:EUR").erp_reference,
        "JPY": harness.record("customer:cus_A:JPY").erp_reference,
        "KWD": harness.record("customer:cus_A:KWD").erp_reference,
    }
    # the pattern's code: the main code's end and the currency
    if harness.erp.kind == "syspro":
        assert links["EUR"] == f"{main[-4:]}EUR"
    else:
        assert links["EUR"] == f"{main[-6:]}-EUR"


def test_a_second_charge_in_a_currency_reuses_its_account(harness):
    _book(harness, "ch_1", 1000, "usd")
    _book(harness, "ch_2", 2000, "eur")
    _book(harness, "ch_3", 3000, "eur")

    assert _booked_to(harness, "create_sales_order", "ch_3") == _booked_to(
        harness, "create_sales_order", "ch_2"
    )
    assert harness.erp.created("upsert_customer") == 2


def test_duplicated_and_reordered_events_make_one_account(harness):
    _book(harness, "ch_1", 1000, "usd")
    charge = se.charge("ch_e", amount=4000, currency="eur")
    harness.stripe.charges["ch_e"] = charge
    refund = se.refund("re_e", charge_id="ch_e", amount=1500, currency="eur")
    dispute = se.dispute("dp_e", charge_id="ch_e", amount=2500, currency="eur")

    # the refund and the dispute first, then the charge, twice, and a replay
    harness.deliver(
        se.event("refund.created", refund),
        se.event("charge.dispute.created", dispute),
        se.event("charge.succeeded", charge),
        se.event("charge.succeeded", charge),
        se.event(
            "payment_intent.succeeded",
            se.example(
                "payment_intent",
                id="pi_e",
                amount=4000,
                amount_received=4000,
                currency="eur",
                customer="cus_A",
                status="succeeded",
                latest_charge="ch_e",
                created=se.BASE_TIME,
            ),
        ),
        se.event("refund.created", refund),
    )

    account = harness.record("customer:cus_A:EUR").erp_reference
    assert _currency_of(harness, account) == "EUR"
    assert harness.erp.created("upsert_customer") == 2  # main and EUR, once each
    assert CustomerLink.objects.filter(stripe_customer_id="cus_A").count() == 2
    # the refund and the dispute go to the account the charge was booked to
    assert _booked_to(harness, "post_payment", "ch_e") == account
    assert _booked_to(harness, "post_credit_note", "re_e") == account
    assert _booked_to(harness, "post_adjustment", "dp_e:withdrawn") == account
    assert harness.erp.totals_by_customer()[account] == Decimal("0.00")


def test_a_worker_crash_after_the_account_was_made_adopts_it(harness):
    _book(harness, "ch_1", 1000, "usd")
    # the ERP makes the EUR account, then the reply is lost
    harness.erp.crash_after_write(
        "upsert_customer", TransientError("connection reset after the ERP wrote")
    )

    _book(harness, "ch_2", 2000, "eur")
    record = harness.record("customer:cus_A:EUR")
    assert record.status == SyncRecord.Status.RETRYING
    assert not CustomerLink.objects.filter(currency="EUR").exists()

    harness.run_open()
    harness.run_open()

    record.refresh_from_db()
    assert record.status == SyncRecord.Status.SUCCEEDED
    euro_accounts = [
        code for code in harness.erp.customers if _currency_of(harness, code) == "EUR"
    ]
    assert euro_accounts == [record.erp_reference]
    assert harness.erp.created("upsert_customer") == 2
    assert _booked_to(harness, "post_payment", "ch_2") == record.erp_reference


def test_a_code_taken_by_another_customer_is_passed_over(harness):
    _book(harness, "ch_1", 1000, "usd")
    main = harness.record("customer:cus_A").erp_reference
    pattern_code = (
        f"{main[-4:]}EUR" if harness.erp.kind == "syspro" else (f"{main[-6:]}-EUR")
    )
    fields = {
        "syspro": ("Customer", "Name", "Email"),
        "sagepro": ("custno", "company", "email"),
    }[harness.erp.kind]
    harness.erp.customers[pattern_code] = {
        fields[0]: pattern_code,
        fields[1]: "Someone Else",
        fields[2]: "else@example.com",
        CURRENCY_FIELD[harness.erp.kind]: "EUR",
    }

    _book(harness, "ch_2", 2000, "eur")

    account = harness.record("customer:cus_A:EUR").erp_reference
    assert account not in (pattern_code, main)
    assert _currency_of(harness, account) == "EUR"
    assert harness.erp.customers[pattern_code][fields[1]] == "Someone Else"


def test_the_first_currency_paid_is_the_main_account(harness):
    _book(harness, "ch_1", 1000, "eur")
    _book(harness, "ch_2", 2000, "usd")

    main = harness.record("customer:cus_A").erp_reference
    assert _currency_of(harness, main) == "EUR"
    assert _booked_to(harness, "post_payment", "ch_1") == main
    usd = _booked_to(harness, "post_payment", "ch_2")
    assert usd != main and _currency_of(harness, usd) == "USD"


def test_a_customer_update_reaches_its_per_currency_accounts(harness):
    _book(harness, "ch_1", 1000, "usd")
    _book(harness, "ch_2", 2000, "eur")
    customer = se.customer("cus_A", currency="usd", email="buyer@example.com")

    harness.deliver(
        se.event(
            "customer.updated",
            {**customer, "name": "Harbour Cycles Ltd"},
            created=se.BASE_TIME + 500,
            previous={"name": "Jenny Rosen"},
        )
    )

    name = {"syspro": "Name", "sagepro": "company"}[harness.erp.kind]
    main = harness.record("customer:cus_A").erp_reference
    euro = harness.record("customer:cus_A:EUR").erp_reference
    for code, currency in ((main, "USD"), (euro, "EUR")):
        assert harness.erp.customers[code][name] == "Harbour Cycles Ltd"
        assert _currency_of(harness, code) == currency
    assert harness.erp.created("upsert_customer") == 2


def test_an_invoice_in_another_currency_goes_to_that_currencys_account(harness):
    _book(harness, "ch_1", 1000, "usd")
    invoice = se.invoice("in_e", amount=11500, currency="eur", charge_id="ch_ie")

    harness.deliver(se.event("invoice.paid", invoice))
    refund = se.refund("re_ie", charge_id="ch_ie", amount=1500, currency="eur")
    harness.deliver(se.event("refund.created", refund))

    euro = harness.record("customer:cus_A:EUR").erp_reference
    assert _currency_of(harness, euro) == "EUR"
    assert harness.erp.document("create_invoice", "in_e").customer == euro
    assert _booked_to(harness, "post_payment", "ch_ie") == euro
    assert _booked_to(harness, "post_credit_note", "re_ie") == euro
    assert harness.erp.created("upsert_customer") == 2


def test_hold_policy_books_no_account_and_holds_the_order(harness):
    integration = harness.integration
    integration.options = {
        **(integration.options or {}),
        "customer_currency_policy": "hold",
    }
    integration.save()
    AnomalyPolicy.objects.filter(integration=integration).update(
        enabled=True, duplicate_charge=False, amount_outlier=False
    )
    _book(harness, "ch_1", 1000, "usd")

    _book(harness, "ch_2", 2000, "eur")

    main = harness.record("customer:cus_A").erp_reference
    assert harness.record("customer:cus_A:EUR").erp_reference == main
    order = harness.record("ch_2:sales_order")
    assert order.status == SyncRecord.Status.HELD
    assert "EUR differs from the ERP customer's currency USD" in order.hold_reason
    assert "set it to 'per_currency_account' or 'convert'" in order.hold_reason
    assert harness.erp.created("upsert_customer") == 1
    assert not CustomerLink.objects.filter(currency="EUR").exists()


# Convert --------------------------------------------------------------------


def _convert(harness) -> None:
    integration = harness.integration
    integration.options = {
        **(integration.options or {}),
        "customer_currency_policy": "convert",
    }
    integration.save()


def _settled(charge: dict, *, usd: int, rate: str) -> dict:
    """The charge with its balance transaction: settled in USD at `rate`."""
    charge["balance_transaction"] = {
        "id": f"txn_{charge['id']}",
        "object": "balance_transaction",
        "amount": usd,
        "currency": "usd",
        "exchange_rate": float(rate),
    }
    return charge


def test_convert_books_the_charge_in_usd_at_the_balance_transactions_amount(harness):
    _convert(harness)
    _book(harness, "ch_1", 1000, "usd")
    # 12.50 EUR at 1.0856 is 13.57 USD
    charge = _settled(
        se.charge("ch_e", amount=1250, currency="eur"), usd=1357, rate="1.0856"
    )
    harness.deliver(se.event("charge.succeeded", charge))

    main = harness.record("customer:cus_A").erp_reference
    assert _booked_to(harness, "create_sales_order", "ch_e") == main
    assert harness.erp.document("post_payment", "ch_e").amount == Decimal("13.57")
    assert harness.erp.document("create_sales_order", "ch_e").amount == Decimal("13.57")
    assert not CustomerLink.objects.filter(currency="EUR").exists()
    payment = harness.record("ch_e:payment")
    assert payment.source["currency"] == "USD"
    assert payment.source["fx"]["from_currency"] == "EUR"
    assert payment.source["fx"]["rate"] == "1.0856"


def test_convert_fetches_the_transaction_of_a_charge_rebuilt_from_its_intent(
    harness,
):
    _convert(harness)
    _book(harness, "ch_1", 1000, "usd")
    harness.stripe.charges["ch_pi"] = _settled(
        se.charge("ch_pi", amount=1250, currency="eur"), usd=1357, rate="1.0856"
    )
    intent = se.example(
        "payment_intent",
        id="pi_e",
        amount=1250,
        amount_received=1250,
        currency="eur",
        customer="cus_A",
        status="succeeded",
        latest_charge="ch_pi",
        created=se.BASE_TIME,
    )

    harness.deliver(se.event("payment_intent.succeeded", intent))

    assert harness.erp.document("post_payment", "ch_pi").amount == Decimal("13.57")
    assert ("retrieve_charge", "ch_pi") in harness.stripe.calls


def test_convert_rounds_each_line_and_posts_the_difference_as_its_own_line(harness):
    _convert(harness)
    # three lines of 3.33 EUR: 3.62 USD each at 1.0856 (3.615048), 10.86 in
    # all, while Stripe converted the 9.99 EUR charge to 10.85 USD
    charge = _settled(
        se.charge(
            "ch_l",
            amount=999,
            currency="eur",
            metadata={"lines": '[{"sku": "A1", "quantity": 3, "unit_amount": 333}]'},
        ),
        usd=1085,
        rate="1.0856",
    )
    harness.deliver(se.event("charge.succeeded", charge))

    order = harness.record("ch_l:sales_order")
    lines = order.source["lines"]
    assert [(line["unit_amount"], line["quantity"]) for line in lines] == [
        (362, 3),
        (-1, 1),
    ]
    assert lines[1]["description"] == "FX difference at Stripe's exchange rate"
    assert sum(line["amount"] for line in lines) == 1085 == order.source["amount"]
    assert harness.erp.document("create_sales_order", "ch_l").amount == Decimal("10.85")


@pytest.mark.parametrize(
    ("currency", "amount", "usd", "rate", "refunded", "credited", "actual"),
    [
        # zero decimals: 5,000 JPY at 0.0067 = 33.50 USD; 1,000 JPY back
        # at the charge's rate is 6.70, Stripe's transaction of the day 6.80
        ("jpy", 5000, 3350, "0.0067", 1000, 670, 680),
        # three decimals: 12.345 KWD at 3.2567 = 40.20 USD; 1.000 KWD back
        # is 3.26 at the charge's rate, Stripe's transaction 3.22
        ("kwd", 12345, 4020, "3.2567", 1000, 326, 322),
    ],
)
def test_convert_refunds_at_the_charges_rate_and_journals_the_fx_difference(
    harness, currency, amount, usd, rate, refunded, credited, actual
):
    _convert(harness)
    _book(harness, "ch_1", 1000, "usd")
    charge = _settled(
        se.charge("ch_x", amount=amount, currency=currency), usd=usd, rate=rate
    )
    harness.stripe.charges["ch_x"] = charge
    refund = se.refund("re_x", charge_id="ch_x", amount=refunded, currency=currency)
    refund["balance_transaction"] = {
        "id": "txn_re_x",
        "object": "balance_transaction",
        "amount": -actual,
        "currency": "usd",
        "exchange_rate": None,
    }

    # the refund first (its charge is fetched and planned), then the charge
    harness.deliver(
        se.event("refund.created", refund),
        se.event("charge.succeeded", charge),
        se.event("refund.created", refund),
    )

    main = harness.record("customer:cus_A").erp_reference
    credit = harness.record("re_x:credit_note")
    assert credit.source["currency"] == "USD"
    assert credit.source["amount"] == credited
    assert _booked_to(harness, "post_credit_note", "re_x") == main
    journal = harness.record("re_x:fx")
    assert journal.status == SyncRecord.Status.SUCCEEDED
    lines = journal.source["lines"]
    assert [line["amount"] for line in lines] == [
        actual - credited,
        credited - actual,
    ]
    assert sum(line["amount"] for line in lines) == 0
    assert [line["account"] for line in lines] == ["7910", "1090"]
    assert len(harness.erp.docs("post_journal")) == 1
