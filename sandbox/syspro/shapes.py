"""The documents SYSPRO accepts, element by element, and the check against them.

Real SYSPRO silently drops element names it does not know and uses a default
instead (PROTOCOLS.md section 1), so a test that only sees "no error" proves
nothing. The sandbox therefore refuses what SYSPRO would ignore or refuse: an
unknown element, a missing mandatory element, a value outside an
enumeration. Each shape below cites the public XSD-derived class it follows:
https://github.com/Zindaar/SYSPROIntegration (commit c03d75d, folder
SysproIntegration/), where every element's summary says Mandatory or Optional
and each enum lists the allowed values. Where a class was not read, the shape
lists the elements PROTOCOLS.md names and says so.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - walks parsed trees only
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from . import xmldoc as X

UNKNOWN_ELEMENT = "100010"
FLAG = ("Y", "N")
FILTER_ATTRIBUTES = ("FilterType", "FilterValue")


@dataclass(frozen=True)
class Shape:
    """One element: its children (none for a leaf), whether it must be
    there, the values it allows, and rules across its children."""

    children: Mapping[str, Shape] = field(default_factory=dict)
    mandatory: bool = False
    choices: tuple[str, ...] = ()
    # Children not listed are allowed (a class this sandbox has not read).
    open_children: bool = False
    # A filter element: its FilterType attribute's allowed values.
    filter_types: tuple[str, ...] = ()
    rules: tuple[Callable[[ET.Element], list[X.FieldError]], ...] = ()
    # A numeric leaf: the decimals SYSPRO's field holds (None: not checked).
    places: int | None = None


def leaf(
    *,
    mandatory: bool = False,
    choices: tuple[str, ...] = (),
    places: int | None = None,
) -> Shape:
    return Shape(mandatory=mandatory, choices=choices, places=places)


# SYSPRO's numeric formats: SORTOIDOC.vb gives MiscChargeValue, MiscChargeCost,
# FreightValue and FreightCost as "12.2", Price as "10.5", OrderQty as
# "12.6"; a live SYSPRO database keeps those columns as decimal(14, 2),
# decimal(15, 5) and decimal(18, 6) (SorDetail.NMscChargeValue, MPrice,
# MOrderQty in https://github.com/skmuthukrishnan93/Ortho-xact-api/blob/
# d94f07533d56ecdea1894a63e22d180c2104476d/SysModels/SysproContext.cs).
# ARSTPYDOC, ARSTINDOC and GENTJLDOC state no format for their values: they
# are held to SYSPRO's value columns, 2 decimals, like the rest (the product
# declares the same in integrations/erps/syspro/schemas.py).
VALUE = leaf(places=2)
PRICE = leaf(places=5)
QUANTITY_PLACES = 6


def node(children: Mapping[str, Shape], *, mandatory: bool = False, **kwargs) -> Shape:
    return Shape(children=children, mandatory=mandatory, **kwargs)


def filtered(*types: str) -> Shape:
    return Shape(filter_types=types)


def leaves(*names: str) -> dict[str, Shape]:
    return {name: leaf() for name in names}


def violations(element: ET.Element, shape: Shape) -> list[X.FieldError]:
    """Every way `element` (already known to be the right root) breaks `shape`."""
    errors: list[X.FieldError] = []
    for rule in shape.rules:
        errors.extend(rule(element))
    if shape.filter_types:
        kind = element.get("FilterType", "")
        if kind not in shape.filter_types:
            errors.append(
                _error(
                    element.tag,
                    kind,
                    X.BAD_VALUE,
                    f"FilterType of {element.tag} must be one of "
                    f"{', '.join(shape.filter_types)}",
                )
            )
        for name in element.attrib:
            if name not in FILTER_ATTRIBUTES:
                errors.append(
                    _error(
                        element.tag, name, UNKNOWN_ELEMENT, f"Unknown attribute {name}"
                    )
                )
        return errors
    if not shape.children and not shape.open_children:
        value = (element.text or "").strip()
        if len(element):
            errors.append(
                _error(
                    element.tag, "", UNKNOWN_ELEMENT, f"{element.tag} has no children"
                )
            )
        if shape.places is not None and _too_precise(value, shape.places):
            errors.append(
                _error(
                    element.tag,
                    value,
                    X.TOO_PRECISE,
                    f"{element.tag} has more than {shape.places} decimals",
                )
            )
        if shape.choices and value and value not in shape.choices:
            errors.append(
                _error(
                    element.tag,
                    value,
                    X.BAD_VALUE,
                    f"{element.tag} must be one of {', '.join(shape.choices)}",
                )
            )
        return errors
    for child in element:
        child_shape = shape.children.get(child.tag)
        if child_shape is None:
            if not shape.open_children:
                errors.append(
                    _error(
                        child.tag,
                        (child.text or "").strip(),
                        UNKNOWN_ELEMENT,
                        f"{child.tag} is not an element of {element.tag}",
                    )
                )
            continue
        errors.extend(violations(child, child_shape))
    for name, child_shape in shape.children.items():
        if not child_shape.mandatory:
            continue
        found = element.find(name)
        if found is None or (
            not child_shape.children and not (found.text or "").strip()
        ):
            errors.append(
                _error(name, "", X.REQUIRED, f"{name} is mandatory in {element.tag}")
            )
    return errors


def _too_precise(value: str, places: int) -> bool:
    """A number with digits past `places` decimals ("1.255" for 2; "1.250" is
    1.25 and fits). What is not a number is left to the business object."""
    if not X.DECIMAL_RE.match(value):
        return False
    number = Decimal(value)
    return number != number.quantize(Decimal(1).scaleb(-places))


def _error(tag: str, value: str, number: str, description: str) -> X.FieldError:
    return X.FieldError(tag, value, number, description)


def _needs(present: str, *any_of: str) -> Callable[[ET.Element], list[X.FieldError]]:
    """When `present` has a value, one of `any_of` must have one too."""

    def rule(element: ET.Element) -> list[X.FieldError]:
        if not (element.findtext(present) or "").strip():
            return []
        if any((element.findtext(name) or "").strip() for name in any_of):
            return []
        return [
            _error(
                any_of[0],
                "",
                X.REQUIRED,
                f"{' or '.join(any_of)} is mandatory in {element.tag} "
                f"when {present} is given",
            )
        ]

    return rule


# --- XmlParameters ------------------------------------------------------------

# ARPrimaryPosting/AccountsReceivableInvoicePosting/ARSTIN.vb
POSTING_PARAMETERS = node(
    {
        "IgnoreWarnings": leaf(choices=FLAG),
        "ApplyIfEntireDocumentValid": leaf(choices=FLAG),
        "ValidateOnly": leaf(choices=FLAG),
        "PostingPeriod": leaf(choices=("C", "P", "B")),
    }
)
# SystemSetup/AccountsReceivableCustomerMaintenance/ARSSCS.vb: no PostingPeriod.
SETUP_PARAMETERS = node(
    {
        "IgnoreWarnings": leaf(choices=FLAG),
        "ApplyIfEntireDocumentValid": leaf(choices=FLAG),
        "ValidateOnly": leaf(choices=FLAG),
    }
)
# ARPrimaryPosting/PostARPaymentsAdjustmentsAndMiscellaneousReceipts/ARSTPY.vb
# (AutoCorrectPaymentValue's values not enumerated here).
ARSTPY_PARAMETERS = node(
    {
        **POSTING_PARAMETERS.children,
        "AutoCorrectPaymentValue": leaf(),
    }
)
# SalesOrdersPrimaryPosting/SalesOrderImport/SORTOI.vb; the subset a live
# integration sends (rectella-shopify-service internal/syspro/xml.go).
SORTOI_PARAMETERS = node(
    {
        "Process": leaf(choices=("IMPORT", "VALIDATE")),
        "IgnoreWarnings": leaf(choices=FLAG),
        "AllowDuplicateOrderNumbers": leaf(choices=FLAG),
        "AlwaysUsePriceEntered": leaf(choices=FLAG),
        "AllowZeroPrice": leaf(choices=FLAG),
        "AcceptOrdersIfNoCredit": leaf(choices=FLAG),
        "OrderStatus": leaf(),
        "ValidateOnly": leaf(choices=FLAG),
        "ApplyIfEntireDocumentValid": leaf(choices=FLAG),
    }
)


def parameters_of(root_tag: str, parameters: Shape) -> Shape:
    return node({"Parameters": parameters})


# --- XmlIn: postings ----------------------------------------------------------

# SalesOrdersPrimaryPosting/SalesOrderImport/SORTOIDOC.vb
LINE_ACTION = leaf(choices=("A", "C", "D"))
STOCK_LINE = node(
    {
        "CustomerPoLine": leaf(),
        "LineActionType": LINE_ACTION,
        "LineCancelCode": leaf(),
        "StockCode": leaf(mandatory=True),
        "StockDescription": leaf(),
        "Warehouse": leaf(),
        "CustomersPartNumber": leaf(),
        "OrderQty": leaf(mandatory=True, places=QUANTITY_PLACES),
        "OrderUom": leaf(),
        "Price": PRICE,
        "PriceUom": leaf(),
        "PriceCode": leaf(),
        "Discount": leaf(),
        "DiscountType": leaf(),
        "AlwaysUsePriceEntered": leaf(choices=("Y", "N", "")),
        "AlwaysUseDiscountEntered": leaf(choices=("Y", "N", "")),
        "TaxCode": leaf(),
        "LineShipDate": leaf(),
    },
    # PriceUom: "mandatory when Price is given" (PROTOCOLS.md section 1).
    rules=(_needs("Price", "PriceUom"),),
)
MISC_CHARGE_LINE = node(
    {
        "CustomerPoLine": leaf(),
        "LineActionType": LINE_ACTION,
        "LineCancelCode": leaf(),
        "MiscChargeValue": leaf(mandatory=True, places=2),
        "MiscChargeCost": VALUE,
        "MiscQuantity": leaf(),
        "MiscProductClass": leaf(),
        "MiscTaxCode": leaf(),
        "MiscNotTaxable": leaf(choices=("Y", "")),
        "MiscFstCode": leaf(),
        "MiscNotFstTaxable": leaf(choices=("Y", "")),
        "MiscDescription": leaf(),
        "MiscChargeCode": leaf(),
    },
    # MiscProductClass is mandatory unless a standard MiscChargeCode is given.
    rules=(_needs("MiscChargeValue", "MiscProductClass", "MiscChargeCode"),),
)
FREIGHT_LINE = node(
    {
        "CustomerPoLine": leaf(),
        "LineActionType": LINE_ACTION,
        "LineCancelCode": leaf(),
        "FreightValue": leaf(mandatory=True, places=2),
        "FreightCost": VALUE,
        "FreightTaxCode": leaf(),
        "FreightNotTaxable": leaf(choices=("Y", "")),
        "FreightFstCode": leaf(),
        "FreightNotFstTaxable": leaf(choices=("Y", "")),
    }
)
COMMENT_LINE = node(
    {
        "CustomerPoLine": leaf(),
        "LineActionType": LINE_ACTION,
        "Comment": leaf(),
        "AttachedLineNumber": leaf(),
        "CommentType": leaf(choices=("I", "O", "")),
    }
)
ORDER_HEADER = node(
    {
        "CustomerPoNumber": leaf(),
        "OrderActionType": leaf(choices=("A", "C", "D")),
        "NewCustomerPoNumber": leaf(),
        "Supplier": leaf(),
        "Customer": leaf(mandatory=True),
        "OrderDate": leaf(),
        "InvoiceTerms": leaf(),
        "Currency": leaf(),
        "ShippingInstrs": leaf(),
        "CustomerName": leaf(),
        **leaves(*(f"ShipAddress{n}" for n in range(1, 6))),
        "ShipPostalCode": leaf(),
        "Email": leaf(),
        "Warehouse": leaf(),
        "SpecialInstrs": leaf(),
        "SalesOrder": leaf(),
        "OrderType": leaf(),
        "RequestedShipDate": leaf(),
        "Salesperson": leaf(),
        "Branch": leaf(),
        "Area": leaf(),
        "OrderComments": leaf(),
    },
    mandatory=True,
)
SORTOI = node(
    {
        "Orders": node(
            {
                "OrderHeader": ORDER_HEADER,
                "OrderDetails": node(
                    {
                        "StockLine": STOCK_LINE,
                        "MiscChargeLine": MISC_CHARGE_LINE,
                        "FreightLine": FREIGHT_LINE,
                        "CommentLine": COMMENT_LINE,
                    }
                ),
            },
            mandatory=True,
        )
    }
)

# ARPrimaryPosting/PostARPaymentsAdjustmentsAndMiscellaneousReceipts/ARSTPYDOC.vb
PAYMENT_TYPE = leaf(choices=("C", "S", "O"))
TRANSACTION_TYPE = leaf(choices=("I", "C", "D"))
DRAWER = {"DrawerName": leaf(), "DrawerBank": leaf(), "DrawerBranch": leaf()}
INVOICE_TO_PAY = node(
    {
        "TransactionType": TRANSACTION_TYPE,
        "Invoice": leaf(mandatory=True),
        "GrossPaymentValue": VALUE,
        "DiscountValue": VALUE,
        "TaxPortionOfDiscount": leaf(),
        "WithholdingTaxValue": leaf(),
        "ExchangeRateToUse": leaf(),
    }
)
UNAPPLIED_PAYMENT = node(
    {
        "GrossPaymentValue": VALUE,
        "DiscountValue": VALUE,
        "TaxPortionOfDiscount": leaf(),
        "WithholdingTaxValue": leaf(),
        "ExchangeRateToUse": leaf(),
        "CustomerPurchaseOrder": leaf(),
    }
)
PAYMENT = node(
    {
        "Customer": leaf(mandatory=True),
        "PaymentValue": VALUE,
        "Reference": leaf(),
        "PaymentDate": leaf(),
        "JournalNotation": leaf(mandatory=True),
        "PaymentNarration": leaf(),
        "DefaultExchangeRateMethod": leaf(choices=("I", "N")),
        "DefaultExchangeRateToUse": leaf(),
        "ExchangeRateVarianceLedgerCode": leaf(),
        "PasswordExchangeRateVarianceLedgerCode": leaf(),
        "ApplyDuePostDatedChecks": leaf(choices=FLAG),
        "Bank": leaf(),
        "PaymentType": PAYMENT_TYPE,
        **DRAWER,
        "BankChargeValue": leaf(),
        "BankChargeExchangeRate": leaf(),
        "InvoiceToPay": INVOICE_TO_PAY,
        "UnappliedPayment": UNAPPLIED_PAYMENT,
    }
)
INVOICE_TO_ADJUST = node(
    {
        "TransactionType": TRANSACTION_TYPE,
        "Invoice": leaf(mandatory=True),
        "AdjustmentValue": leaf(mandatory=True, places=2),
        "AdjustmentTaxCode": leaf(),
        "TaxPortionOfAdjustment": leaf(),
        "Reference": leaf(),
        "AdjustmentLedgerCode": leaf(),
        "PasswordForAdjustmentLedgerCode": leaf(),
        "JournalNotation": leaf(mandatory=True),
    },
    mandatory=True,
)
ADJUSTMENTS = node(
    {
        "Customer": leaf(mandatory=True),
        "Bank": leaf(),
        "PaymentType": PAYMENT_TYPE,
        **DRAWER,
        "InvoiceToAdjust": INVOICE_TO_ADJUST,
    }
)
ARSTPY = node(
    {"Item": node({"Payment": PAYMENT, "Adjustments": ADJUSTMENTS}, mandatory=True)}
)

# ARPrimaryPosting/AccountsReceivableInvoicePosting/ARSTINDOC.vb
ARSTIN = node(
    {
        "Item": node(
            {
                "TransactionType": leaf(mandatory=True, choices=("I", "C", "D")),
                "Customer": leaf(mandatory=True),
                "PostToExistingInvoice": leaf(choices=FLAG),
                "GenerateInvoiceNumber": leaf(choices=FLAG),
                "Invoice": leaf(),
                "InvoiceDate": leaf(),
                "Reference": leaf(),
                "InvoiceValue": leaf(mandatory=True, places=2),
                "ExchangeRate": leaf(),
                "TaxValue": VALUE,
                "GSTValue": leaf(),
                "CostValue": leaf(),
                "ProductClass": leaf(mandatory=True),
                "InvoiceTerms": leaf(),
                "GeographicArea": leaf(),
                "Salesperson": leaf(),
                "Branch": leaf(),
            },
            mandatory=True,
        )
    }
)

# GeneralLedgerPrimaryPosting/PostJournalsToGLSystemNormalProvisional
# UserDefinedStatisticalAlternateCurrency/ (GENTJL): journal types N, P, U, S,
# L; the elements as PROTOCOLS.md section 1 lists them.
GENTJL = node(
    {
        "Item": node(
            {
                "JournalType": leaf(choices=("N", "P", "U", "S", "L")),
                "JournalDate": leaf(),
                "JournalReference": leaf(),
                "Notation": leaf(),
                "PostingPeriod": leaf(),
                "PostingYear": leaf(),
                "JournalDetails": node(
                    {
                        "EntryNumber": leaf(),
                        "LedgerCode": leaf(mandatory=True),
                        "Reference": leaf(),
                        "EntryAmount": leaf(mandatory=True, places=2),
                        "Comment": leaf(),
                    },
                    mandatory=True,
                ),
            },
            mandatory=True,
        )
    }
)

# ARSSCS (Setup/Add, Setup/Update), SystemSetup/AccountsReceivableCustomer
# Maintenance/ARSSCSDOC.vb: the elements the product sends, all optional but
# the Key.
ARSSCS = node(
    {
        "Item": node(
            {
                "Key": node({"Customer": leaf(mandatory=True)}, mandatory=True),
                **leaves(
                    "Name",
                    "ShortName",
                    "Currency",
                    "TermsCode",
                    "Telephone",
                    "Email",
                    *(f"SoldToAddr{n}" for n in range(1, 6)),
                    "SoldPostalCode",
                    *(f"ShipToAddr{n}" for n in range(1, 6)),
                    "ShipPostalCode",
                    "CreditLimit",
                ),
                "CustomerOnHold": leaf(choices=FLAG),
            },
            mandatory=True,
        )
    }
)

# COMSFM (Setup/Add, Setup/Update): custom form fields. Zindaar/
# SYSPROIntegration has no class for it; the shape is what two public uses
# send, and nothing more: a SQL procedure of a live SYSPRO integration builds
# XmlParameters `SetupCustomForm/Parameters/ValidateOnly` and XmlIn
# `SetupCustomForm/Item/Key/{FormType, KeyField, FieldName}` with the value in
# `Item/AlphaValue` (form type ORD, key a sales order), and the syspro Ruby
# gem's COMSFM test sets form_type, key_field, field_name and alpha_value with
# validate_only through `add` (form type POR). Other value elements are not
# publicly attested, so they are refused here.
COMSFM = node(
    {
        "Item": node(
            {
                "Key": node(
                    {
                        "FormType": leaf(mandatory=True),
                        "KeyField": leaf(mandatory=True),
                        "FieldName": leaf(mandatory=True),
                    },
                    mandatory=True,
                ),
                "AlphaValue": leaf(),
            },
            mandatory=True,
        )
    }
)
COMSFM_PARAMETERS = node({"ValidateOnly": leaf(choices=FLAG)})

# --- XmlIn: queries -----------------------------------------------------------

# ARPrimaryQuery/CustomerQuery/ARSQRY.vb: a Key and Options, no Filter.
ARSQRY = node(
    {
        "Key": node({"Customer": leaf(mandatory=True)}, mandatory=True),
        "Option": node(
            {
                "MultiMediaImageType": leaf(),
                **{
                    name: leaf(choices=FLAG)
                    for name in (
                        "IncludeFutures",
                        "IncludeTransactions",
                        "IncludeCheckPayments",
                        "IncludePostDated",
                        "IncludeZeroBalances",
                        "IncludeCustomForms",
                    )
                },
                "AsOfPeriod": leaf(choices=("C", "P", "2")),
                "AgeingOption": leaf(),
                **leaves(*(f"AgeColumn{n}" for n in range(1, 8))),
                "XslStylesheet": leaf(),
            }
        ),
    }
)
# SalesOrdersPrimaryQuery/ListOfSalesOrders/SORQSO.vb
SORQSO = node(
    {
        "Option": node(
            {
                "IncludeCompletedOrders": leaf(choices=FLAG),
                "IncludeCancelledOrders": leaf(choices=FLAG),
                "IncludeForwardOrders": leaf(choices=FLAG),
                "StartAtOrder": leaf(),
                "ReturnOrders": leaf(),
                "OutstandingQty": leaf(choices=("I", "B", "O", "S", "")),
                "ReturnPreviousOrder": leaf(choices=("Y", "N", "")),
                "XslStylesheet": leaf(),
            }
        ),
        "Filter": node(
            {
                "Salesperson": filtered("S", "A"),
                "Branch": filtered("S", "A"),
                "Customer": filtered("S", "A"),
                "OrderType": filtered("S", "A", "R", "L"),
                "CustomerPo": filtered("S", "A"),
                "SalesOrder": filtered("A", "R"),
                "OrderDate": filtered("A", "R"),
                "OrderStatus": filtered("S", "A", "R", "L"),
                "AlternateKey": filtered("S", "A", "R", "L"),
                "GeographicArea": filtered("S", "A", "R", "L"),
                "RequestedShipDate": filtered("R", "A"),
            }
        ),
    }
)
# SalesOrdersPrimaryQuery/SalesOrderQuery/SORQRY.vb (Option not enumerated).
SORQRY = node(
    {
        "Key": node({"SalesOrder": leaf(mandatory=True)}, mandatory=True),
        "Option": node({}, open_children=True),
    }
)
# SORQCP: a Filter on Customer, no Key (PROTOCOLS.md section 1).
SORQCP = node(
    {
        "Option": node({}, open_children=True),
        "Filter": node(
            {
                "Customer": filtered("S"),
                "StockCode": filtered("S", "A"),
            },
            mandatory=True,
        ),
    }
)
# InventoryPrimaryQuery/InventoryQuery/INVQRY.vb: one stock item by Key, a
# Warehouse filter (R or L); its Options are not enumerated here.
INVQRY = node(
    {
        "Key": node({"StockCode": leaf(mandatory=True)}, mandatory=True),
        "Option": node({}, open_children=True),
        "Filter": node({"Warehouse": filtered("R", "L")}),
    }
)
# INVQPL: price lists (not enumerated).
INVQPL = node({}, open_children=True)
# GENQGL, validate a ledger code: a Key of LedgerCode, Company, SecurityType
# (P, Q or empty), ValidateStructure and ValidateFlags (Y or N) and
# BusinessProcess, and an XslStylesheet
# (GeneralLedgerPrimaryQuery/ValidateALedgerCodeEntry/GENQGL.vb).
GENQGL = node(
    {
        "Key": node(
            {
                "LedgerCode": leaf(mandatory=True),
                "Company": leaf(),
                "SecurityType": leaf(choices=("P", "Q", "")),
                "ValidateStructure": leaf(choices=("Y", "N")),
                "ValidateFlags": leaf(choices=("Y", "N")),
                "BusinessProcess": leaf(),
            },
            mandatory=True,
        ),
        "XslStylesheet": node({}, open_children=True),
    }
)


@dataclass(frozen=True)
class Document:
    root: str
    shape: Shape


@dataclass(frozen=True)
class BusinessObject:
    xml_in: Document
    parameters: Document | None = None


POSTINGS: dict[str, BusinessObject] = {
    "SORTOI": BusinessObject(
        Document("SalesOrders", SORTOI),
        Document("SalesOrders", parameters_of("SalesOrders", SORTOI_PARAMETERS)),
    ),
    "ARSTPY": BusinessObject(
        Document("PostArPayment", ARSTPY),
        Document("PostArPayment", parameters_of("PostArPayment", ARSTPY_PARAMETERS)),
    ),
    "ARSTIN": BusinessObject(
        Document("PostArInvoices", ARSTIN),
        Document("PostArInvoices", parameters_of("PostArInvoices", POSTING_PARAMETERS)),
    ),
    "GENTJL": BusinessObject(
        Document("PostGlJournal", GENTJL),
        Document("PostGlJournal", parameters_of("PostGlJournal", POSTING_PARAMETERS)),
    ),
    "ARSSCS": BusinessObject(
        Document("SetupArCustomer", ARSSCS),
        Document("SetupArCustomer", parameters_of("SetupArCustomer", SETUP_PARAMETERS)),
    ),
    "COMSFM": BusinessObject(
        Document("SetupCustomForm", COMSFM),
        Document(
            "SetupCustomForm", parameters_of("SetupCustomForm", COMSFM_PARAMETERS)
        ),
    ),
}
QUERIES: dict[str, BusinessObject] = {
    "ARSQRY": BusinessObject(Document("Query", ARSQRY)),
    "SORQSO": BusinessObject(Document("Query", SORQSO)),
    "SORQRY": BusinessObject(Document("Query", SORQRY)),
    "SORQCP": BusinessObject(Document("Query", SORQCP)),
    "INVQRY": BusinessObject(Document("Query", INVQRY)),
    "INVQPL": BusinessObject(Document("Query", INVQPL)),
    "GENQGL": BusinessObject(Document("Query", GENQGL)),
}


def document_violations(
    text: str, document: Document, *, name: str, optional: bool = False
) -> tuple[ET.Element, list[X.FieldError]]:
    """Parse `text` as `document` (XmlInError for a wrong root or bad XML)
    and list what breaks its shape."""
    if optional:
        root = X.parse_optional(text, name=name, roots=(document.root,))
    else:
        root = X.parse(text, name=name, roots=(document.root,))
    return root, violations(root, document.shape)
