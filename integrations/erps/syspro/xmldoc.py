"""SYSPRO e.net XML: the XmlIn documents LedgerBridge sends and the XmlOut
replies it reads.

Element names and nesting follow SYSPRO's XSDs as generated into public client
code (PROTOCOLS.md §1), e.g.
https://github.com/Zindaar/SYSPROIntegration/tree/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/ARPrimaryPosting
Builders take the mapped payload dicts (SYSPRO element names, produced by
mapping/ from this package's templates).
"""

import hashlib
import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - builds XML only; parsing uses defusedxml
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from integrations.connectors.errors import TransientError, ValidationError

CUSTOMER_FIELDS = (
    "Name",
    "ShortName",
    "CreditLimit",
    "TermsCode",
    "Currency",
    "Telephone",
    "Email",
    "SoldToAddr1",
    "SoldToAddr2",
    "SoldToAddr3",
    "SoldToAddr4",
    "SoldToAddr5",
    "SoldPostalCode",
    "ShipToAddr1",
    "ShipToAddr2",
    "ShipToAddr3",
    "ShipToAddr4",
    "ShipToAddr5",
    "CustomerOnHold",
)
ORDER_HEADER_FIELDS = (
    "CustomerPoNumber",
    "OrderActionType",
    "Customer",
    "OrderDate",
    "Currency",
    "Email",
    "Warehouse",
    "ShipAddress1",
    "ShipAddress2",
    "ShipAddress3",
    "ShipAddress4",
    "ShipAddress5",
    "RequestedShipDate",
)
# SORTOIDOC CommentLine: Comment is "100 characters, alphanumeric";
# CommentType I (invoice and order, the default) or O (order only).
COMMENT_LINE_FIELDS = (
    "CustomerPoLine",
    "LineActionType",
    "Comment",
    "CommentType",
)
COMMENT_LENGTH = 100
# Lines added to an existing order (OrderActionType C).
ADD_LINES_HEADER_FIELDS = (
    "CustomerPoNumber",
    "OrderActionType",
    "Customer",
    "SalesOrder",
)
# SORTOIDOC StockLine: PriceUom is mandatory whenever Price is given
# (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/SalesOrdersPrimaryPosting/SalesOrderImport/SORTOIDOC.vb).
STOCK_LINE_FIELDS = (
    "CustomerPoLine",
    "LineActionType",
    "StockCode",
    "Warehouse",
    "OrderQty",
    "OrderUom",
    "Price",
    "PriceUom",
)
# SORTOIDOC MiscChargeLine, in the XSD's order: MiscProductClass is mandatory
# unless a standard MiscChargeCode is given.
MISC_LINE_FIELDS = (
    "CustomerPoLine",
    "LineActionType",
    "MiscChargeValue",
    "MiscProductClass",
    "MiscDescription",
    "MiscChargeCode",
)
# ARSTPYDOC Payment, in the XSD's order; JournalNotation is mandatory.
PAYMENT_FIELDS = (
    "Customer",
    "PaymentValue",
    "Reference",
    "PaymentDate",
    "JournalNotation",
    "Bank",
    "PaymentType",
)
# ARSTINDOC Item, in the XSD's order; ProductClass is mandatory.
AR_INVOICE_FIELDS = (
    "TransactionType",
    "Customer",
    "PostToExistingInvoice",
    "GenerateInvoiceNumber",
    "Invoice",
    "InvoiceDate",
    "Reference",
    "InvoiceValue",
    "TaxValue",
    "ProductClass",
)
# ARSTPYDOC Adjustments/InvoiceToAdjust; JournalNotation is mandatory there.
ADJUSTMENT_HEADER_FIELDS = ("Customer", "Bank", "PaymentType")
ADJUSTMENT_FIELDS = (
    "TransactionType",
    "Invoice",
    "AdjustmentValue",
    "Reference",
    "JournalNotation",
)
JOURNAL_FIELDS = (
    "JournalType",
    "JournalDate",
    "JournalReference",
    "Notation",
    "PostingPeriod",
    "PostingYear",
)
JOURNAL_LINE_FIELDS = (
    "EntryNumber",
    "LedgerCode",
    "Reference",
    "EntryAmount",
    "Comment",
)

# Posting parameters: all or nothing, no silent warnings-as-success surprises
# beyond what SYSPRO itself treats as warnings.
# SORTOI's parameters as a live SYSPRO 8 integration sends them:
# https://github.com/trismegistus0/rectella-shopify-service/blob/main/internal/syspro/xml.go
SORTOI_PARAMETERS = {
    "Process": "IMPORT",
    # A duplicate CustomerPoNumber is a warning in SYSPRO: keep it an error so
    # the ERP itself refuses a second order for one Stripe charge.
    "IgnoreWarnings": "N",
    # The order number is SYSPRO's; the Stripe id travels as CustomerPoNumber.
    "AllowDuplicateOrderNumbers": "N",
    # Stripe already charged this price: the ERP must not re-price the order.
    "AlwaysUsePriceEntered": "Y",
    "AllowZeroPrice": "Y",
    # The order is paid, so a credit check must not hold it back.
    "AcceptOrdersIfNoCredit": "Y",
}
POSTING_PARAMETERS = {
    "IgnoreWarnings": "Y",
    "ApplyIfEntireDocumentValid": "Y",
    "ValidateOnly": "N",
}
# https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/ARPrimaryPosting/PostARPaymentsAdjustmentsAndMiscellaneousReceipts/ARSTPY.vb
ARSTPY_PARAMETERS = {
    "PostingPeriod": "C",
    **POSTING_PARAMETERS,
    # Post whatever is not distributed over invoices as unapplied cash.
    "AutoCorrectPaymentValue": "U",
}

# ARSQRY options: every transaction of every invoice, paid ones included
# (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/ARPrimaryQuery/CustomerQuery/ARSQRY.vb).
AR_STATEMENT_OPTIONS = {"IncludeTransactions": "Y", "IncludeZeroBalances": "Y"}
# ARSQRY for the customer's header alone (same source): no transaction
# details, no paid invoices; IncludeTransactions defaults to Y, so it is said.
CUSTOMER_HEADER_OPTIONS = {"IncludeTransactions": "N", "IncludeZeroBalances": "N"}
# SORQSO hides completed and cancelled orders unless asked
# (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/SalesOrdersPrimaryQuery/ListOfSalesOrders/SORQSO.vb).
ORDER_LIST_OPTIONS = {"IncludeCompletedOrders": "Y", "IncludeCancelledOrders": "Y"}

# Element names under which SYSPRO returns a posted AR journal number.
JOURNAL_NUMBER_TAGS = ("TrnJournal", "Journal", "PaymentJournal", "JournalNumber")


# --- XML and body helpers -----------------------------------------------


def unwrap_body(text: str) -> str:
    """The body as text; some e.net versions return it as a JSON-quoted string."""
    body = text.strip().lstrip("\ufeff")
    if body.startswith('"'):
        try:
            decoded = json.loads(body)
        except ValueError:
            return body
        if isinstance(decoded, str):
            return decoded.strip()
    return body


def is_session_error(body: str) -> bool:
    return body[:5].upper() == "ERROR"


def is_enet_exception(body: str) -> bool:
    return body[:15].lower() == "e.net exception"


# XML 1.0 allows no C0 control character but tab, LF and CR, not even as a
# character reference, nor lone surrogates or U+FFFE/U+FFFF
# (https://www.w3.org/TR/xml/#charsets).
XML_FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
)


def xml_text(value: str) -> str:
    """`value` without the characters an XML 1.0 document cannot hold."""
    return XML_FORBIDDEN_CHARACTERS.sub("", value)


def vendor_message(body: str) -> str:
    """The first line of one of e.net's plain-text errors (`ERROR …`,
    `e.net exception …`), fit to show finance staff; anything else is not
    repeated, since a base URL pointed at another service would copy that
    service's reply into the ledger.
    """
    if not (is_session_error(body) or is_enet_exception(body)):
        return ""
    line = body.splitlines()[0] if body else ""
    return "".join(c for c in line if c.isprintable())[:200].strip()


def reply_digest(body: str) -> dict[str, Any]:
    """What may be recorded of an unexpected reply: its size and a hash."""
    return {
        "reply_chars": len(body),
        "reply_sha256": hashlib.sha256(body.encode("utf-8", "replace")).hexdigest()[
            :16
        ],
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    return str(value)


def _add_fields(
    parent: ET.Element,
    values: Mapping[str, Any],
    names: Iterable[str],
    *,
    skip_empty: bool = True,
) -> None:
    for name in names:
        value = _text(values.get(name))
        if skip_empty and value == "":
            continue
        ET.SubElement(parent, name).text = value


def to_xml(element: ET.Element) -> str:
    """The document as text, every text and attribute value made XML-safe.

    Customer names and addresses come from Stripe, where a control character
    is allowed; e.net would refuse the whole document over it.
    """
    for node in element.iter():
        if node.text:
            node.text = xml_text(node.text)
        if node.tail:
            node.tail = xml_text(node.tail)
        for name, value in node.attrib.items():
            node.attrib[name] = xml_text(value)
    return ET.tostring(element, encoding="unicode")


def parameters_xml(root_tag: str, parameters: Mapping[str, str]) -> str:
    root = ET.Element(root_tag)
    node = ET.SubElement(root, "Parameters")
    _add_fields(node, parameters, parameters.keys())
    return to_xml(root)


def parse_xml(body: str) -> ET.Element:
    """Parse XmlOut with defusedxml: entity expansion and DTDs are refused.

    Parse the decoded text, not bytes: e.net declares `encoding="Windows-1252"`
    on text that requests already decoded.
    """
    try:
        return SafeET.fromstring(body)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise TransientError(
            "SYSPRO answered with a reply that is not XML", reply_digest(body)
        ) from exc


def element_dict(element: ET.Element) -> dict[str, Any]:
    """Leaf children as text; repeated or nested children as lists of dicts."""
    result: dict[str, Any] = {}
    for child in element:
        if len(child):
            result.setdefault(child.tag, []).append(element_dict(child))
        else:
            result[child.tag] = (child.text or "").strip()
    return result


def find_text(element: ET.Element, *tags: str) -> str:
    for tag in tags:
        found = element.find(f".//{tag}")
        if found is not None and (found.text or "").strip():
            return found.text.strip()
    return ""


def xml_errors(root: ET.Element) -> list[ValidationError]:
    """Each element carrying ErrorDescription (as child or attribute) as an error.

    The failing element holds the rejected `Value`; a description directly
    under an item or the document itself has no field.
    """
    errors = []
    containers = {root.tag, "Item", "Order", "Orders", "OrderHeader", "Payment"}
    for element in root.iter():
        description_node = element.find("ErrorDescription")
        description = (
            (description_node.text or "").strip()
            if description_node is not None
            else element.get("ErrorDescription", "").strip()
        )
        if not description:
            continue
        number = (
            find_direct(element, "ErrorNumber")
            or element.get("ErrorNumber", "").strip()
        )
        value = find_direct(element, "Value") or element.get("Value", "").strip()
        field = "" if element.tag in containers else element.tag
        errors.append(
            ValidationError(
                f"SYSPRO: {description}",
                {"error_number": number} if number else None,
                field=field,
                value=value,
            )
        )
    return errors


def find_direct(element: ET.Element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "").strip() if child is not None and child.text else ""


# The counters after the items that say some were refused: SORTOI's
# StatusOfItems (a real reply: https://github.com/trismegistus0/rectella-shopify-service/blob/main/internal/syspro/client_test.go)
# and GENTJL's PostingsInvalid (PROTOCOLS.md section 1).
REJECTED_COUNTERS = ("ItemsRejectedWithWarnings", "PostingsInvalid")


def rejected_count(root: ET.Element) -> int:
    """How many items the status counters say SYSPRO refused."""
    total = 0
    for tag in REJECTED_COUNTERS:
        value = find_text(root, tag)
        if value.isdigit():
            total += int(value)
    return total


def raise_for_xml_errors(root: ET.Element, business_object: str) -> None:
    errors = xml_errors(root)
    if errors:
        first = errors[0]
        first.extra = {
            **first.extra,
            "business_object": business_object,
            "errors": [e.describe() for e in errors],
        }
        raise first
    rejected = rejected_count(root)
    if rejected:
        raise ValidationError(
            f"SYSPRO rejected {rejected} item(s) without a reason",
            {"business_object": business_object},
        )


def filter_query_xml(filters: Mapping[str, str], option: Mapping[str, str]) -> str:
    """A query with `<Filter>` elements (FilterType S = single value, A = all)."""
    root = ET.Element("Query")
    if option:
        _add_fields(ET.SubElement(root, "Option"), option, option.keys())
    node = ET.SubElement(root, "Filter")
    for name, value in filters.items():
        ET.SubElement(
            node,
            name,
            FilterType="S" if value else "A",
            FilterValue=value,
        )
    return to_xml(root)


def key_query_xml(key: Mapping[str, str], option: Mapping[str, str]) -> str:
    root = ET.Element("Query")
    _add_fields(ET.SubElement(root, "Key"), key, key.keys(), skip_empty=False)
    if option:
        _add_fields(ET.SubElement(root, "Option"), option, option.keys())
    return to_xml(root)


# --- Payload → XmlIn -------------------------------------------------------


def customer_xml(payload: Mapping[str, Any], *, code: str) -> str:
    root = ET.Element("SetupArCustomer")
    item = ET.SubElement(root, "Item")
    ET.SubElement(ET.SubElement(item, "Key"), "Customer").text = code
    # Send only what the payload knows: blank values on an update would erase
    # what finance staff keep in the ERP and Stripe does not carry.
    _add_fields(item, payload, CUSTOMER_FIELDS)
    return to_xml(root)


def sales_order_xml(
    payload: Mapping[str, Any], *, po_number: str, sales_order: str = ""
) -> str:
    """SORTOI XmlIn: a new order, or (with `sales_order`) lines added to that
    order, OrderActionType C with LineActionType A (SORTOIDOC.vb)."""
    root = ET.Element("SalesOrders")
    orders = ET.SubElement(root, "Orders")
    header_node = ET.SubElement(orders, "OrderHeader")
    if sales_order:
        header = {
            "CustomerPoNumber": po_number,
            "OrderActionType": "C",
            "Customer": payload.get("Customer"),
            "SalesOrder": sales_order,
        }
        _add_fields(header_node, header, ADD_LINES_HEADER_FIELDS)
    else:
        header = {**payload, "CustomerPoNumber": po_number, "OrderActionType": "A"}
        _add_fields(header_node, header, ORDER_HEADER_FIELDS)
    details = ET.SubElement(orders, "OrderDetails")
    for index, line in enumerate(payload.get("lines") or [], start=1):
        values = {"CustomerPoLine": str(index), **line, "LineActionType": "A"}
        if _text(values.get("Price")) and not _text(values.get("PriceUom")):
            values["PriceUom"] = values.get("OrderUom")
        if line.get("LineType", "stock") == "misc":
            _add_fields(
                ET.SubElement(details, "MiscChargeLine"), values, MISC_LINE_FIELDS
            )
        elif line.get("LineType") == "comment":
            _add_fields(
                ET.SubElement(details, "CommentLine"), values, COMMENT_LINE_FIELDS
            )
        else:
            _add_fields(ET.SubElement(details, "StockLine"), values, STOCK_LINE_FIELDS)
    return to_xml(root)


def payment_xml(payload: Mapping[str, Any], *, reference: str) -> str:
    """ARSTPY XmlIn: a payment applied to an invoice, or unapplied cash
    (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/ARPrimaryPosting/PostARPaymentsAdjustmentsAndMiscellaneousReceipts/ARSTPYDOC.vb).

    The amount goes again as GrossPaymentValue inside InvoiceToPay or
    UnappliedPayment: without it SYSPRO pays the invoice's whole balance.
    Payment has no SalesOrder element.
    """
    root = ET.Element("PostArPayment")
    payment = ET.SubElement(ET.SubElement(root, "Item"), "Payment")
    _add_fields(payment, {**payload, "Reference": reference}, PAYMENT_FIELDS)
    value = _text(payload.get("PaymentValue"))
    invoice = _text(payload.get("InvoiceToPay"))
    several = [
        line
        for line in payload.get("InvoicesToPay") or []
        if _text(line.get("Invoice"))
    ]
    if several:
        # One payment over several invoices: one InvoiceToPay each, with its
        # own GrossPaymentValue, and what they leave as UnappliedPayment, so
        # the distribution adds up to PaymentValue (ARSTPYDOC.vb above).
        applied = Decimal(0)
        for line in several:
            to_pay = ET.SubElement(payment, "InvoiceToPay")
            ET.SubElement(to_pay, "Invoice").text = _text(line.get("Invoice"))
            amount = _text(line.get("GrossPaymentValue"))
            ET.SubElement(to_pay, "GrossPaymentValue").text = amount
            applied += Decimal(amount)
        rest = Decimal(value) - applied
        if rest > 0:
            unapplied = ET.SubElement(payment, "UnappliedPayment")
            ET.SubElement(unapplied, "GrossPaymentValue").text = str(rest)
    elif invoice:
        to_pay = ET.SubElement(payment, "InvoiceToPay")
        ET.SubElement(to_pay, "Invoice").text = invoice
        ET.SubElement(to_pay, "GrossPaymentValue").text = value
    else:
        unapplied = ET.SubElement(payment, "UnappliedPayment")
        ET.SubElement(unapplied, "GrossPaymentValue").text = value
    return to_xml(root)


def ar_invoice_xml(payload: Mapping[str, Any], *, reference: str) -> str:
    """ARSTIN XmlIn: an AR invoice, credit or debit note, root PostArInvoices
    (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/ARPrimaryPosting/AccountsReceivableInvoicePosting/ARSTINDOC.vb).

    A credit or debit note that names an invoice is posted to it
    (PostToExistingInvoice=Y) instead of colliding with its number; any
    document without a number lets SYSPRO number it (GenerateInvoiceNumber=Y).
    """
    values = {**payload, "Reference": reference}
    kind = _text(values.get("TransactionType")) or "I"
    if _text(values.get("Invoice")):
        if kind in ("C", "D"):
            values["PostToExistingInvoice"] = "Y"
    else:
        values["GenerateInvoiceNumber"] = "Y"
    root = ET.Element("PostArInvoices")
    _add_fields(ET.SubElement(root, "Item"), values, AR_INVOICE_FIELDS)
    return to_xml(root)


def adjustment_xml(payload: Mapping[str, Any], *, reference: str) -> str:
    """ARSTPY XmlIn: an adjustment of an existing AR invoice (ARSTPYDOC.vb)."""
    root = ET.Element("PostArPayment")
    adjustments = ET.SubElement(ET.SubElement(root, "Item"), "Adjustments")
    _add_fields(adjustments, payload, ADJUSTMENT_HEADER_FIELDS)
    _add_fields(
        ET.SubElement(adjustments, "InvoiceToAdjust"),
        {**payload, "Reference": reference},
        ADJUSTMENT_FIELDS,
    )
    return to_xml(root)


def journal_xml(payload: Mapping[str, Any], *, reference: str) -> str:
    root = ET.Element("PostGlJournal")
    item = ET.SubElement(root, "Item")
    _add_fields(item, {**payload, "JournalReference": reference}, JOURNAL_FIELDS)
    for index, line in enumerate(payload.get("lines") or [], start=1):
        values = {"EntryNumber": str(index), **line}
        # The journal already carries the reference: repeating it on every
        # line only spends the query string IIS limits.
        if _text(values.get("Reference")) == reference:
            values.pop("Reference")
        _add_fields(ET.SubElement(item, "JournalDetails"), values, JOURNAL_LINE_FIELDS)
    return to_xml(root)


def journal_number(element: ET.Element) -> str:
    """`GlYear-GlPeriod-GlJournal`, SYSPRO's key of a posted GL journal."""
    year = find_text(element, "GlYear")
    period = find_text(element, "GlPeriod")
    journal = find_text(element, "GlJournal")
    if not journal:
        return ""
    return "-".join(part for part in (year, period, journal) if part)


# --- The connector -------------------------------------------------------
