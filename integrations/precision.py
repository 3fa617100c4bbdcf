"""Currencies with more decimals than the ERP's amount fields: the one rule.

Stripe amounts are integers in the currency's minor units: KWD and BHD have
three decimals, JPY none (portal/money.py). Each ERP package declares the
decimals its money columns hold (`places` on the fields of its schemas):
SYSPRO's values and Sage Pro's amounts hold 2. So 1.255 KWD fits neither:
the ERP can book 1.25 or 1.26, never the amount received.

The integration option `currency_precision` decides, for every ERP and every
document, here and nowhere else:

- ``round`` (the default). Each document is booked rounded half up to the
  field: 1.255 KWD becomes 1.26. A document with lines gets its unit prices
  rounded to the same places (down when rounding to nearest would overshoot
  the total), so quantity x price is each line's amount, and one explicit
  rounding line brings the lines to the rounded total. The payment, credit
  note or adjustment of the same Stripe amount is rounded the same way, so
  the customer's account nets to zero in the ERP. What no such field can hold
  (the half fils of 1.255) is booked by the payout journal on an explicit
  line to the `gl.rounding` account, so every journal balances and the bank
  and clearing lines match what was posted (reconciliation/journal.py).
- ``refuse``. The integration form refuses such a currency in the
  integration's `currencies`, and a record in it goes to needs_attention
  with the reason before anything is sent to the ERP.

Round is the default because Stripe settles whatever currency a customer
paid in: refusing leaves money received and unbooked until a person acts,
a larger gap in the books than a rounding posted as its own line.

The ledger applies `source_fitted` to the canonical record before mapping and
`payload_fitted` to the mapped payload before the connector call
(integrations/ledger/context.py); the payout journal build asks
`journal_step` (reconciliation/services.py).
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from portal.exceptions import ApplicationError
from portal.money import exponent, to_decimal

from .erps.registry import erp_package
from .erps.spec import DECIMAL, LINES, MONEY, EntitySchema

OPTION = "currency_precision"
ROUND = "round"
REFUSE = "refuse"
POLICIES = (ROUND, REFUSE)
CURRENCIES_OPTION = "currencies"
ROUNDING_ACCOUNT_ROLE = "rounding"

_CURRENCY_RE = re.compile(r"^[A-Za-z]{3}$")


class CurrencyPrecisionError(ApplicationError):
    """An amount the ERP's fields cannot hold, refused before anything is sent."""


@dataclass(frozen=True)
class ErpPrecision:
    """The decimals an ERP's money amount fields hold (None: not declared)."""

    label: str
    places: int | None
    fields: tuple[str, ...]  # the fields with the fewest places, for messages

    def describe(self) -> str:
        return (
            f"{self.label}'s amount fields ({', '.join(self.fields)}) "
            f"hold {self.places} decimals"
        )

    def excess(self, currency: str) -> int:
        """How many decimals of `currency` the fields cannot hold."""
        if self.places is None:
            return 0
        return max(0, exponent(currency) - self.places)


@cache
def erp_precision(erp_kind: str) -> ErpPrecision:
    """The fewest decimals among the money fields the ERP package declares."""
    package = erp_package(erp_kind)
    declared: dict[str, int] = {}
    for schema in package.schemas.values():
        for spec in schema.fields:
            money = spec.type == DECIMAL and spec.protected == MONEY
            if money and spec.places is not None:
                declared.setdefault(spec.name, spec.places)
    if not declared:
        return ErpPrecision(package.label, None, ())
    places = min(declared.values())
    fields = tuple(sorted(name for name, p in declared.items() if p == places))
    return ErpPrecision(package.label, places, fields)


def options_merged(erp_kind: str, options: Mapping[str, Any] | None) -> dict:
    """The integration's options over its ERP's documented defaults."""
    return {**erp_package(erp_kind).default_options, **(options or {})}


def policy_of(options: Mapping[str, Any]) -> str:
    """round or refuse; anything else refuses (nothing is posted on a typo)."""
    value = options.get(OPTION, ROUND)
    return ROUND if value == ROUND else REFUSE


def rounding_account(options: Mapping[str, Any], *, erp_kind: str) -> str:
    """The GL account of rounding differences: options gl.rounding, else the
    ERP's default."""
    gl = options.get("gl")
    account = gl.get(ROUNDING_ACCOUNT_ROLE) if isinstance(gl, Mapping) else None
    if not account:
        default_gl = erp_package(erp_kind).default_options.get("gl") or {}
        account = default_gl.get(ROUNDING_ACCOUNT_ROLE)
    return str(account or "").strip()


# Setup -------------------------------------------------------------------------


def integration_options_errors(
    *, erp_kind: str, options: Mapping[str, Any] | None
) -> list[str]:
    """What is wrong with an integration's currency options, said so a person
    can fix it; empty when they are fine. For the integration form."""
    if options is None:
        options = {}
    if not isinstance(options, Mapping):
        return ["Options must be a JSON object."]
    errors = []
    policy = options.get(OPTION, ROUND)
    if policy not in POLICIES:
        errors.append(f'{OPTION} must be "{ROUND}" or "{REFUSE}", not {policy!r}.')
    currencies = options.get(CURRENCIES_OPTION, [])
    if not isinstance(currencies, list) or not all(
        isinstance(code, str) and _CURRENCY_RE.match(code) for code in currencies
    ):
        errors.append(
            f"{CURRENCIES_OPTION} must be a list of ISO currency codes, "
            'e.g. ["USD", "KWD"].'
        )
    elif policy == REFUSE:
        precision = erp_precision(erp_kind)
        for code in currencies:
            currency = code.upper()
            if precision.excess(currency):
                errors.append(
                    f"{currency} has {exponent(currency)} decimals but "
                    f"{precision.describe()}: with {OPTION} "
                    f'"{REFUSE}" this integration cannot book {currency}. '
                    f'Remove {currency}, or set {OPTION} to "{ROUND}" to post '
                    "its documents rounded with an explicit rounding line."
                )
    gl = options.get("gl")
    if isinstance(gl, Mapping) and ROUNDING_ACCOUNT_ROLE in gl:
        account = gl[ROUNDING_ACCOUNT_ROLE]
        blank = not isinstance(account, str) or not account.strip()
    else:
        blank = not rounding_account(options, erp_kind=erp_kind)
    if policy == ROUND and blank:
        errors.append(
            f"gl.{ROUNDING_ACCOUNT_ROLE} must name the GL account of rounding "
            f'differences when {OPTION} is "{ROUND}".'
        )
    return errors


# Amounts -----------------------------------------------------------------------


def round_half_up(minor: int, step: int) -> int:
    """`minor` to a multiple of `step`, halves away from zero: with step 10,
    1255 → 1260, -1255 → -1260, 1254 → 1250."""
    whole, rest = divmod(abs(minor), step)
    if 2 * rest >= step:
        whole += 1
    return (-1 if minor < 0 else 1) * whole * step


def round_down(minor: int, step: int) -> int:
    """`minor` to the multiple of `step` at or below it."""
    return (minor // step) * step


def journal_step(
    *, erp_kind: str, currency: str, options: Mapping[str, Any] | None
) -> int:
    """The multiple of minor units a journal in `currency` is rounded to: 10
    for KWD into 2-decimal fields under "round", else 1 (under "refuse" the
    ledger refuses the journal before it is sent)."""
    excess = erp_precision(erp_kind).excess(currency)
    if not excess or policy_of(options_merged(erp_kind, options)) != ROUND:
        return 1
    return 10**excess


@dataclass(frozen=True)
class _Fit:
    step: int  # minor units per unit of the ERP's last decimal
    currency: str
    places: int
    rounding_account: str

    @property
    def label(self) -> str:
        return f"Rounding: {self.currency} to {self.places} decimals"


def source_fitted(
    *, erp_kind: str, entity: str, source: Mapping[str, Any]
) -> Mapping[str, Any]:
    """The canonical record as the ERP's amount fields can hold it.

    The same record when its currency fits; rounded, with an explicit
    rounding line, under "round"; CurrencyPrecisionError under "refuse".
    """
    fitter = _FITTERS.get(entity)
    currency = str(source.get("currency") or "").upper()
    if fitter is None or not currency:
        return source
    precision = erp_precision(erp_kind)
    excess = precision.excess(currency)
    if not excess:
        return source
    options = options_merged(erp_kind, source.get("options"))
    if policy_of(options) != ROUND:
        raise CurrencyPrecisionError(
            f"{currency} has {exponent(currency)} decimals but "
            f"{precision.describe()}, and this integration refuses such "
            f'currencies ({OPTION} "{REFUSE}"): nothing was sent. Set {OPTION} '
            f'to "{ROUND}" and retry to post it rounded with an explicit '
            "rounding line.",
            {
                "currency": currency,
                "places": precision.places,
                "fields": list(precision.fields),
            },
        )
    fit = _Fit(
        step=10**excess,
        currency=currency,
        places=exponent(currency) - excess,
        rounding_account=rounding_account(options, erp_kind=erp_kind),
    )
    return fitter(dict(source), fit)


def _minor(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CurrencyPrecisionError(
            f"{name} {value!r} is not an integer of minor units"
        )
    return value


def _booked(amount: int, fit: _Fit) -> int:
    """`amount` rounded to the ERP's field; refused when nothing is left of it."""
    booked = round_half_up(amount, fit.step)
    if amount and not booked:
        raise CurrencyPrecisionError(
            f"{to_decimal(amount, fit.currency)} {fit.currency} rounds to zero in "
            f"amount fields of {fit.places} decimals: there is nothing the ERP "
            "can book, so nothing was sent. Skip this record; the payout "
            "journal books the amount on its rounding line.",
            {"currency": fit.currency, "amount_minor": amount, "places": fit.places},
        )
    return booked


def _fit_amount(source: dict[str, Any], fit: _Fit) -> dict[str, Any]:
    """A payment, credit note or adjustment: its amount, rounded."""
    amount = _minor(source.get("amount"), "amount")
    return {**source, "amount": _booked(amount, fit)}


def _fit_document(source: dict[str, Any], fit: _Fit) -> dict[str, Any]:
    """An order or invoice: total (and tax) rounded, lines priced to fit, one
    rounding line for the rest."""
    amount = _minor(source.get("amount"), "amount")
    lines = [dict(line) for line in source.get("lines") or []]
    booked = _booked(amount, fit)
    fitted: dict[str, Any] = {**source, "amount": booked}
    if isinstance(source.get("tax"), int):
        fitted["tax"] = round_half_up(_minor(source["tax"], "tax"), fit.step)
    if not lines:
        return fitted
    line_total = sum(_minor(line.get("amount"), "line amount") for line in lines)
    # What the total carries outside the lines (tax on an invoice) is rounded
    # on its own, as the tax field is; the lines make up the rest.
    target = booked - round_half_up(amount - line_total, fit.step)
    priced = [_line_priced(line, round_half_up, fit.step) for line in lines]
    if sum(line["amount"] for line in priced) > target:
        # Nearest overshoots: price down, so the rounding line is not negative.
        priced = [_line_priced(line, round_down, fit.step) for line in lines]
    rounding = target - sum(line["amount"] for line in priced)
    if rounding:
        priced.append(
            {
                "description": fit.label,
                "quantity": 1,
                "unit_amount": rounding,
                "amount": rounding,
                "sku": "",
            }
        )
    fitted["lines"] = priced
    return fitted


def _line_priced(
    line: dict[str, Any], rounder: Callable[[int, int], int], step: int
) -> dict[str, Any]:
    quantity = line.get("quantity")
    unit = _minor(line.get("unit_amount"), "unit amount")
    amount = _minor(line.get("amount"), "line amount")
    if isinstance(quantity, int) and quantity * unit == amount:
        price = rounder(unit, step)
        return {**line, "unit_amount": price, "amount": quantity * price}
    return {
        **line,
        "unit_amount": rounder(unit, step),
        "amount": rounder(amount, step),
    }


def _fit_journal(source: dict[str, Any], fit: _Fit) -> dict[str, Any]:
    """A GL journal: each line rounded, the difference on the rounding account.

    A journal whose lines do not balance keeps an imbalance (the ledger
    refuses it with its difference): rounding never makes it balance.
    """
    lines = [dict(line) for line in source.get("lines") or []]
    amounts = [_minor(line.get("amount"), "journal line amount") for line in lines]
    difference = sum(amounts)
    if all(amount % fit.step == 0 for amount in amounts) and (
        difference % fit.step == 0
    ):
        return source
    fitted = [
        {**line, "amount": round_half_up(amount, fit.step)}
        for line, amount in zip(lines, amounts, strict=True)
    ]
    kept = 0
    if difference:
        kept = (1 if difference > 0 else -1) * max(
            fit.step, round_half_up(abs(difference), fit.step)
        )
    rounding = kept - sum(line["amount"] for line in fitted)
    if rounding:
        fitted.append(
            {
                "account": fit.rounding_account,
                "amount": rounding,
                "description": fit.label,
                "reference": str(source.get("stripe_id") or ""),
            }
        )
    return {**source, "lines": fitted}


_FITTERS: dict[str, Callable[[dict[str, Any], _Fit], dict[str, Any]]] = {
    "sales_order": _fit_document,
    "invoice": _fit_document,
    "payment": _fit_amount,
    "credit_note": _fit_amount,
    "adjustment": _fit_amount,
    "journal": _fit_journal,
}


# Payloads ----------------------------------------------------------------------


def payload_fitted(*, erp_kind: str, entity: str, payload: Any) -> Any:
    """The mapped (or hand-edited) payload with each declared decimal field
    written to its places ("1.260" → "1.26"); CurrencyPrecisionError for a
    value its field cannot hold, before the ERP sees it."""
    package = erp_package(erp_kind)
    schema = package.schemas.get(entity)
    if schema is None or not isinstance(payload, Mapping):
        return payload
    return _payload_fitted(package.schemas, schema, payload, package.label, "")


def _payload_fitted(
    schemas: Mapping[str, EntitySchema],
    schema: EntitySchema,
    payload: Mapping[str, Any],
    label: str,
    path: str,
) -> dict[str, Any]:
    fitted = dict(payload)
    for spec in schema.fields:
        value = payload.get(spec.name)
        if value is None or value == "":
            continue
        if spec.type == LINES and isinstance(value, list) and spec.child in schemas:
            fitted[spec.name] = [
                _payload_fitted(
                    schemas,
                    schemas[spec.child],
                    line,
                    label,
                    f"{path}{spec.name}[{index}].",
                )
                if isinstance(line, Mapping)
                else line
                for index, line in enumerate(value)
            ]
        elif spec.type == DECIMAL and spec.places is not None:
            fitted[spec.name] = _decimal_fitted(
                value, places=spec.places, name=f"{path}{spec.name}", label=label
            )
    return fitted


def _decimal_fitted(value: Any, *, places: int, name: str, label: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return value  # not a decimal: the payload validation says so
    if isinstance(value, int):
        return value
    whole, dot, fraction = value.partition(".")
    if not dot or (len(fraction) <= places and fraction.isdigit()):
        return value  # the common case, read without a Decimal
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    digits = number.as_tuple().exponent
    if not isinstance(digits, int) or digits >= -places:
        return value
    quantum = Decimal(1).scaleb(-places)
    if number.quantize(quantum) != number:
        raise CurrencyPrecisionError(
            f"{name} {value} has more decimals than {label}'s {name.split('.')[-1]} "
            f"field holds ({places}); nothing was sent.",
            {"field": name, "value": str(value), "places": places},
        )
    return str(number.quantize(quantum))
