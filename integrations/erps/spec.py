"""ERP-neutral building blocks of the ERP packages: entity schemas as data,
default mapping templates as data, and the integration option defaults.

An ERP package describes every target field the mapping engine can fill with
one `EntitySchema` per entity (field names are the ERP's own and match the
payload dicts its connector consumes), and one default template per entity
(a list of field mappings from canonical records, see mapping/). mapping/
imports these blocks from here, since it sits above the ERP packages.

Field types:
- ``string``: text, at most ``max_length`` characters.
- ``decimal``: a decimal number as a string ("19.99", "-5.000", "500").
- ``date``: ``CCYY-MM-DD``.
- ``int``: a whole number (int or a string of digits).
- ``flag``: ``Y`` or ``N``.
- ``lines``: a list of dicts, each one a payload of ``child`` entity.

Protected fields (``protected``) stay as mapped from the Stripe source unless
a second person approves a hand edit of them (integrations.ledger):
- ``money``: an amount, its currency, or a quantity, price or discount that
  sets one.
- ``customer``: the ERP customer the document is booked to.
- ``reference``: the Stripe id the connector looks a document up by before it
  creates one (the exactly-once key).
"""

from dataclasses import dataclass, field
from typing import Any

STRING = "string"
DECIMAL = "decimal"
DATE = "date"
INT = "int"
FLAG = "flag"
LINES = "lines"

TYPES = (STRING, DECIMAL, DATE, INT, FLAG, LINES)

MONEY = "money"
ERP_CUSTOMER = "customer"
STRIPE_REFERENCE = "reference"
PROTECTED_KINDS = (MONEY, ERP_CUSTOMER, STRIPE_REFERENCE)

ENTITIES = (
    "customer",
    "sales_order",
    "order_line",
    "payment",
    "credit_note",
    "adjustment",
    "invoice",
    "journal",
    "journal_line",
)
# Entities that are only ever mapped as lines of a parent.
LINE_ENTITIES = ("order_line", "journal_line")

# Stripe references are written into reference fields: room for a dispute id
# plus its phase suffix (a design choice, wider than some ERP columns).
REFERENCE_LENGTH = 60


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str = STRING
    max_length: int | None = None
    required: bool = False
    choices: tuple[str, ...] = ()
    description: str = ""
    child: str = ""  # for LINES: the entity each line is
    # Required only when another field of the same payload has one of these
    # values, e.g. StockCode when LineType is "stock".
    required_when: tuple[str, tuple[str, ...]] | None = None
    positive: bool = False  # decimals that must be > 0
    protected: str = ""  # one of PROTECTED_KINDS: a hand edit needs approval
    # Decimals the ERP column holds (money amounts, prices, quantities); None
    # when not declared. integrations/precision.py fits amounts to them.
    places: int | None = None


@dataclass(frozen=True)
class EntitySchema:
    erp: str
    entity: str
    title: str
    fields: tuple[FieldSpec, ...]
    by_name: dict[str, FieldSpec] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    def get(self, name: str) -> FieldSpec | None:
        return self.by_name.get(name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


def string_field(name: str, max_length: int, description: str = "", **kw) -> FieldSpec:
    return FieldSpec(name, STRING, max_length, description=description, **kw)


def decimal_field(name: str, description: str = "", **kw) -> FieldSpec:
    return FieldSpec(name, DECIMAL, description=description, **kw)


def schemas_by_entity(*schemas: EntitySchema) -> dict[str, EntitySchema]:
    return {schema.entity: schema for schema in schemas}


# Templates --------------------------------------------------------------------


def step(name: str, **params: Any) -> dict:
    """One transform step of a field mapping (mapping/transforms.py)."""
    return {"name": name, "params": params} if params else {"name": name}


def field_map(
    target: str,
    source: str = "",
    *steps: dict,
    default: Any = None,
    condition: dict | None = None,
    required: bool = False,
) -> dict:
    """One field mapping: the ERP `target` filled from the canonical `source`."""
    return {
        "target": target,
        "source": source,
        "transforms": list(steps),
        "default": default,
        "condition": condition,
        "required": required,
    }


def constant(target: str, value: Any) -> dict:
    return field_map(target, "", step("constant", value=value))


def from_option(target: str, key: str) -> dict:
    """`target` from the integration option `key` (see DEFAULT_OPTIONS)."""
    return field_map(target, f"options.{key}", step("trim"))


def cut_text(target: str, source: str, length: int) -> dict:
    """Text with its white space collapsed, cut to the ERP column's length."""
    return field_map(
        target, source, step("trim", collapse=True), step("truncate", length=length)
    )


TO_DECIMAL = step("minor_to_decimal", currency="$currency")
TO_DATE = step("unix_to_date", timezone="$options.timezone")
CUSTOMER_CODE = step("coalesce", values=["$customer_code"])


# Integration.options defaults: used under the integration's own options so a
# key it does not set still has the documented value.
DEFAULT_OPTIONS: dict[str, Any] = {
    "bank": "STRIPE",
    "warehouse": "FG",
    "misc_charge_description": "Stripe payment",
    "customer_code_prefix": "S",
    "terms_code": "30",
    "payment_type": "CC",
    # A currency with more decimals than the ERP's amount fields (KWD, BHD …
    # into 2-decimal fields): "round" posts each document rounded to the
    # field, with an explicit rounding line; "refuse" sends its records to
    # needs_attention before anything is posted (integrations/precision.py).
    "currency_precision": "round",
    # The currencies the Stripe account charges in, checked against the ERP's
    # amount fields when the integration is saved; empty: not checked.
    "currencies": [],
    # A charge in a currency other than the ERP customer's: "hold",
    # "per_currency_account" or "convert" (integrations/currency_accounts.py).
    "customer_currency_policy": "per_currency_account",
    "currency_account_pattern": "{code}-{currency}",
    "gl": {
        "bank": "1010",
        "clearing": "1090",
        "ar": "1200",
        "fees": "6210",
        "refunds": "4900",
        "disputes": "5910",
        "dispute_fees": "6220",
        "adjustments": "6900",
        "fx": "7910",
        # Where a payout journal books what rounding to the ERP's amount
        # fields left over (a 3-decimal currency in a 2-decimal ERP).
        "rounding": "7910",
    },
}
