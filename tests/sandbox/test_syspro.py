"""SYSPRO e.net sandbox: PROTOCOLS.md §1 request shapes, errors as e.net sends them."""

import json

import pytest
from defusedxml import ElementTree as SafeET
from django.core.cache import cache
from django.test import Client, override_settings
from freezegun import freeze_time

from sandbox import faults as faults_module
from sandbox.faults import faults_set
from sandbox.syspro.models import Counter

pytestmark = pytest.mark.django_db

REST = "/sandbox/syspro/SYSPROWCFService/Rest"
CONTROL_AUTH = {"HTTP_AUTHORIZATION": "Bearer syspro_control_sandbox"}
LOGON = {
    "Operator": "ADMIN",
    "OperatorPassword": "sandbox-operator",
    "CompanyId": "EDU1",
    "CompanyPassword": "sandbox-company",
}
POST_PARAMS = (
    "<PostArPayment><Parameters><PostingPeriod>C</PostingPeriod>"
    "<IgnoreWarnings>Y</IgnoreWarnings>"
    "<ApplyIfEntireDocumentValid>Y</ApplyIfEntireDocumentValid>"
    "<ValidateOnly>N</ValidateOnly>"
    "<AutoCorrectPaymentValue>U</AutoCorrectPaymentValue></Parameters></PostArPayment>"
)
SORTOI_PARAMS = (
    "<SalesOrders><Parameters><Process>IMPORT</Process>"
    "<IgnoreWarnings>N</IgnoreWarnings>"
    "<AlwaysUsePriceEntered>Y</AlwaysUsePriceEntered>"
    "<AllowZeroPrice>N</AllowZeroPrice></Parameters></SalesOrders>"
)


@pytest.fixture(autouse=True)
def _fresh_faults():
    cache.clear()
    faults_module._cache.clear()
    faults_set("syspro", numberless_order_reply_rate=0)
    yield
    faults_module._cache.clear()


@pytest.fixture
def client():
    return Client()


def call(client, path, **params):
    response = client.get(f"{REST}/{path}", params)
    return response


@pytest.fixture
def user_id(client):
    response = call(client, "Logon", **LOGON)
    assert response.status_code == 200
    body = response.content.decode()
    assert not body.startswith("ERROR"), body
    return body


def post(client, user_id, business_object, xml_in, xml_parameters=""):
    response = call(
        client,
        "Transaction/Post",
        UserId=user_id,
        BusinessObject=business_object,
        XmlParameters=xml_parameters,
        XmlIn=xml_in,
    )
    assert response.status_code == 200
    return response.content.decode()


def query(client, user_id, business_object, xml_in):
    response = call(
        client,
        "Query/Query",
        UserId=user_id,
        BusinessObject=business_object,
        XmlIn=xml_in,
    )
    assert response.status_code == 200
    return response.content.decode()


def xml(body):
    return SafeET.fromstring(body.encode())


def state(client):
    response = client.get("/sandbox/syspro/_state", **CONTROL_AUTH)
    assert response.status_code == 200
    return response.json()


def order_xml(po="ch_1", customer="0000001", lines=None, currency="USD"):
    lines = lines or (
        "<StockLine><CustomerPoLine>1</CustomerPoLine><StockCode>A100</StockCode>"
        "<Warehouse>FG</Warehouse><OrderQty>2</OrderQty><OrderUom>EA</OrderUom>"
        "<Price>9.00</Price><PriceUom>EA</PriceUom></StockLine>"
        "<MiscChargeLine><CustomerPoLine>2</CustomerPoLine>"
        "<MiscChargeValue>1.50</MiscChargeValue><MiscProductClass>_OTH"
        "</MiscProductClass><MiscDescription>Stripe payment</MiscDescription>"
        "</MiscChargeLine>"
    )
    return (
        "<SalesOrders><Orders><OrderHeader>"
        f"<CustomerPoNumber>{po}</CustomerPoNumber><OrderActionType>A</OrderActionType>"
        f"<Customer>{customer}</Customer><OrderDate>2025-04-01</OrderDate>"
        f"<Currency>{currency}</Currency><Warehouse>FG</Warehouse></OrderHeader>"
        f"<OrderDetails>{lines}</OrderDetails></Orders></SalesOrders>"
    )


def errors_of(root):
    return [
        (
            el.tag,
            el.findtext("Value"),
            el.findtext("ErrorNumber"),
            el.findtext("ErrorDescription"),
        )
        for el in root.iter()
        if el.find("ErrorDescription") is not None
    ]


# --- logon and sessions ----------------------------------------------------


def test_logon_returns_guid_and_profile(client, user_id):
    assert len(user_id) == 36
    profile = xml(call(client, "GetLogonProfile", UserId=user_id).content.decode())
    assert profile.findtext("OperatorCode") == "ADMIN"
    assert profile.findtext("CompanyId") == "EDU1"
    assert profile.findtext("LocalCurrencyCode") == "USD"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("OperatorPassword", "wrong", "Invalid operator password"),
        ("Operator", "NOBODY", "Operator 'NOBODY' not found"),
        ("CompanyId", "ZZZ", "Company 'ZZZ' not found"),
        ("CompanyPassword", "wrong", "Invalid company password"),
    ],
)
def test_bad_logon_is_an_error_body_with_http_200(client, field, value, message):
    response = call(client, "Logon", **{**LOGON, field: value})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("ERROR")
    assert message in body


@override_settings(SANDBOX_SYSPRO_OPERATOR_PASSWORD="rotated")
def test_credentials_are_read_per_request(client):
    assert call(client, "Logon", **LOGON).content.startswith(b"ERROR")
    good = call(client, "Logon", **{**LOGON, "OperatorPassword": "rotated"})
    assert not good.content.startswith(b"ERROR")


def test_second_logon_ends_first_session(client, user_id):
    second = call(client, "Logon", **LOGON).content.decode()
    old = call(client, "GetLogonProfile", UserId=user_id).content.decode()
    assert old.startswith("ERROR")
    assert "session has ended" in old
    assert not call(client, "GetLogonProfile", UserId=second).content.startswith(
        b"ERROR"
    )


def test_logoff_ends_session(client, user_id):
    assert call(client, "Logoff", UserId=user_id).content == b"0"
    assert call(client, "GetLogonProfile", UserId=user_id).content.startswith(b"ERROR")


def test_unknown_user_id_is_session_error(client):
    body = query(
        client,
        "NOT-A-SESSION",
        "INVQRY",
        "<Query><Key><StockCode>A100</StockCode></Key></Query>",
    )
    assert body.startswith("ERROR")


@override_settings(SANDBOX_SYSPRO_SESSION_IDLE_SECONDS=60)
def test_idle_session_expires(client, user_id):
    from datetime import timedelta

    from django.utils import timezone

    from sandbox.syspro.models import Session

    Session.objects.update(last_used_at=timezone.now() - timedelta(seconds=61))
    body = call(client, "GetLogonProfile", UserId=user_id).content.decode()
    assert body.startswith("ERROR")
    assert "expired" in body


def test_unknown_business_object(client, user_id):
    body = post(client, user_id, "XXXXXX", "<X/>")
    assert body.startswith("e.net exception 100000")
    # A query object through Transaction/Post is just as unknown there.
    assert post(client, user_id, "SORQRY", "<Query/>").startswith(
        "e.net exception 100000"
    )
    assert query(client, user_id, "SORTOI", "<Query/>").startswith(
        "e.net exception 100000"
    )


def test_malformed_xml_is_an_exception_not_a_500(client, user_id):
    body = post(client, user_id, "SORTOI", "<SalesOrders><Orders>")
    assert body.startswith("e.net exception 100050")
    entity = '<!DOCTYPE x [<!ENTITY a "aaaa">]><SalesOrders>&a;</SalesOrders>'
    assert post(client, user_id, "SORTOI", entity).startswith("e.net exception 100050")
    assert post(client, user_id, "SORTOI", "<Wrong/>").startswith(
        "e.net exception 100050"
    )


def test_only_get_is_allowed(client):
    assert client.post(f"{REST}/Logon", LOGON).status_code == 405


# --- customers (ARSSCS) ----------------------------------------------------


def customer_xml(code, **fields):
    body = "".join(f"<{k}>{v}</{k}>" for k, v in fields.items())
    return (
        f"<SetupArCustomer><Item><Key><Customer>{code}</Customer></Key>"
        f"{body}</Item></SetupArCustomer>"
    )


def setup(client, user_id, action, xml_in):
    response = call(
        client,
        f"Setup/{action}",
        UserId=user_id,
        BusinessObject="ARSSCS",
        XmlParameters="<SetupArCustomer><Parameters><ValidateOnly>N</ValidateOnly></Parameters></SetupArCustomer>",
        XmlIn=xml_in,
    )
    return xml(response.content.decode())


def test_customer_add_and_update(client, user_id):
    out = setup(
        client,
        user_id,
        "Add",
        customer_xml(
            "S000001",
            Name="Acme Ltd",
            Currency="USD",
            Email="a@example.com",
            SoldToAddr1="1 Main St",
            CreditLimit="0",
        ),
    )
    assert out.findtext("StatusOfItems/ItemsProcessed") == "000001"
    assert out.findtext("Item/ItemNumber") == "000001"
    out = setup(
        client, user_id, "Update", customer_xml("S000001", Telephone="555-1234")
    )
    assert out.findtext("StatusOfItems/ItemsProcessed") == "000001"
    customer = next(c for c in state(client)["customers"] if c["code"] == "S000001")
    assert customer["name"] == "Acme Ltd"
    assert customer["telephone"] == "555-1234"
    assert customer["addresses"] == {"SoldToAddr1": "1 Main St"}


def test_customer_validation_errors(client, user_id):
    out = setup(
        client,
        user_id,
        "Add",
        customer_xml("TOOLONGCODE", Name="x" * 31),
    )
    assert out.findtext("StatusOfItems/ItemsProcessed") == "000000"
    assert out.findtext("StatusOfItems/ItemsRejectedWithWarnings") == "000001"
    found = {tag: (value, number) for tag, value, number, _ in errors_of(out)}
    assert found["Customer"] == ("TOOLONGCODE", "100002")
    assert found["Name"][1] == "100002"
    flag = setup(client, user_id, "Add", customer_xml("S8", CustomerOnHold="maybe"))
    assert errors_of(flag) == [
        ("CustomerOnHold", "maybe", "100007", "CustomerOnHold must be one of Y, N")
    ]
    assert (
        setup(client, user_id, "Add", customer_xml("0000001", Name="Dup")).findtext(
            "Item/Customer/ErrorNumber"
        )
        == "200102"
    )
    assert (
        setup(client, user_id, "Update", customer_xml("NOPE", Name="x")).findtext(
            "Item/Customer/ErrorNumber"
        )
        == "200101"
    )
    assert (
        setup(client, user_id, "Add", customer_xml("S9")).findtext(
            "Item/Name/ErrorNumber"
        )
        == "100001"
    )


# --- sales orders (SORTOI) -------------------------------------------------


def test_sales_order_import_returns_order_number(client, user_id):
    out = xml(post(client, user_id, "SORTOI", order_xml(), SORTOI_PARAMS))
    number = out.findtext("Order/SalesOrder")
    assert number and number.isdigit()
    assert out.findtext("Order/CustomerPoNumber") == "ch_1"
    assert out.findtext("StatusOfItems/ItemsProcessed") == "000001"
    orders = state(client)["sales_orders"]
    assert orders[0]["sales_order"] == number
    assert orders[0]["reference"] == "ch_1"
    assert orders[0]["order_value"] == "19.50"
    assert [line["value"] for line in orders[0]["lines"]] == ["18.00", "1.50"]
    # and the lookup a connector runs before creating finds it
    found = xml(
        query(
            client,
            user_id,
            "SORQSO",
            '<Query><Filter><Customer FilterType="A" FilterValue=""/>'
            '<CustomerPo FilterType="S" FilterValue="ch_1"/></Filter></Query>',
        )
    )
    assert [n.findtext("SalesOrder") for n in found.findall("SalesOrderItem")] == [
        number
    ]
    detail = xml(
        query(
            client,
            user_id,
            "SORQRY",
            f"<Query><Key><SalesOrder>{number}</SalesOrder></Key></Query>",
        )
    )
    assert detail.findtext("SalesOrderHeader/CustomerPoNumber") == "ch_1"
    assert len(detail.findall("SalesOrderLine")) == 2


def test_sales_order_validation_reports_each_field(client, user_id):
    lines = (
        "<StockLine><CustomerPoLine>1</CustomerPoLine><StockCode>NOPE</StockCode>"
        "<Warehouse>XX</Warehouse><OrderQty>abc</OrderQty><Price>1.999</Price>"
        "<PriceUom>EA</PriceUom></StockLine>"
    )
    out = xml(
        post(
            client,
            user_id,
            "SORTOI",
            order_xml(customer="9999999", lines=lines),
            SORTOI_PARAMS,
        )
    )
    assert out.findtext("StatusOfItems/ItemsProcessed") == "000000"
    assert out.findtext("StatusOfItems/ItemsRejectedWithWarnings") == "000001"
    numbers = {tag: number for tag, _, number, _ in errors_of(out)}
    assert numbers["Customer"] == "200101"
    assert numbers["StockCode"] == "200201"
    assert numbers["Warehouse"] == "200202"
    assert numbers["OrderQty"] == "100004"
    line = out.find("Order/StockLine")
    assert line.findtext("CustomerPoLine") == "1"
    assert line.findtext("StockCode/Value") == "NOPE"
    assert state(client)["sales_orders"] == []


def test_sales_order_precision_currency_and_duplicates(client, user_id):
    too_precise = (
        "<MiscChargeLine><MiscChargeValue>1.234</MiscChargeValue>"
        "<MiscProductClass>_OTH</MiscProductClass>"
        "<MiscDescription>x</MiscDescription></MiscChargeLine>"
    )
    out = xml(
        post(client, user_id, "SORTOI", order_xml(lines=too_precise), SORTOI_PARAMS)
    )
    assert errors_of(out)[0][2] == "100006"
    out = xml(post(client, user_id, "SORTOI", order_xml(currency="EUR"), SORTOI_PARAMS))
    assert errors_of(out)[0][:3] == ("Currency", "EUR", "200103")
    post(client, user_id, "SORTOI", order_xml(po="ch_dup"), SORTOI_PARAMS)
    out = xml(post(client, user_id, "SORTOI", order_xml(po="ch_dup"), SORTOI_PARAMS))
    assert errors_of(out)[0][2] == "200205"
    assert len(state(client)["sales_orders"]) == 1


def test_sales_order_validate_only_writes_nothing(client, user_id):
    params = SORTOI_PARAMS.replace("IMPORT", "VALIDATE")
    out = xml(post(client, user_id, "SORTOI", order_xml(), params))
    assert out.findtext("StatusOfItems/ItemsRejectedWithWarnings") == "000000"
    assert out.findtext("StatusOfItems/ItemsProcessed") == "000000"
    assert state(client)["sales_orders"] == []


def test_contract_price_used_when_price_not_forced(client, user_id):
    params = SORTOI_PARAMS.replace(
        "<AlwaysUsePriceEntered>Y", "<AlwaysUsePriceEntered>N"
    )
    lines = "<StockLine><StockCode>A100</StockCode><OrderQty>1</OrderQty></StockLine>"
    post(client, user_id, "SORTOI", order_xml(lines=lines), params)
    assert state(client)["sales_orders"][0]["lines"][0]["price"] == "9.00"
    prices = xml(
        query(
            client,
            user_id,
            "SORQCP",
            '<Query><Filter><Customer FilterType="S" FilterValue="0000001"/>'
            "</Filter></Query>",
        )
    )
    assert prices.findtext("ContractPrice/Price") == "9.00"


# --- payments, invoices, credit notes, adjustments -------------------------


def payment_xml(reference="ch_1", value="19.99", invoice=""):
    applied = (
        f"<InvoiceToPay><Invoice>{invoice}</Invoice>"
        f"<GrossPaymentValue>{value}</GrossPaymentValue></InvoiceToPay>"
        if invoice
        else f"<UnappliedPayment><GrossPaymentValue>{value}</GrossPaymentValue>"
        "</UnappliedPayment>"
    )
    return (
        "<PostArPayment><Item><Payment><Customer>0000001</Customer>"
        f"<PaymentValue>{value}</PaymentValue><Reference>{reference}</Reference>"
        "<PaymentDate>2025-04-01</PaymentDate><Bank>STRIPE</Bank><PaymentType>O</PaymentType>"
        f"<JournalNotation>Stripe</JournalNotation>{applied}</Payment></Item></PostArPayment>"
    )


def statement_of(client, user_id, **options) -> object:
    option = "".join(f"<{k}>{v}</{k}>" for k, v in options.items())
    return xml(
        query(
            client,
            user_id,
            "ARSQRY",
            "<Query><Key><Customer>0000001</Customer></Key>"
            f"<Option>{option}</Option></Query>",
        )
    )


def references_in(statement) -> list[str]:
    return [t.findtext("Reference") for t in statement.iter("TransDetail")]


def test_unapplied_payment_and_lookup(client, user_id):
    """Unapplied cash with GrossPaymentValue inside UnappliedPayment
    (Zindaar/SYSPROIntegration ARPrimaryPosting/PostARPayments
    AdjustmentsAndMiscellaneousReceipts/ARSTPYDOC.vb), found again through
    ARSQRY's TransDetail/Reference (Common/Query/BusinessObjects/
    CustomerQuery/TransDetail.vb)."""
    out = xml(post(client, user_id, "ARSTPY", payment_xml(), POST_PARAMS))
    assert out.findtext("StatusOfItems/ItemsProcessed") == "000001"
    assert out.findtext("Item/Journal")
    payment = state(client)["payments"][0]
    assert payment["reference"] == "ch_1"
    assert payment["unapplied_value"] == "19.99"
    assert references_in(statement_of(client, user_id)) == ["ch_1"]


def invoice_xml(number="INV100", value="50.00", reference="in_1", **more) -> str:
    fields = {
        "TransactionType": "I",
        "Customer": "0000001",
        "Invoice": number,
        "InvoiceDate": "2025-04-01",
        "Reference": reference,
        "InvoiceValue": value,
        "TaxValue": "0",
        "ProductClass": "STRP",
        **more,
    }
    body = "".join(f"<{k}>{v}</{k}>" for k, v in fields.items() if v is not None)
    return f"<PostArInvoices><Item>{body}</Item></PostArInvoices>"


ARSTIN_PARAMS = POST_PARAMS.replace("PostArPayment", "PostArInvoices").replace(
    "<AutoCorrectPaymentValue>U</AutoCorrectPaymentValue>", ""
)


def test_invoice_then_applied_payment_and_credit_note(client, user_id):
    """ARSTIN root PostArInvoices, ProductClass mandatory, a credit note posted
    to its invoice with PostToExistingInvoice (Zindaar/SYSPROIntegration
    ARPrimaryPosting/AccountsReceivableInvoicePosting/ARSTIN.vb, ARSTINDOC.vb)."""
    out = xml(post(client, user_id, "ARSTIN", invoice_xml(), ARSTIN_PARAMS))
    assert out.findtext("Item/Invoice") == "INV100"
    # the same document number again is refused
    again = xml(post(client, user_id, "ARSTIN", invoice_xml()))
    assert errors_of(again)[0][2] == "200303"
    # more than the balance is refused, the balance itself is fine
    assert (
        errors_of(
            xml(post(client, user_id, "ARSTPY", payment_xml("ch_x", "60.00", "INV100")))
        )[0][2]
        == "200306"
    )
    post(client, user_id, "ARSTPY", payment_xml("ch_2", "40.00", "INV100"), POST_PARAMS)
    credit = invoice_xml(
        "INV100",
        "5.00",
        "re_1",
        TransactionType="C",
        PostToExistingInvoice="Y",
    )
    out = xml(post(client, user_id, "ARSTIN", credit))
    assert out.findtext("Item/Invoice") == "INV100"
    data = state(client)
    assert data["invoices"][0]["balance"] == "5.00"
    assert data["payments"][0]["applied"] == [{"invoice": "INV100", "value": "40.00"}]
    assert data["credit_notes"][0]["invoice_value"] == "-5.00"
    assert data["credit_notes"][0]["posted_to"] == "INV100"
    assert references_in(statement_of(client, user_id)) == ["in_1", "re_1", "ch_2"]


def test_credit_note_with_the_invoice_number_but_not_posted_to_it_collides(
    client, user_id
):
    post(client, user_id, "ARSTIN", invoice_xml())
    credit = invoice_xml("INV100", "5.00", "re_1", TransactionType="C")
    assert errors_of(xml(post(client, user_id, "ARSTIN", credit)))[0][2] == "200303"


def test_arstin_refuses_a_missing_or_unknown_product_class(client, user_id):
    missing = xml(post(client, user_id, "ARSTIN", invoice_xml(ProductClass=None)))
    assert errors_of(missing) == [
        ("ProductClass", "", "100001", "ProductClass is mandatory in Item")
    ]
    unknown = xml(post(client, user_id, "ARSTIN", invoice_xml(ProductClass="ZZZZ")))
    assert errors_of(unknown)[0][:3] == ("ProductClass", "ZZZZ", "200308")
    assert state(client)["invoices"] == []


def test_arstin_generates_the_number_when_asked(client, user_id):
    out = xml(
        post(
            client,
            user_id,
            "ARSTIN",
            invoice_xml(None, GenerateInvoiceNumber="Y"),
        )
    )
    assert out.findtext("Item/Invoice").isdigit()


def adjustment_xml(invoice="INV100", value="-15.00", reference="dp_1") -> str:
    return (
        "<PostArPayment><Item><Adjustments><Customer>0000001</Customer>"
        "<Bank>STRIPE</Bank><InvoiceToAdjust><TransactionType>I</TransactionType>"
        f"<Invoice>{invoice}</Invoice><AdjustmentValue>{value}</AdjustmentValue>"
        f"<Reference>{reference}</Reference><JournalNotation>dispute"
        "</JournalNotation></InvoiceToAdjust></Adjustments></Item></PostArPayment>"
    )


def test_adjustment_applies_syspro_sign(client, user_id):
    """A positive AdjustmentValue lowers the invoice's balance as a payment
    would; a negative one (a dispute's withdrawal) raises what is owed.
    InvoiceToAdjust needs an existing AR invoice (ARSTPYDOC.vb)."""
    post(client, user_id, "ARSTIN", invoice_xml())
    post(client, user_id, "ARSTPY", payment_xml("ch_2", "50.00", "INV100"), POST_PARAMS)
    out = xml(post(client, user_id, "ARSTPY", adjustment_xml(), POST_PARAMS))
    assert out.findtext("StatusOfItems/ItemsProcessed") == "000001"
    data = state(client)
    assert data["adjustments"][0]["adjustment_value"] == "-15.00"
    assert data["invoices"][0]["balance"] == "15.00"
    post(
        client,
        user_id,
        "ARSTPY",
        adjustment_xml(value="15.00", reference="dp_1:back"),
        POST_PARAMS,
    )
    assert state(client)["invoices"][0]["balance"] == "0.00"
    statement = statement_of(client, user_id, IncludeZeroBalances="Y")
    assert references_in(statement) == ["in_1", "ch_2", "dp_1", "dp_1:back"]
    # a paid-up invoice is hidden unless zero balances are asked for
    assert references_in(statement_of(client, user_id)) == []


def test_a_statement_without_transactions_lists_invoices_but_no_transactions(
    client, user_id
):
    """IncludeTransactions=N (its default is Y, ARPrimaryQuery/CustomerQuery/
    ARSQRY.vb): the header and each open invoice with its balance, no
    TransDetail."""
    post(client, user_id, "ARSTIN", invoice_xml())
    post(client, user_id, "ARSTPY", payment_xml("ch_2", "20.00", "INV100"), POST_PARAMS)
    post(client, user_id, "ARSTPY", adjustment_xml(value="5.00"), POST_PARAMS)

    full = statement_of(client, user_id)
    header_only = statement_of(client, user_id, IncludeTransactions="N")

    assert references_in(full) == ["in_1", "ch_2", "dp_1"]
    assert references_in(header_only) == []
    assert header_only.findtext("Header/Customer") == "0000001"
    assert header_only.findtext("InvoiceDetail/Invoice") == "INV100"
    assert header_only.findtext("InvoiceDetail/InvoiceBalance") == "25.00"


def test_adjustment_of_a_sales_order_number_is_refused(client, user_id):
    post(client, user_id, "SORTOI", order_xml(), SORTOI_PARAMS)
    number = state(client)["sales_orders"][0]["sales_order"]
    out = xml(post(client, user_id, "ARSTPY", adjustment_xml(number), POST_PARAMS))
    assert errors_of(out)[0][:3] == ("Invoice", number, "200302")


def test_payment_unknown_bank_and_bad_date(client, user_id):
    bad = payment_xml().replace("STRIPE", "NOBANK").replace("2025-04-01", "01/04/2025")
    out = xml(post(client, user_id, "ARSTPY", bad, POST_PARAMS))
    numbers = {tag: number for tag, _, number, _ in errors_of(out)}
    assert numbers == {"Bank": "200301", "PaymentDate": "100003"}
    assert state(client)["payments"] == []


def test_entire_document_rule_blocks_valid_items_too(client, user_id):
    good = payment_xml("ch_ok")
    bad = payment_xml("ch_bad").replace("0000001", "NOPE")
    both = good.replace("</PostArPayment>", "") + bad.replace("<PostArPayment>", "")
    out = xml(post(client, user_id, "ARSTPY", both, POST_PARAMS))
    assert out.findtext("StatusOfItems/ItemsRejectedWithWarnings") == "000001"
    assert out.findtext("StatusOfItems/ItemsProcessed") == "000000"
    assert state(client)["payments"] == []
    partial = POST_PARAMS.replace(
        "<ApplyIfEntireDocumentValid>Y", "<ApplyIfEntireDocumentValid>N"
    )
    out = xml(post(client, user_id, "ARSTPY", both, partial))
    assert out.findtext("StatusOfItems/ItemsProcessed") == "000001"
    assert [p["reference"] for p in state(client)["payments"]] == ["ch_ok"]


# --- GL journals (GENTJL) -------------------------------------------------


def journal_xml(
    amounts=(("1010", "95.00"), ("6210", "5.00"), ("1090", "-100.00")), reference="po_1"
):
    lines = "".join(
        f"<JournalDetails><EntryNumber>{n}</EntryNumber><LedgerCode>{code}</LedgerCode>"
        f"<Reference>{reference}</Reference><EntryAmount>{amount}</EntryAmount>"
        "<Comment>payout</Comment></JournalDetails>"
        for n, (code, amount) in enumerate(amounts, start=1)
    )
    return (
        "<PostGlJournal><Item><JournalType>N</JournalType>"
        "<JournalDate>2025-04-02</JournalDate>"
        f"<JournalReference>{reference}</JournalReference>"
        "<Notation>Stripe payout</Notation>"
        f"{lines}</Item></PostGlJournal>"
    )


def test_balanced_journal_posts_with_its_key(client, user_id):
    """GENTJL's reply: postgljournal/Item/Transaction/Key and the counters
    JournalsProcessed, PostingsProcessed, PostingsInvalid (Zindaar/
    SYSPROIntegration GeneralLedgerPrimaryPosting/PostJournalsToGLSystemNormal
    ProvisionalUserDefinedStatisticalAlternateCurrency/, its XmlOut class)."""
    out = xml(post(client, user_id, "GENTJL", journal_xml()))
    key = out.find("Item/Transaction/Key")
    assert key.findtext("GlYear") == "2025"
    assert key.findtext("GlPeriod") == "4"
    assert key.findtext("GlJournal")
    assert out.findtext("StatusOfItems/JournalsProcessed") == "000001"
    assert out.findtext("StatusOfItems/PostingsInvalid") == "000000"
    journal = state(client)["journals"][0]
    assert journal["reference"] == "po_1"
    assert [(line["ledger_code"], line["amount"]) for line in journal["lines"]] == [
        ("1010", "95.00"),
        ("6210", "5.00"),
        ("1090", "-100.00"),
    ]


def test_there_is_no_genqjd(client, user_id):
    body = query(
        client,
        user_id,
        "GENQJD",
        "<Query><Key><JournalReference>po_1</JournalReference></Key></Query>",
    )
    assert body.startswith("e.net exception 100000")


def test_unbalanced_journal_and_unknown_ledger(client, user_id):
    out = xml(
        post(
            client,
            user_id,
            "GENTJL",
            journal_xml((("1010", "95.00"), ("9999", "-94.99"))),
        )
    )
    found = {tag: (value, number) for tag, value, number, _ in errors_of(out)}
    assert found["JournalDetails"] == ("0.01", "200402")
    assert found["LedgerCode"] == ("9999", "200401")
    assert out.findtext("StatusOfItems/PostingsInvalid") == "000001"
    assert state(client)["journals"] == []


def test_three_decimal_and_zero_decimal_amounts(client, user_id):
    # EntryAmount is a SYSPRO value, 2 decimals (sandbox/syspro/shapes.py):
    # KWD's third decimal is refused, not stored.
    out = xml(
        post(
            client,
            user_id,
            "GENTJL",
            journal_xml((("1010", "1.234"), ("1090", "-1.234")), "po_kwd"),
        )
    )
    assert errors_of(out)[0][:3] == ("EntryAmount", "1.234", "100006")
    post(
        client,
        user_id,
        "GENTJL",
        journal_xml((("1010", "1.230"), ("1090", "-1.23")), "po_kwd"),
    )
    post(
        client,
        user_id,
        "GENTJL",
        journal_xml((("1010", "500"), ("1090", "-500")), "po_jpy"),
    )
    amounts = [
        [line["amount"] for line in j["lines"]] for j in state(client)["journals"]
    ]
    assert amounts == [["1.23", "-1.23"], ["500.00", "-500.00"]]


# --- other queries --------------------------------------------------------


def test_stock_item_query_and_missing_item(client, user_id):
    out = xml(
        query(
            client,
            user_id,
            "INVQRY",
            "<Query><Key><StockCode>B100</StockCode></Key></Query>",
        )
    )
    assert out.findtext("StockItem/SellingPrice") == "99.99"
    fg = [w for w in out.findall("WarehouseItem") if w.findtext("Warehouse") == "FG"][0]
    assert float(fg.findtext("QtyOnHand")) > 0
    missing = xml(
        query(
            client,
            user_id,
            "INVQRY",
            "<Query><Key><StockCode>ZZZ</StockCode></Key></Query>",
        )
    )
    assert missing.findtext("StockCode/ErrorNumber") == "200201"


# --- faults, control, state and reset ---------------------------------------


def test_control_requires_key_and_changes_faults(client):
    assert client.get("/sandbox/syspro/_control").status_code == 401
    assert client.get("/sandbox/syspro/_state").status_code == 401
    assert client.post("/sandbox/syspro/_reset").status_code == 401
    response = client.post(
        "/sandbox/syspro/_control",
        data=json.dumps({"latency_ms": 1}),
        content_type="application/json",
        **CONTROL_AUTH,
    )
    assert response.json()["faults"]["latency_ms"] == 1
    bad = client.post(
        "/sandbox/syspro/_control",
        data='{"down": "perhaps"}',
        content_type="application/json",
        **CONTROL_AUTH,
    )
    assert bad.status_code == 400


def test_down_and_error_rate_are_transport_failures(client, user_id):
    faults_set("syspro", down=True)
    assert call(client, "Logon", **LOGON).status_code == 503
    faults_set("syspro", down=False, error_rate=1)
    assert call(client, "GetLogonProfile", UserId=user_id).status_code == 502
    faults_set("syspro", error_rate=0)
    assert call(client, "GetLogonProfile", UserId=user_id).status_code == 200


def test_rate_limit_is_503_with_retry_after(client, user_id, monkeypatch):
    now = [1_790_000_000.2]
    monkeypatch.setattr(faults_module, "clock", lambda: now[0])
    faults_set("syspro", rate_limit_per_second=2)
    statuses = [call(client, "GetLogonProfile", UserId=user_id) for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 503]
    assert statuses[-1]["Retry-After"] == "1"
    # the next second has a fresh allowance
    now[0] += 1
    assert call(client, "GetLogonProfile", UserId=user_id).status_code == 200


def test_reject_credentials_fails_logon_and_live_sessions(client, user_id):
    faults_set("syspro", reject_credentials=True)
    assert call(client, "Logon", **LOGON).content.startswith(b"ERROR")
    assert call(client, "GetLogonProfile", UserId=user_id).content.startswith(b"ERROR")


def test_session_expired_switch_is_one_shot(client, user_id):
    faults_set("syspro", session_expired=True)
    assert call(client, "GetLogonProfile", UserId=user_id).content.startswith(b"ERROR")
    fresh = call(client, "Logon", **LOGON).content.decode()
    assert not call(client, "GetLogonProfile", UserId=fresh).content.startswith(
        b"ERROR"
    )


def test_error_after_write_commits_but_loses_reply(client, user_id):
    faults_set("syspro", error_after_write_rate=1)
    response = call(
        client,
        "Transaction/Post",
        UserId=user_id,
        BusinessObject="GENTJL",
        XmlParameters="",
        XmlIn=journal_xml(),
    )
    assert response.status_code == 502
    assert [j["reference"] for j in state(client)["journals"]] == ["po_1"]


def test_latency_is_applied(client, user_id, monkeypatch):
    slept = []
    monkeypatch.setattr(faults_module.time, "sleep", slept.append)
    faults_set("syspro", latency_ms=250)
    call(client, "GetLogonProfile", UserId=user_id)
    assert slept == [0.25]


def test_reset_restores_seed_and_wipes_documents(client, user_id):
    post(client, user_id, "SORTOI", order_xml(), SORTOI_PARAMS)
    post(client, user_id, "GENTJL", journal_xml())
    setup(client, user_id, "Add", customer_xml("S000009", Name="Temp"))
    setup(client, user_id, "Update", customer_xml("0000002", Name="Renamed"))
    assert client.post("/sandbox/syspro/_reset", **CONTROL_AUTH).status_code == 200
    data = state(client)
    assert data["sales_orders"] == [] and data["journals"] == []
    assert [(c["code"], c["name"]) for c in data["customers"]] == [
        ("0000001", "Bayside Bikes"),
        ("0000002", "Northwind Traders"),
        ("0000003", "Contoso Retail"),
    ]
    # sessions were wiped too: log on again
    assert call(client, "GetLogonProfile", UserId=user_id).content.startswith(b"ERROR")


def test_invoice_to_pay_without_gross_value_pays_the_whole_balance(client, user_id):
    """Without GrossPaymentValue SYSPRO pays the invoice's outstanding value
    (Zindaar/SYSPROIntegration ARPrimaryPosting/PostARPaymentsAdjustments
    AndMiscellaneousReceipts/ARSTPYDOC.vb, InvoiceToPay)."""
    post(
        client,
        user_id,
        "ARSTIN",
        invoice_xml("INV7", "12.50", "in_7").replace("0000001", "0000002"),
    )
    payment = (
        "<PostArPayment><Item><Payment><Customer>0000002</Customer>"
        "<PaymentValue>12.50</PaymentValue><Reference>ch_7</Reference>"
        "<JournalNotation>Stripe ch_7</JournalNotation><Bank>STRIPE</Bank>"
        "<InvoiceToPay><Invoice>INV7</Invoice></InvoiceToPay>"
        "</Payment></Item></PostArPayment>"
    )
    out = xml(post(client, user_id, "ARSTPY", payment))
    assert out.findtext("StatusOfItems/ItemsProcessed") == "000001", errors_of(out)
    assert state(client)["invoices"][0]["balance"] == "0.00"


# --- strictness: what SYSPRO would refuse or silently drop -------------------


@pytest.mark.parametrize(
    ("business_object", "document", "expected"),
    [
        # Payment has no SalesOrder (ARSTPYDOC.vb)
        (
            "ARSTPY",
            payment_xml().replace("<Bank>", "<SalesOrder>000001</SalesOrder><Bank>"),
            ("SalesOrder", "000001", "100010"),
        ),
        # the amount inside UnappliedPayment is GrossPaymentValue (ARSTPYDOC.vb)
        (
            "ARSTPY",
            payment_xml().replace("GrossPaymentValue", "UnappliedValue"),
            ("UnappliedValue", "19.99", "100010"),
        ),
        # PaymentType is C, S or O (ARSTPYDOC.vb enum PaymentType)
        (
            "ARSTPY",
            payment_xml().replace(">O</PaymentType>", ">CC</PaymentType>"),
            ("PaymentType", "CC", "100007"),
        ),
        # InvoiceToAdjust needs its JournalNotation (ARSTPYDOC.vb)
        (
            "ARSTPY",
            adjustment_xml().replace("<JournalNotation>dispute</JournalNotation>", ""),
            ("JournalNotation", "", "100001"),
        ),
        # PriceUom with Price (SORTOIDOC.vb)
        (
            "SORTOI",
            order_xml().replace("<PriceUom>EA</PriceUom>", ""),
            ("PriceUom", "", "100001"),
        ),
        # MiscProductClass on a misc charge line (SORTOIDOC.vb)
        (
            "SORTOI",
            order_xml().replace("<MiscProductClass>_OTH</MiscProductClass>", ""),
            ("MiscProductClass", "", "100001"),
        ),
        # GENTJL JournalType is N, P, U, S or L
        (
            "GENTJL",
            journal_xml().replace(">N</JournalType>", ">R</JournalType>"),
            ("JournalType", "R", "100007"),
        ),
    ],
)
def test_documents_outside_the_shape_are_refused(
    client, user_id, business_object, document, expected
):
    params = {"ARSTPY": POST_PARAMS, "SORTOI": SORTOI_PARAMS}.get(business_object, "")
    out = xml(post(client, user_id, business_object, document, params))
    assert [e[:3] for e in errors_of(out)] == [expected]
    data = state(client)
    assert data["payments"] == data["sales_orders"] == data["journals"] == []


def test_unknown_parameter_and_wrong_root_are_refused(client, user_id):
    params = POST_PARAMS.replace(
        "<ValidateOnly>", "<ValidateOnlyy>N</ValidateOnlyy><ValidateOnly>"
    )
    out = xml(post(client, user_id, "ARSTPY", payment_xml(), params))
    assert [e[:3] for e in errors_of(out)] == [("ValidateOnlyy", "N", "100010")]
    wrong = invoice_xml().replace("PostArInvoices", "PostArInvoice")
    assert post(client, user_id, "ARSTIN", wrong).startswith("e.net exception")


def test_queries_refuse_what_the_business_object_does_not_take(client, user_id):
    # ARSQRY has no Filter (ARPrimaryQuery/CustomerQuery/ARSQRY.vb)
    out = xml(
        query(
            client,
            user_id,
            "ARSQRY",
            "<Query><Key><Customer>0000001</Customer></Key>"
            '<Filter><Reference FilterType="S" FilterValue="ch_1"/></Filter></Query>',
        )
    )
    assert errors_of(out)[0][:3] == ("Filter", "", "100010")
    # SORQCP takes a Filter, not a Key
    out = xml(
        query(
            client,
            user_id,
            "SORQCP",
            "<Query><Key><Customer>0000001</Customer></Key></Query>",
        )
    )
    assert [e[0] for e in errors_of(out)] == ["Key", "Filter"]


def test_sorqso_hides_finished_orders_unless_asked(client, user_id):
    """IncludeCompletedOrders and IncludeCancelledOrders default to N
    (SalesOrdersPrimaryQuery/ListOfSalesOrders/SORQSO.vb)."""
    from sandbox.syspro.models import SalesOrder

    post(client, user_id, "SORTOI", order_xml(po="ch_done"), SORTOI_PARAMS)
    SalesOrder.objects.update(order_status="9")
    by_po = '<Filter><CustomerPo FilterType="S" FilterValue="ch_done"/></Filter>'
    hidden = xml(query(client, user_id, "SORQSO", f"<Query>{by_po}</Query>"))
    assert hidden.findall("SalesOrderItem") == []
    shown = xml(
        query(
            client,
            user_id,
            "SORQSO",
            "<Query><Option><IncludeCompletedOrders>Y</IncludeCompletedOrders>"
            f"<IncludeCancelledOrders>Y</IncludeCancelledOrders></Option>{by_po}"
            "</Query>",
        )
    )
    assert len(shown.findall("SalesOrderItem")) == 1


def test_sortoi_sometimes_answers_without_the_order_number(client, user_id):
    """A clean import can return only StatusOfItems (PROTOCOLS.md section 1)."""
    faults_set("syspro", numberless_order_reply_rate=1)
    out = xml(post(client, user_id, "SORTOI", order_xml(), SORTOI_PARAMS))
    assert out.findtext("Order/SalesOrder") is None
    assert out.findtext("StatusOfItems/ItemsProcessed") == "000001"
    assert len(state(client)["sales_orders"]) == 1


def test_query_string_over_the_iis_limit_is_refused(client, user_id):
    """IIS answers 404.15 over maxQueryString, 2,048 bytes by default
    (learn.microsoft.com, requestFiltering/requestLimits)."""
    lines = "".join(
        f"<StockLine><CustomerPoLine>{n}</CustomerPoLine><StockCode>A100</StockCode>"
        "<OrderQty>1</OrderQty></StockLine>"
        for n in range(1, 40)
    )
    response = call(
        client,
        "Transaction/Post",
        UserId=user_id,
        BusinessObject="SORTOI",
        XmlParameters=SORTOI_PARAMS,
        XmlIn=order_xml(lines=lines),
    )
    assert response.status_code == 404
    assert b"404.15" in response.content
    assert state(client)["sales_orders"] == []


def _reads_of(queries, table: str) -> int:
    """Queries that read rows of `table` (not a subquery's EXISTS on it)."""
    return sum(1 for q in queries if q["sql"].startswith(f'SELECT "{table}".'))


def test_a_statement_reads_only_the_document_tables_that_hold_something(
    client, user_id
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given a customer with no documents
    with CaptureQueriesContext(connection) as empty:
        statement = statement_of(client, user_id)
    assert references_in(statement) == []
    tables = ("sandbox_syspro_arinvoice", "sandbox_syspro_arpayment")
    assert [_reads_of(empty, table) for table in tables] == [0, 0]

    # when a payment is posted, then its table alone is read, and shown
    post(client, user_id, "ARSTPY", payment_xml(), POST_PARAMS)
    with CaptureQueriesContext(connection) as paid:
        statement = statement_of(client, user_id)
    assert references_in(statement) == ["ch_1"]
    assert [_reads_of(paid, table) for table in tables] == [0, 1]


def test_document_numbers_count_on_from_a_new_or_existing_sequence(client, user_id):
    from django.db import transaction

    from sandbox.syspro.services import _next_number

    with transaction.atomic():
        assert [_next_number("test:new") for _ in range(3)] == [1, 2, 3]
    first = xml(post(client, user_id, "SORTOI", order_xml(po="ch_a"), SORTOI_PARAMS))
    second = xml(post(client, user_id, "SORTOI", order_xml(po="ch_b"), SORTOI_PARAMS))
    numbers = [int(out.findtext("Order/SalesOrder")) for out in (first, second)]
    assert numbers[1] == numbers[0] + 1


# --- statements per call -----------------------------------------------------

# The portal posts these three per Stripe charge; the sandbox shares the
# benchmark machine's cores, so its statements per call are pinned. Inside a
# test's transaction every call also reads the fault switches (the
# process-wide cache is only filled outside one) and a write takes a
# savepoint and its release.
STATEMENTS_PER_CALL = {"ARSSCS": 6, "SORTOI": 8, "ARSTPY": 7}
# A charge without a SKU is one misc charge line.
CHARGE_LINE = (
    "<MiscChargeLine><CustomerPoLine>1</CustomerPoLine>"
    "<MiscChargeValue>19.99</MiscChargeValue><MiscProductClass>_OTH"
    "</MiscProductClass><MiscDescription>Stripe payment</MiscDescription>"
    "</MiscChargeLine>"
)


@freeze_time("2025-04-01 12:00:00")
def test_a_charge_costs_few_statements_per_call(client, django_assert_max_num_queries):
    # given a session, used again within seconds (no touch of last_used_at),
    # and document sequences that have numbered before
    for sequence in ("sales_order", "ar_journal"):
        Counter.objects.get_or_create(name=sequence)
    user_id = call(client, "Logon", **LOGON).content.decode()
    customer = customer_xml(
        "S000042", Name="Harbour Cycles", Currency="USD", SoldToAddr1="1 Main St"
    )
    # when the portal books a charge for a new customer, then each call stays
    # within its statements
    with django_assert_max_num_queries(STATEMENTS_PER_CALL["ARSSCS"]):
        added = setup(client, user_id, "Add", customer)
    with django_assert_max_num_queries(STATEMENTS_PER_CALL["SORTOI"]):
        order = xml(
            post(
                client,
                user_id,
                "SORTOI",
                order_xml(po="ch_42", customer="S000042", lines=CHARGE_LINE),
                SORTOI_PARAMS,
            )
        )
    with django_assert_max_num_queries(STATEMENTS_PER_CALL["ARSTPY"]):
        paid = xml(
            post(
                client,
                user_id,
                "ARSTPY",
                payment_xml(reference="ch_42").replace("0000001", "S000042"),
                POST_PARAMS,
            )
        )
    assert [
        out.findtext("StatusOfItems/ItemsProcessed") for out in (added, order, paid)
    ] == ["000001"] * 3


def test_checks_read_with_the_customer_still_fail_in_order(client, user_id):
    # given an order under PO ch_dup
    first = xml(post(client, user_id, "SORTOI", order_xml(po="ch_dup"), SORTOI_PARAMS))
    number = first.findtext("Order/SalesOrder")
    # when a second order repeats the PO and names an unknown warehouse
    repeated = order_xml(po="ch_dup").replace(
        "<Warehouse>FG</Warehouse></OrderHeader>",
        "<Warehouse>NOPE</Warehouse></OrderHeader>",
    )
    out = xml(post(client, user_id, "SORTOI", repeated, SORTOI_PARAMS))
    # then the warehouse fails before the PO, which names the first order
    assert [error[:3] for error in errors_of(out)] == [
        ("Warehouse", "NOPE", "200202"),
        ("CustomerPoNumber", "ch_dup", "200205"),
    ]
    assert errors_of(out)[1][3] == (
        f"Customer PO 'ch_dup' already used on sales order {number}"
    )
    # and an unknown customer still has its bank checked
    unknown = payment_xml().replace("0000001", "9999999").replace("STRIPE", "NOBANK")
    out = xml(post(client, user_id, "ARSTPY", unknown, POST_PARAMS))
    assert [error[:3] for error in errors_of(out)] == [
        ("Customer", "9999999", "200101"),
        ("Bank", "NOBANK", "200301"),
    ]
