"""SYSPRO e.net sandbox writes: sessions, Transaction/Post, Setup/Add|Update, reset.

Each posting validates every item first (field formats, master data), then
writes the valid ones, or none when ApplyIfEntireDocumentValid=Y or a
validate-only run was asked for, and answers with XmlOut.
"""

from __future__ import annotations

import random
import uuid
import xml.etree.ElementTree as ET  # noqa: S405 - builds XML; parsing uses defusedxml
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import timezone

from sandbox.faults import faults_get, faults_set

from . import shapes
from . import xmldoc as X
from .models import (
    ArAdjustment,
    ArInvoice,
    ArPayment,
    Bank,
    ContractPrice,
    Counter,
    Customer,
    CustomFormValue,
    GlJournal,
    GlJournalLine,
    LedgerCode,
    SalesOrder,
    SalesOrderLine,
    Session,
    StockItem,
    Warehouse,
)
from .seed import PRODUCT_CLASSES, seed_master_data

SESSION_IDLE_SECONDS_DEFAULT = 1800
# Every this many sales orders, answer the import without the order number.
ORDER_NUMBER_LESS_EVERY = 3


class SessionError(Exception):
    """A logon or session problem; e.net answers with a body starting ERROR."""

    def body(self) -> str:
        return f"ERROR: {self}"


class EnetException(Exception):
    """An e.net exception (unknown business object, malformed document)."""

    def __init__(self, number: str, message: str) -> None:
        super().__init__(message)
        self.number = number

    def body(self) -> str:
        return f"e.net exception {self.number}: {self}"


# --- Sessions ---------------------------------------------------------------


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or "")


@transaction.atomic
def session_logon(
    *, operator: str, operator_password: str, company_id: str, company_password: str
) -> str:
    """Start a session and return its UserId; ends the operator's other sessions."""
    if faults_get("syspro").reject_credentials:
        raise SessionError("Invalid operator password")
    if operator.upper() != _setting("SANDBOX_SYSPRO_OPERATOR").upper():
        raise SessionError(f"Operator '{operator}' not found")
    if operator_password != _setting("SANDBOX_SYSPRO_OPERATOR_PASSWORD"):
        raise SessionError("Invalid operator password")
    if company_id.upper() != _setting("SANDBOX_SYSPRO_COMPANY").upper():
        raise SessionError(f"Company '{company_id}' not found")
    if company_password != _setting("SANDBOX_SYSPRO_COMPANY_PASSWORD"):
        raise SessionError("Invalid company password")
    now = timezone.now()
    # One session per operator: a new logon ends the previous one.
    Session.objects.filter(operator=operator.upper(), ended_at__isnull=True).update(
        ended_at=now
    )
    user_id = str(uuid.uuid4()).upper()
    Session.objects.create(
        user_id=user_id,
        operator=operator.upper(),
        company_id=company_id.upper(),
        created_at=now,
        last_used_at=now,
    )
    return user_id


def session_require(*, user_id: str) -> Session:
    """The live session of `user_id`, or SessionError as e.net reports it."""
    faults = faults_get("syspro")
    if faults.reject_credentials:
        raise SessionError("Invalid operator password")
    now = timezone.now()
    if faults.extra.get("session_expired"):
        # One shot: end every open session, as an app-pool recycle would.
        Session.objects.filter(ended_at__isnull=True).update(ended_at=now)
        faults_set("syspro", session_expired=False)
    if not user_id:
        raise SessionError("UserId is required - log on first")
    session = Session.objects.filter(user_id=user_id.strip().upper()).first()
    if session is None or session.ended_at is not None:
        raise SessionError(f"Invalid UserId '{user_id}' - the session has ended")
    idle = float(
        getattr(
            settings,
            "SANDBOX_SYSPRO_SESSION_IDLE_SECONDS",
            SESSION_IDLE_SECONDS_DEFAULT,
        )
    )
    if (now - session.last_used_at).total_seconds() > idle:
        Session.objects.filter(pk=session.pk).update(ended_at=now)
        raise SessionError(f"Invalid UserId '{user_id}' - the session has expired")
    # Touch at most every few seconds: a write per call would serialise SQLite.
    if (now - session.last_used_at).total_seconds() > 5:
        Session.objects.filter(pk=session.pk).update(last_used_at=now)
    return session


def session_logoff(*, user_id: str) -> None:
    session = session_require(user_id=user_id)
    Session.objects.filter(pk=session.pk).update(ended_at=timezone.now())


def logon_profile(*, session: Session) -> str:
    root = ET.Element("LogonProfile")
    X.add(root, "CompanyName", "LedgerBridge Sandbox Company")
    X.add(root, "CompanyId", session.company_id)
    X.add(root, "OperatorCode", session.operator)
    X.add(root, "LocalCurrencyCode", "USD")
    X.add(root, "SysproVersion", "8.0.000")
    X.add(root, "CompanyDate", timezone.localdate().isoformat())
    return X.to_text(root)


# --- Shared posting machinery ----------------------------------------------


def _increment(name: str) -> int | None:
    """Add one to the counter `name` and return its new value (None when the
    counter has no row yet), in one statement: the ORM's update() returns no
    value (PostgreSQL, and SQLite from 3.35, take RETURNING)."""
    quote = connection.ops.quote_name
    table = quote(Counter._meta.db_table)
    value = quote("value")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {value} = {value} + 1 "  # noqa: S608 - names from _meta
            f"WHERE {quote('name')} = %s RETURNING {value}",
            [name],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _next_number(name: str) -> int:
    """The sequence's next number. The increment locks the counter's row until
    the caller's transaction ends, so a number is never handed out twice, and
    a rolled-back posting takes its number back with it (no gaps); no
    savepoint of its own (a failure fails the posting that asked)."""
    with transaction.atomic(savepoint=False):
        number = _increment(name)
        if number is None:
            Counter.objects.get_or_create(name=name)
            number = _increment(name)
        if number is None:
            raise RuntimeError(f"the counter {name!r} has no row after it was created")
        return number


@dataclass
class Item:
    """One validated input item: its errors and the write to run if valid."""

    element: ET.Element
    errors: list[X.FieldError] = field(default_factory=list)
    write: Callable[[], dict[str, Any]] | None = None
    echo: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PostingOptions:
    validate_only: bool
    entire_document: bool
    ignore_warnings: bool


# The sandbox company's customer key (Setup Options > Keys): A keys customers
# alphanumerically; N numerically, "right-alignment of all data, with
# preceding zeros. Only the digits 0 to 9 are allowed."
# (https://help.syspro.com/syspro-8-2023/g_programs/imp/impcfg/forms/keys/impcfg-keys.htm).
CUSTOMER_KEY_WIDTH = 7


def customer_key_format() -> tuple[str, int]:
    """(key type A or N, numeric width) of the sandbox company."""
    key_type = _setting("SANDBOX_SYSPRO_CUSTOMER_KEY_TYPE").upper()[:1] or "A"
    width = _setting("SANDBOX_SYSPRO_CUSTOMER_KEY_LENGTH")
    length = int(width) if width.isdigit() else CUSTOMER_KEY_WIDTH
    return key_type, max(1, min(length, CUSTOMER_KEY_WIDTH))


def _customer_key(fields: X.Fields, tag: str, code: str) -> str:
    """`code` as the company keys it; a letter in a numeric key is refused
    (and the failure recorded on `fields`), a short number zero-filled."""
    key_type, width = customer_key_format()
    if key_type != "N" or not code:
        return code
    if not (code.isascii() and code.isdigit()) or len(code.lstrip("0")) > width:
        fields.fail(
            tag,
            code,
            X.BAD_VALUE,
            f"{tag} '{code}' is not a numeric key of at most {width} digits",
        )
        return code
    return code.lstrip("0").rjust(width, "0")


def _customer(
    fields: X.Fields,
    tag: str = "Customer",
    *,
    along: dict[str, Exists | Subquery] | None = None,
) -> Customer | None:
    """The customer named by `tag`, or None with the failure recorded.
    `along` annotates its row with more of the call's lookups, read in the
    same statement (nothing when the customer is not found)."""
    code = fields.text(tag, required=True, max_len=7)
    if not code:
        return None
    code = _customer_key(fields, tag, code)
    customers = Customer.objects.filter(code=code)
    customer = (customers.annotate(**along) if along else customers).first()
    if customer is None:
        fields.fail(tag, code, X.CUSTOMER_NOT_FOUND, f"Customer '{code}' not found")
    return customer


def _code_exists(
    model: type[Bank] | type[Warehouse], code: str, known: dict[str, bool]
) -> bool:
    """Whether master data `code` exists: from `known` (read along with the
    customer, or asked before in this call), else one query, remembered."""
    if code not in known:
        known[code] = model.objects.filter(code=code).exists()
    return known[code]


def _bank(
    fields: X.Fields, *, required: bool, known: dict[str, bool] | None = None
) -> str:
    code = fields.text("Bank", required=required, max_len=10)
    if code and not _code_exists(Bank, code, {} if known is None else known):
        fields.fail("Bank", code, X.BANK_NOT_FOUND, f"Bank '{code}' not found")
    return code


def _post(
    *,
    out_root: str,
    out_item: str,
    items: list[Item],
    options: PostingOptions,
    journal: bool = False,
    item_numbers: bool = True,
) -> str:
    root = ET.Element(out_root)
    invalid = sum(1 for item in items if item.errors)
    write_none = options.validate_only or (options.entire_document and invalid)
    processed = 0
    with transaction.atomic():
        for number, item in enumerate(items, start=1):
            node = ET.SubElement(root, out_item)
            for tag, value in item.echo.items():
                X.add(node, tag, value)
            if item.errors:
                X.render_errors(node, item.errors)
            elif not write_none and item.write is not None:
                for tag, value in item.write().items():
                    if isinstance(value, ET.Element):
                        node.append(value)
                    else:
                        X.add(node, tag, value)
                processed += 1
            if item_numbers:
                X.add(node, "ItemNumber", X.padded(number))
    X.add_status(root, processed=processed, invalid=invalid, journal=journal)
    return X.to_text(root)


def _options(
    params: ET.Element, *, validate_tag: str = "ValidateOnly"
) -> PostingOptions:
    if validate_tag == "Process":
        validate_only = X.parameter(params, "Process", "IMPORT") == "VALIDATE"
    else:
        validate_only = X.parameter(params, validate_tag, "N") == "Y"
    return PostingOptions(
        validate_only=validate_only,
        entire_document=X.parameter(params, "ApplyIfEntireDocumentValid", "N") == "Y",
        ignore_warnings=X.parameter(params, "IgnoreWarnings", "N") == "Y",
    )


# --- ARSSCS: customers (Setup/Add, Setup/Update) ---------------------------

CUSTOMER_TEXT = {
    "Name": 30,
    "ShortName": 10,
    "TermsCode": 2,
    "Telephone": 20,
    "Email": 50,
}
ADDRESS_TAGS = {
    **{f"SoldToAddr{n}": 40 for n in range(1, 6)},
    # ARSSCS SoldPostalCode is 9 characters (PROTOCOLS.md section 1).
    "SoldPostalCode": 9,
    **{f"ShipToAddr{n}": 40 for n in range(1, 6)},
}


def _customer_item(element: ET.Element, *, adding: bool) -> Item:
    fields = X.Fields(element)
    key_node = element.find("Key")
    key = X.Fields(key_node if key_node is not None else element, fields.errors)
    code = _customer_key(
        fields, "Customer", key.text("Customer", required=True, max_len=7)
    )
    existing = Customer.objects.filter(code=code).first() if code else None
    # A customer's code is unique ("Enter the unique code of the customer you
    # want to add or maintain", AR Customer Maintenance in a published copy
    # of SYSPRO's help: https://images.inglasco.com/Syspro/Base/HtmlHelp/arspcs.htm),
    # so an Add never makes a second customer under a code that exists.
    if code and adding and existing:
        fields.fail("Customer", code, X.CUSTOMER_EXISTS, f"Customer '{code}' exists")
    if code and not adding and existing is None:
        fields.fail(
            "Customer", code, X.CUSTOMER_NOT_FOUND, f"Customer '{code}' not found"
        )
    changes: dict[str, Any] = {}
    for tag, length in CUSTOMER_TEXT.items():
        if element.find(tag) is not None:
            changes[tag] = fields.text(
                tag, required=adding and tag == "Name", max_len=length
            )
        elif adding and tag == "Name":
            fields.text(tag, required=True)
    currency = fields.text("Currency", max_len=3).upper()
    if currency and (len(currency) != 3 or not currency.isalpha()):
        fields.fail("Currency", currency, X.BAD_VALUE, "Currency must be 3 letters")
    credit_limit = fields.decimal("CreditLimit", minimum=Decimal(0))
    on_hold = (
        fields.flag("CustomerOnHold")
        if element.find("CustomerOnHold") is not None
        else None
    )
    addresses = {
        tag: fields.text(tag, max_len=length)
        for tag, length in ADDRESS_TAGS.items()
        if element.find(tag) is not None
    }

    def write() -> dict[str, Any]:
        customer = existing or Customer(code=code)
        mapping = {
            "Name": "name",
            "ShortName": "short_name",
            "TermsCode": "terms_code",
            "Telephone": "telephone",
            "Email": "email",
        }
        for tag, value in changes.items():
            setattr(customer, mapping[tag], value)
        if currency:
            customer.currency = currency
        if credit_limit is not None:
            customer.credit_limit = credit_limit
        if on_hold is not None:
            customer.on_hold = on_hold
        customer.addresses = {**customer.addresses, **addresses}
        customer.save()
        return {}

    return Item(
        element=element, errors=fields.errors, write=write, echo={"Customer": code}
    )


def customer_setup(*, params: ET.Element, root: ET.Element, adding: bool) -> str:
    items = [_customer_item(node, adding=adding) for node in root.findall("Item")]
    return _post(
        out_root="SetupArCustomer",
        out_item="Item",
        items=items,
        options=_options(params),
    )


# --- COMSFM: custom form fields (Setup/Add, Setup/Update) --------------------

# The custom form fields set up in the sandbox company (SYSPRO refuses a field
# that its custom form setup does not define; names are at most 6
# characters, as in every public use). Form type CUS is the customer's form;
# its fields hold the Stripe subscription LedgerBridge writes (issue 20).
CUSTOM_FORM_FIELDS = {"CUS": frozenset({"SUBPLN", "SUBSTS", "SUBEND", "SUBMRR"})}
CUSTOM_FORM_VALUE_LENGTH = 30
CUSTOM_FORM_NOT_DEFINED = "200401"


def _custom_form_item(element: ET.Element) -> Item:
    key_node = element.find("Key")
    fields = X.Fields(element)
    key = X.Fields(key_node if key_node is not None else element, fields.errors)
    form_type = key.text("FormType", required=True).upper()
    key_field = key.text("KeyField", required=True, max_len=30)
    field_name = key.text("FieldName", required=True, max_len=6).upper()
    value = fields.text("AlphaValue", max_len=CUSTOM_FORM_VALUE_LENGTH)
    defined = CUSTOM_FORM_FIELDS.get(form_type)
    if form_type and defined is None:
        key.fail(
            "FormType",
            form_type,
            X.BAD_VALUE,
            f"Form type '{form_type}' has no custom form",
        )
    elif field_name and defined is not None and field_name not in defined:
        key.fail(
            "FieldName",
            field_name,
            CUSTOM_FORM_NOT_DEFINED,
            f"Field '{field_name}' is not defined on custom form '{form_type}'",
        )
    if form_type == "CUS" and key_field:
        code = _customer_key(key, "KeyField", key_field)
        if code and not Customer.objects.filter(code=code).exists():
            key.fail(
                "KeyField", code, X.CUSTOMER_NOT_FOUND, f"Customer '{code}' not found"
            )
        key_field = code or key_field

    def write() -> dict[str, Any]:
        CustomFormValue.objects.update_or_create(
            form_type=form_type,
            key_field=key_field,
            field_name=field_name,
            defaults={"alpha_value": value},
        )
        return {}

    return Item(
        element=element,
        errors=fields.errors,
        write=write,
        echo={"FormType": form_type, "KeyField": key_field, "FieldName": field_name},
    )


def custom_form_setup(*, params: ET.Element, root: ET.Element, adding: bool) -> str:
    """Add and Update both set the values: a custom form field of an existing
    key has a value (blank until set), so there is nothing to add or find."""
    items = [_custom_form_item(node) for node in root.findall("Item")]
    return _post(
        out_root="SetupCustomForm",
        out_item="Item",
        items=items,
        options=_options(params),
    )


# --- GENQGL: validate a ledger code ------------------------------------------


def ledger_code_query(root: ET.Element) -> str:
    """GENQGL: the ledger code's details under GLStructureQuery/LedgerDetails
    (GeneralLedgerPrimaryQuery/ValidateALedgerCodeEntry/GENQGLOUT.vb); an
    unknown code is an error on LedgerCode, as SYSPRO reports a bad key."""
    node = root.find("Key/LedgerCode")
    code = (node.text or "").strip() if node is not None else ""
    ledger = LedgerCode.objects.filter(code=code).first()
    out = ET.Element("GLStructureQuery")
    if ledger is None:
        X.render_errors(
            out,
            [
                X.FieldError(
                    "LedgerCode",
                    code,
                    X.LEDGER_NOT_FOUND,
                    f"Ledger code '{code}' not found",
                )
            ],
        )
        return X.to_text(out)
    details = ET.SubElement(out, "LedgerDetails")
    X.add(details, "LedgerCode", ledger.code)
    X.add(details, "Description", ledger.description)
    return X.to_text(out)


# --- SORTOI: sales orders ---------------------------------------------------


def _order_item(
    orders: ET.Element, *, ignore_warnings: bool, params: ET.Element
) -> Item:
    header_node = orders.find("OrderHeader")
    header = X.Fields(header_node if header_node is not None else ET.Element("x"))
    if header_node is None:
        header.fail("OrderHeader", "", X.REQUIRED, "OrderHeader is required")
    po_number = header.text("CustomerPoNumber", max_len=30)
    # A adds an order; C changes one: here, adds lines (LineActionType A) to
    # the order named in SalesOrder (SORTOIDOC.vb OrderHeader).
    action = header.choice("OrderActionType", ("A", "C"), default="A")
    # Read the warehouse's existence and any order under the same customer
    # PO with the customer: one statement; the checks still fail in order.
    warehouse_code = header.peek("Warehouse", max_len=10)
    check_po = bool(po_number) and not ignore_warnings and action == "A"
    along: dict[str, Exists | Subquery] = {}
    if warehouse_code:
        along["warehouse_exists"] = Exists(
            Warehouse.objects.filter(code=warehouse_code)
        )
    if check_po:
        along["duplicate_order"] = Subquery(
            SalesOrder.objects.filter(
                customer=OuterRef("pk"), customer_po_number=po_number
            )
            .order_by("pk")
            .values("sales_order")[:1]
        )
    customer = _customer(header, along=along)
    warehouses = (
        {warehouse_code: customer.warehouse_exists}
        if customer and warehouse_code
        else {}
    )
    existing = None
    if action == "C":
        existing_number = header.text("SalesOrder", required=True, max_len=20)
        existing = (
            SalesOrder.objects.filter(
                sales_order=existing_number, customer=customer
            ).first()
            if existing_number and customer
            else None
        )
        if existing_number and customer and existing is None:
            header.fail(
                "SalesOrder",
                existing_number,
                X.SALES_ORDER_NOT_FOUND,
                f"Sales order '{existing_number}' not found",
            )
    currency = header.text("Currency", max_len=3).upper()
    if customer and currency and currency != customer.currency:
        header.fail(
            "Currency",
            currency,
            X.CURRENCY_MISMATCH,
            f"Currency {currency} differs from the customer's {customer.currency}",
        )
    currency = customer.currency if customer else (currency or "USD")
    order_date = header.date("OrderDate") or timezone.localdate()
    # Read for its format only (CCYY-MM-DD, PROTOCOLS.md section 1): the
    # sandbox keeps no ship date.
    header.date("RequestedShipDate")
    email = header.text("Email", max_len=255)
    warehouse = header.text("Warehouse", max_len=10)
    if warehouse and not _code_exists(Warehouse, warehouse, warehouses):
        header.fail(
            "Warehouse",
            warehouse,
            X.WAREHOUSE_NOT_FOUND,
            f"Warehouse '{warehouse}' not found",
        )
    ship = [header.text(f"ShipAddress{n}", max_len=40) for n in range(1, 6)]
    if customer and check_po and customer.duplicate_order is not None:
        header.fail(
            "CustomerPoNumber",
            po_number,
            X.DUPLICATE_PO,
            f"Customer PO '{po_number}' already used on sales order "
            f"{customer.duplicate_order}",
        )
    use_entered = X.parameter(params, "AlwaysUsePriceEntered", "N") == "Y"
    allow_zero = X.parameter(params, "AllowZeroPrice", "N") == "Y"
    details = orders.find("OrderDetails")
    lines: list[dict[str, Any]] = []
    errors = header.errors
    for node in list(details) if details is not None else []:
        po_line = (node.findtext("CustomerPoLine") or "").strip()
        fields = X.Fields(node, errors, section=(node.tag, {"CustomerPoLine": po_line}))
        if node.tag == "StockLine":
            code = fields.text("StockCode", required=True, max_len=30)
            item = StockItem.objects.filter(stock_code=code).first() if code else None
            if code and item is None:
                fields.fail(
                    "StockCode",
                    code,
                    X.STOCK_NOT_FOUND,
                    f"Stock code '{code}' not found",
                )
            line_warehouse = fields.text("Warehouse", max_len=10) or warehouse
            if not line_warehouse:
                fields.fail("Warehouse", "", X.REQUIRED, "Warehouse is required")
            elif not _code_exists(Warehouse, line_warehouse, warehouses):
                fields.fail(
                    "Warehouse",
                    line_warehouse,
                    X.WAREHOUSE_NOT_FOUND,
                    f"Warehouse '{line_warehouse}' not found",
                )
            qty = fields.decimal(
                "OrderQty", required=True, minimum=Decimal(0), nonzero=True
            )
            uom = fields.text("OrderUom", max_len=10)
            price = fields.decimal("Price", currency=currency, minimum=Decimal(0))
            if item is not None and (price is None or not use_entered):
                contract = ContractPrice.objects.filter(
                    customer=customer, stock_item=item
                ).first()
                list_price = contract.price if contract else item.selling_price
                price = price if (use_entered and price is not None) else list_price
            if price is not None and price == 0 and not allow_zero:
                fields.fail("Price", "0", X.ZERO_PRICE, "Zero price is not allowed")
            lines.append(
                {
                    "line_type": SalesOrderLine.LineType.STOCK,
                    "customer_po_line": po_line,
                    "stock_code": code,
                    "warehouse": line_warehouse,
                    "order_qty": qty or Decimal(0),
                    "order_uom": uom or (item.stock_uom if item else ""),
                    "price": price or Decimal(0),
                    "value": ((qty or Decimal(0)) * (price or Decimal(0))).quantize(
                        Decimal("0.001")
                    ),
                    "description": item.description if item else "",
                }
            )
        elif node.tag in ("MiscChargeLine", "FreightLine"):
            value_tag = (
                "MiscChargeValue" if node.tag == "MiscChargeLine" else "FreightValue"
            )
            value = fields.decimal(value_tag, required=True, currency=currency)
            product_class = fields.text("MiscProductClass", max_len=4)
            if product_class and product_class not in PRODUCT_CLASSES:
                fields.fail(
                    "MiscProductClass",
                    product_class,
                    X.PRODUCT_CLASS_NOT_FOUND,
                    f"Product class '{product_class}' not found",
                )
            description = fields.text(
                "MiscDescription", max_len=30, required=node.tag == "MiscChargeLine"
            )
            lines.append(
                {
                    "line_type": SalesOrderLine.LineType.MISC
                    if node.tag == "MiscChargeLine"
                    else SalesOrderLine.LineType.FREIGHT,
                    "customer_po_line": po_line,
                    "price": value or Decimal(0),
                    "value": value or Decimal(0),
                    "order_qty": Decimal(1),
                    "description": description or "Freight",
                }
            )
        elif node.tag == "CommentLine":
            lines.append(
                {
                    "line_type": SalesOrderLine.LineType.COMMENT,
                    "customer_po_line": po_line,
                    "description": fields.text("Comment", max_len=100),
                }
            )
        else:
            fields.fail(node.tag, "", X.BAD_VALUE, f"Unknown order line <{node.tag}>")
    if not lines:
        header.fail("OrderDetails", "", X.NO_LINES, "The order has no lines")

    def write() -> dict[str, Any]:
        if existing is not None:
            first = existing.lines.count() + 1
            SalesOrderLine.objects.bulk_create(
                SalesOrderLine(order=existing, line=index, **line)
                for index, line in enumerate(lines, start=first)
            )
            return {"SalesOrder": existing.sales_order, "OrderActionType": action}
        number = f"{_next_number('sales_order'):06d}"
        order = SalesOrder.objects.create(
            sales_order=number,
            customer=customer,
            customer_po_number=po_number,
            order_date=order_date,
            currency=currency,
            email=email,
            warehouse=warehouse,
            ship_address=ship,
        )
        SalesOrderLine.objects.bulk_create(
            SalesOrderLine(order=order, line=index, **line)
            for index, line in enumerate(lines, start=1)
        )
        if _numberless_reply(int(number)):
            # A clean import sometimes answers with StatusOfItems alone, no
            # order number (PROTOCOLS.md section 1): the client must look the
            # order up by its customer PO.
            return {}
        return {"SalesOrder": number, "OrderActionType": action}

    return Item(
        element=orders,
        errors=errors,
        write=write,
        echo={"CustomerPoNumber": po_number},
    )


def _numberless_reply(number: int) -> bool:
    rate = faults_get("syspro").extra.get("numberless_order_reply_rate")
    if rate is None:
        return number % ORDER_NUMBER_LESS_EVERY == 0
    return bool(rate) and random.random() < rate  # noqa: S311 - a test fault


def sales_orders_post(*, params: ET.Element, root: ET.Element) -> str:
    options = _options(params, validate_tag="Process")
    items = [
        _order_item(node, ignore_warnings=options.ignore_warnings, params=params)
        for node in root.findall("Orders")
    ]
    return _post(
        out_root="SalesOrders",
        out_item="Order",
        items=items,
        options=options,
        item_numbers=False,
    )


# --- ARSTPY: payments and adjustments --------------------------------------


def _ar_journal() -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "TrnYear": today.year,
        "TrnMonth": today.month,
        "Journal": _next_number("ar_journal"),
    }


def _payment_item(node: ET.Element, *, auto_unapplied: bool) -> Item:
    fields = X.Fields(node)
    bank_code = fields.peek("Bank", max_len=10)
    along = {"bank_exists": Exists(Bank.objects.filter(code=bank_code))}
    customer = _customer(fields, along=along if bank_code else None)
    banks = {bank_code: customer.bank_exists} if customer and bank_code else {}
    currency = customer.currency if customer else "USD"
    value = fields.decimal(
        "PaymentValue",
        required=True,
        currency=currency,
        minimum=Decimal(0),
        nonzero=True,
    )
    reference = fields.text("Reference", max_len=60)
    payment_date = fields.date("PaymentDate") or timezone.localdate()
    bank = _bank(fields, required=True, known=banks)
    payment_type = fields.text("PaymentType", max_len=10)
    notation = fields.text("JournalNotation", max_len=100)
    applied: list[tuple[ArInvoice, Decimal]] = []
    for to_pay in node.findall("InvoiceToPay"):
        line = X.Fields(to_pay, fields.errors, section=("InvoiceToPay", {}))
        invoice_no = line.text("Invoice", required=True, max_len=20)
        # Without GrossPaymentValue SYSPRO pays the invoice's whole balance
        # (ARSTPYDOC.vb, InvoiceToPay).
        amount = line.decimal(
            "GrossPaymentValue", currency=currency, minimum=Decimal(0)
        )
        invoice = (
            ArInvoice.objects.filter(
                customer=customer, invoice=invoice_no, transaction_type__in=("I", "D")
            ).first()
            if customer and invoice_no
            else None
        )
        if customer and invoice_no and invoice is None:
            line.fail(
                "Invoice",
                invoice_no,
                X.INVOICE_NOT_FOUND,
                f"Invoice '{invoice_no}' not found",
            )
            continue
        if invoice is None:
            continue
        amount = amount if amount is not None else invoice.balance
        if amount > invoice.balance:
            line.fail(
                "GrossPaymentValue",
                str(amount),
                X.EXCEEDS_BALANCE,
                f"Payment exceeds the balance {invoice.balance} "
                f"of invoice {invoice_no}",
            )
        applied.append((invoice, amount))
    explicit_unapplied = Decimal(0)
    for unapplied in node.findall("UnappliedPayment"):
        line = X.Fields(unapplied, fields.errors, section=("UnappliedPayment", {}))
        explicit_unapplied += line.decimal(
            "GrossPaymentValue", currency=currency, minimum=Decimal(0)
        ) or Decimal(0)
    distributed = (
        sum((amount for _, amount in applied), Decimal(0)) + explicit_unapplied
    )
    unapplied_total = explicit_unapplied
    if value is not None:
        if distributed > value:
            fields.fail(
                "PaymentValue",
                str(value),
                X.OVER_DISTRIBUTED,
                f"Distributed {distributed} exceeds the payment value {value}",
            )
        elif distributed < value:
            if auto_unapplied or not node.findall("InvoiceToPay"):
                unapplied_total += value - distributed
            else:
                fields.fail(
                    "PaymentValue",
                    str(value),
                    X.UNDISTRIBUTED,
                    f"{value - distributed} of the payment is not distributed",
                )

    def write() -> dict[str, Any]:
        for invoice, amount in applied:
            ArInvoice.objects.filter(pk=invoice.pk).update(
                balance=invoice.balance - amount
            )
        journal = _ar_journal()
        ArPayment.objects.create(
            customer=customer,
            reference=reference,
            payment_value=value,
            payment_date=payment_date,
            bank=bank,
            payment_type=payment_type,
            journal_notation=notation,
            applied=[
                {"invoice": invoice.invoice, "value": str(amount)}
                for invoice, amount in applied
            ],
            unapplied_value=unapplied_total,
            journal=journal["Journal"],
        )
        return journal

    return Item(
        element=node,
        errors=fields.errors,
        write=write,
        echo={"Customer": customer.code if customer else "", "Reference": reference},
    )


def _adjustment_item(node: ET.Element) -> Item:
    fields = X.Fields(node)
    customer = _customer(fields)
    currency = customer.currency if customer else "USD"
    bank = _bank(fields, required=False)
    adjustments: list[dict[str, Any]] = []
    for to_adjust in node.findall("InvoiceToAdjust"):
        line = X.Fields(to_adjust, fields.errors, section=("InvoiceToAdjust", {}))
        kind = line.choice("TransactionType", ("I", "D", "C"), default="I")
        invoice_no = line.text("Invoice", required=True, max_len=20)
        amount = line.decimal(
            "AdjustmentValue", required=True, currency=currency, nonzero=True
        )
        # The Invoice "must be a valid SYSPRO A/R invoice" (ARSTPYDOC.vb,
        # InvoiceToAdjust): a sales order number is refused.
        if (
            customer
            and invoice_no
            and not ArInvoice.objects.filter(
                customer=customer,
                invoice=invoice_no,
                transaction_type=kind,
                posted_to="",
            ).exists()
        ):
            line.fail(
                "Invoice",
                invoice_no,
                X.INVOICE_NOT_FOUND,
                f"A/R invoice '{invoice_no}' ({kind}) not found",
            )
        adjustments.append(
            {
                "transaction_type": kind,
                "invoice": invoice_no,
                "adjustment_value": amount,
                "reference": line.text("Reference", max_len=60),
                "journal_notation": line.text("JournalNotation", max_len=100),
            }
        )
    if not adjustments:
        fields.fail("InvoiceToAdjust", "", X.REQUIRED, "InvoiceToAdjust is required")

    def write() -> dict[str, Any]:
        journal = _ar_journal()
        for values in adjustments:
            # SYSPRO's sign is a payment's: a positive AdjustmentValue lowers
            # the invoice's balance, a negative one raises what the customer
            # owes. ARSTPYDOC.vb only says "the value by which the invoice
            # must be adjusted"; the sign is this sandbox's reading, to be
            # confirmed on a test company (PROTOCOLS.md section 1).
            ArInvoice.objects.filter(
                customer=customer, invoice=values["invoice"], posted_to=""
            ).update(balance=F("balance") - values["adjustment_value"])
            ArAdjustment.objects.create(
                customer=customer, bank=bank, journal=journal["Journal"], **values
            )
        return journal

    first_reference = adjustments[0]["reference"] if adjustments else ""
    return Item(
        element=node,
        errors=fields.errors,
        write=write,
        echo={
            "Customer": customer.code if customer else "",
            "Reference": first_reference,
        },
    )


def ar_payments_post(*, params: ET.Element, root: ET.Element) -> str:
    auto_unapplied = X.parameter(params, "AutoCorrectPaymentValue", "N") == "U"
    items: list[Item] = []
    for node in root.findall("Item"):
        payment = node.find("Payment")
        adjustment = node.find("Adjustments")
        if payment is not None:
            item = _payment_item(payment, auto_unapplied=auto_unapplied)
            item.echo = {"Type": "Payment", **item.echo}
        elif adjustment is not None:
            item = _adjustment_item(adjustment)
            item.echo = {"Type": "Adjustment", **item.echo}
        else:
            fields = X.Fields(node)
            fields.fail(
                "Payment", "", X.REQUIRED, "Item needs <Payment> or <Adjustments>"
            )
            item = Item(element=node, errors=fields.errors)
        items.append(item)
    return _post(
        out_root="PostArPayment", out_item="Item", items=items, options=_options(params)
    )


# --- ARSTIN: invoices, debit and credit notes -------------------------------


def _ar_invoice_item(node: ET.Element) -> Item:
    """One ARSTIN item (ARPrimaryPosting/AccountsReceivableInvoicePosting/
    ARSTINDOC.vb): ProductClass is mandatory and must exist; a credit or
    debit note with PostToExistingInvoice=Y is posted to that invoice; with
    GenerateInvoiceNumber=Y SYSPRO numbers the document."""
    fields = X.Fields(node)
    kind = fields.choice("TransactionType", ("I", "D", "C"), default="I")
    customer = _customer(fields)
    currency = customer.currency if customer else "USD"
    to_existing = fields.flag("PostToExistingInvoice")
    generate = fields.flag("GenerateInvoiceNumber")
    invoice_no = fields.text("Invoice", max_len=20)
    original = None
    if to_existing:
        if kind == "I":
            fields.fail(
                "PostToExistingInvoice",
                "Y",
                X.BAD_VALUE,
                "PostToExistingInvoice is for credit and debit notes only",
            )
        elif generate:
            fields.fail(
                "GenerateInvoiceNumber",
                "Y",
                X.BAD_VALUE,
                "GenerateInvoiceNumber must be N to post to an existing invoice",
            )
        elif not invoice_no:
            fields.fail("Invoice", "", X.REQUIRED, "Invoice is required")
        elif customer:
            original = ArInvoice.objects.filter(
                customer=customer, invoice=invoice_no, posted_to=""
            ).first()
            if original is None:
                fields.fail(
                    "Invoice",
                    invoice_no,
                    X.INVOICE_NOT_FOUND,
                    f"Invoice '{invoice_no}' not found",
                )
    elif generate:
        invoice_no = ""
    elif not invoice_no:
        fields.fail(
            "Invoice",
            "",
            X.REQUIRED,
            "Invoice is required unless GenerateInvoiceNumber is Y",
        )
    elif (
        customer
        and ArInvoice.objects.filter(customer=customer, invoice=invoice_no).exists()
    ):
        fields.fail(
            "Invoice",
            invoice_no,
            X.INVOICE_EXISTS,
            f"Document '{invoice_no}' already exists",
        )
    invoice_date = fields.date("InvoiceDate") or timezone.localdate()
    reference = fields.text("Reference", max_len=60)
    value = fields.decimal(
        "InvoiceValue",
        required=True,
        currency=currency,
        minimum=Decimal(0),
        nonzero=True,
    )
    tax = fields.decimal("TaxValue", currency=currency, minimum=Decimal(0)) or Decimal(
        0
    )
    product_class = fields.text("ProductClass", required=True, max_len=4)
    if product_class and product_class not in PRODUCT_CLASSES:
        fields.fail(
            "ProductClass",
            product_class,
            X.PRODUCT_CLASS_NOT_FOUND,
            f"Product class '{product_class}' not found",
        )

    def write() -> dict[str, Any]:
        # SYSPRO negates credit notes itself (InvoiceValue is never negative).
        signed = -value if kind == "C" else value
        journal = _ar_journal()
        if original is not None:
            ArInvoice.objects.filter(pk=original.pk).update(
                balance=F("balance") + signed
            )
            number = f"{kind}{_next_number('ar_invoice'):07d}"
            posted_to = original.invoice
        else:
            number = invoice_no or f"{_next_number('ar_invoice'):07d}"
            posted_to = ""
        ArInvoice.objects.create(
            customer=customer,
            invoice=number,
            transaction_type=kind,
            invoice_date=invoice_date,
            reference=reference,
            invoice_value=signed,
            tax_value=tax,
            balance=signed if original is None else Decimal(0),
            journal=journal["Journal"],
            posted_to=posted_to,
        )
        return {"Invoice": posted_to or number, **journal}

    return Item(
        element=node,
        errors=fields.errors,
        write=write,
        echo={
            "Customer": customer.code if customer else "",
            "TransactionType": kind,
            "Reference": reference,
        },
    )


def ar_invoices_post(*, params: ET.Element, root: ET.Element) -> str:
    items = [_ar_invoice_item(node) for node in root.findall("Item")]
    return _post(
        out_root="PostArInvoices",
        out_item="Item",
        items=items,
        options=_options(params),
    )


# --- GENTJL: GL journals ----------------------------------------------------


def _journal_item(node: ET.Element) -> Item:
    fields = X.Fields(node)
    journal_type = fields.choice("JournalType", ("N", "P", "U", "S", "L"), default="N")
    journal_date = fields.date("JournalDate", required=True)
    reference = fields.text("JournalReference", max_len=60)
    notation = fields.text("Notation", max_len=100)
    period = fields.decimal("PostingPeriod", minimum=Decimal(1))
    year = fields.decimal("PostingYear", minimum=Decimal(1900))
    if period is not None and (period > 13 or period != int(period)):
        fields.fail(
            "PostingPeriod", str(period), X.BAD_VALUE, "PostingPeriod is 1 to 13"
        )
    lines: list[dict[str, Any]] = []
    total = Decimal(0)
    for index, detail in enumerate(node.findall("JournalDetails"), start=1):
        entry = (detail.findtext("EntryNumber") or str(index)).strip()
        line = X.Fields(
            detail, fields.errors, section=("JournalDetails", {"EntryNumber": entry})
        )
        ledger = line.text("LedgerCode", required=True, max_len=35)
        if ledger and not LedgerCode.objects.filter(code=ledger).exists():
            line.fail(
                "LedgerCode",
                ledger,
                X.LEDGER_NOT_FOUND,
                f"Ledger code '{ledger}' not found",
            )
        # Its decimals are checked with the document's shape (shapes.GENTJL).
        amount = line.decimal("EntryAmount", required=True, nonzero=True)
        total += amount or Decimal(0)
        lines.append(
            {
                "entry_number": int(entry) if entry.isdigit() else index,
                "ledger_code": ledger,
                "reference": line.text("Reference", max_len=60),
                "entry_amount": amount or Decimal(0),
                "comment": line.text("Comment", max_len=100),
            }
        )
    if len(lines) < 2:
        fields.fail(
            "JournalDetails",
            str(len(lines)),
            X.TOO_FEW_LINES,
            "A journal needs at least two lines",
        )
    elif total != 0:
        fields.fail(
            "JournalDetails",
            str(total),
            X.NOT_BALANCED,
            f"Journal does not balance: the entries sum to {total}",
        )

    def write() -> dict[str, Any]:
        gl_year = int(year) if year is not None else journal_date.year
        gl_period = int(period) if period is not None else journal_date.month
        number = _next_number(f"gl:{gl_year}:{gl_period}")
        journal = GlJournal.objects.create(
            gl_year=gl_year,
            gl_period=gl_period,
            gl_journal=number,
            journal_type=journal_type,
            journal_date=journal_date,
            journal_reference=reference,
            notation=notation,
        )
        GlJournalLine.objects.bulk_create(
            GlJournalLine(journal=journal, **line) for line in lines
        )
        transaction_node = ET.Element("Transaction")
        key = ET.SubElement(transaction_node, "Key")
        X.add(key, "GlYear", gl_year)
        X.add(key, "GlPeriod", gl_period)
        X.add(key, "GlJournal", number)
        return {"Transaction": transaction_node}

    return Item(
        element=node,
        errors=fields.errors,
        write=write,
        echo={"JournalReference": reference},
    )


def gl_journals_post(*, params: ET.Element, root: ET.Element) -> str:
    items = [_journal_item(node) for node in root.findall("Item")]
    return _post(
        out_root="postgljournal",
        out_item="Item",
        items=items,
        options=_options(params),
        journal=True,
    )


# --- Dispatch ---------------------------------------------------------------

TRANSACTIONS: dict[str, Callable[..., str]] = {
    "SORTOI": sales_orders_post,
    "ARSTPY": ar_payments_post,
    "ARSTIN": ar_invoices_post,
    "GENTJL": gl_journals_post,
}
SETUPS = {"ARSSCS": customer_setup, "COMSFM": custom_form_setup}
REPLY_ROOTS = {
    "SORTOI": "SalesOrders",
    "ARSTPY": "PostArPayment",
    "ARSTIN": "PostArInvoices",
    "GENTJL": "postgljournal",
    "ARSSCS": "SetupArCustomer",
    "COMSFM": "SetupCustomForm",
}


def _unknown_object(business_object: str) -> EnetException:
    return EnetException(
        "100000",
        f"Business object '{business_object}' is not licensed or does not exist "
        "for this method",
    )


def _malformed(exc: X.XmlInError) -> EnetException:
    return EnetException("100050", str(exc))


def _refused(business_object: str, errors: list[X.FieldError]) -> str:
    """XmlOut for a document that breaks its business object's shape: the
    offending elements with ErrorNumber and ErrorDescription, nothing done."""
    root = ET.Element(REPLY_ROOTS.get(business_object, business_object))
    X.render_errors(root, errors)
    X.add_status(root, processed=0, invalid=1, journal=business_object == "GENTJL")
    return X.to_text(root)


@dataclass(frozen=True)
class ParsedPosting:
    """A posting's parsed XmlParameters and XmlIn, and the refusal of a
    document that breaks its shape ("" when it keeps to it)."""

    params: ET.Element
    root: ET.Element
    refusal: str


def _document(business_object: str, xml_parameters: str, xml_in: str) -> ParsedPosting:
    spec = shapes.POSTINGS[business_object]
    errors: list[X.FieldError] = []
    if spec.parameters is not None:
        params, wrong = shapes.document_violations(
            xml_parameters, spec.parameters, name="XmlParameters", optional=True
        )
        errors += wrong
    else:
        params = X.parse_optional(
            xml_parameters, name="XmlParameters", roots=(spec.xml_in.root,)
        )
    root, wrong = shapes.document_violations(xml_in, spec.xml_in, name="XmlIn")
    errors += wrong
    refusal = _refused(business_object, errors) if errors else ""
    return ParsedPosting(params=params, root=root, refusal=refusal)


def transaction_post(
    *, session: Session, business_object: str, xml_parameters: str, xml_in: str
) -> str:
    name = business_object.upper()
    handler = TRANSACTIONS.get(name)
    if handler is None:
        raise _unknown_object(business_object)
    try:
        document = _document(name, xml_parameters, xml_in)
        if document.refusal:
            return document.refusal
        return handler(params=document.params, root=document.root)
    except X.XmlInError as exc:
        raise _malformed(exc) from None


def setup_post(
    *,
    session: Session,
    business_object: str,
    xml_parameters: str,
    xml_in: str,
    adding: bool,
) -> str:
    name = business_object.upper()
    if name not in SETUPS:
        raise _unknown_object(business_object)
    try:
        document = _document(name, xml_parameters, xml_in)
        if document.refusal:
            return document.refusal
        return SETUPS[name](params=document.params, root=document.root, adding=adding)
    except X.XmlInError as exc:
        raise _malformed(exc) from None


# --- Reset ------------------------------------------------------------------


@transaction.atomic
def sandbox_reset() -> None:
    """Wipe documents and sessions; restore the seeded master data.

    Number counters keep counting so a document number is never reused.
    """
    for model in (
        CustomFormValue,
        GlJournalLine,
        GlJournal,
        ArAdjustment,
        ArPayment,
        ArInvoice,
        SalesOrderLine,
        SalesOrder,
        Session,
        ContractPrice,
    ):
        model.objects.all().delete()
    Customer.objects.filter(seeded=False).delete()
    seed_master_data(lambda name: apps.get_model("sandbox_syspro", name))


__all__ = [
    "EnetException",
    "SessionError",
    "logon_profile",
    "sandbox_reset",
    "session_logoff",
    "session_logon",
    "session_require",
    "setup_post",
    "transaction_post",
]
