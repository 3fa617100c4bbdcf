"""A Stripe customer paying in several currencies, against single-currency
ERP customers: the integration's policy, and the codes of per-currency
accounts.

SYSPRO fixes a customer's currency ("Currency" on the customer, ARSSCS) and
Sage Pro keeps one `currid` per customer (PROTOCOLS.md §2), so a charge in
another currency cannot be booked to the customer's main account. The
option `customer_currency_policy` says what happens instead:

- "hold": the record is held for review (the anomaly rule), as before;
- "per_currency_account" (the default): it is booked to an ERP customer of
  its own currency, made on first use with a code from the pattern
  `currency_account_pattern` and linked to the same Stripe customer;
- "convert": it is booked to the main account, converted at the balance
  transaction's exchange rate.

The pattern names `{code}` (the main account's code) and `{currency}` (the
ISO code; its ISO 4217 number where the ERP keys customers by digits only).
Its fixed part must leave room for the code within the ERP's customer code
length; `{code}` then keeps as many of the main code's last characters as
fit (the distinctive end of a generated or numbered code). A pattern that
cannot fit is refused when the options are saved.
"""

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

POLICY_OPTION = "customer_currency_policy"
PATTERN_OPTION = "currency_account_pattern"

HOLD = "hold"
PER_CURRENCY_ACCOUNT = "per_currency_account"
CONVERT = "convert"
POLICIES = {
    HOLD: "Hold for review",
    PER_CURRENCY_ACCOUNT: "Book to a per-currency customer account",
    CONVERT: "Convert to the customer's currency at Stripe's exchange rate",
}
DEFAULT_POLICY = PER_CURRENCY_ACCOUNT
DEFAULT_PATTERN = "{code}-{currency}"

# Codes tried after the pattern's own before giving up (a cut code can be
# another customer's account).
MAX_CANDIDATES = 20

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_LITERAL_OK = re.compile(r"^[A-Za-z0-9-]*$")

# ISO 4217 numeric codes of the currencies Stripe charges in, for ERPs that
# key customers by digits only (https://www.iso.org/iso-4217-currency-codes.html).
ISO_NUMERIC = {
    "AED": "784",
    "ARS": "032",
    "AUD": "036",
    "BGN": "975",
    "BHD": "048",
    "BIF": "108",
    "BRL": "986",
    "CAD": "124",
    "CHF": "756",
    "CLP": "152",
    "CNY": "156",
    "COP": "170",
    "CZK": "203",
    "DJF": "262",
    "DKK": "208",
    "EGP": "818",
    "EUR": "978",
    "GBP": "826",
    "GNF": "324",
    "HKD": "344",
    "HUF": "348",
    "IDR": "360",
    "ILS": "376",
    "INR": "356",
    "IQD": "368",
    "ISK": "352",
    "JOD": "400",
    "JPY": "392",
    "KES": "404",
    "KMF": "174",
    "KRW": "410",
    "KWD": "414",
    "LYD": "434",
    "MGA": "969",
    "MXN": "484",
    "MYR": "458",
    "NGN": "566",
    "NOK": "578",
    "NZD": "554",
    "OMR": "512",
    "PEN": "604",
    "PHP": "608",
    "PLN": "985",
    "PYG": "600",
    "RON": "946",
    "RWF": "646",
    "SAR": "682",
    "SEK": "752",
    "SGD": "702",
    "THB": "764",
    "TND": "788",
    "TRY": "949",
    "TWD": "901",
    "UGX": "800",
    "USD": "840",
    "VND": "704",
    "VUV": "548",
    "XAF": "950",
    "XOF": "952",
    "XPF": "953",
    "ZAR": "710",
}


@dataclass(frozen=True)
class CodeRule:
    """What the ERP accepts as a customer code."""

    max_length: int
    digits_only: bool = False


class PatternError(ValueError):
    """A per-currency account code cannot be made; the message says why."""


def currency_policy(options: Mapping[str, Any] | None) -> str:
    return str((options or {}).get(POLICY_OPTION) or DEFAULT_POLICY)


def account_pattern(options: Mapping[str, Any] | None) -> str:
    return str((options or {}).get(PATTERN_OPTION) or DEFAULT_PATTERN)


def pattern_problem(pattern: str, *, rule: CodeRule) -> str:
    """Why `pattern` cannot make per-currency account codes ('' if it can)."""
    names = _PLACEHOLDER.findall(pattern)
    unknown = sorted({n for n in names if n not in ("code", "currency")})
    if unknown:
        return (
            f"The pattern {pattern!r} names {', '.join('{' + n + '}' for n in unknown)}"
            "; only {code} and {currency} are known."
        )
    if names.count("code") != 1 or names.count("currency") != 1:
        return (
            f"The pattern {pattern!r} must name {{code}} and {{currency}} once "
            "each, so that every customer and currency gets a code of its own."
        )
    literal = _PLACEHOLDER.sub("", pattern)
    if "{" in literal or "}" in literal:
        return f"The pattern {pattern!r} has an unmatched brace."
    if rule.digits_only and not (
        literal.isascii() and literal.isdigit() or not literal
    ):
        return (
            "This ERP keys customers by digits only: the pattern may hold "
            f"digits besides {{code}} and {{currency}}, not {literal!r} "
            "({currency} becomes the currency's ISO 4217 number)."
        )
    if not _LITERAL_OK.match(literal):
        return (
            f"The pattern {pattern!r} holds characters a customer code may not: "
            "use letters, digits and '-' only."
        )
    fixed = len(literal) + 3
    if fixed >= rule.max_length:
        return (
            f"The pattern {pattern!r} leaves no room for the customer's code: "
            f"the ERP's customer codes hold at most {rule.max_length} characters "
            f"and the pattern's fixed part takes {fixed}."
        )
    return ""


def account_codes(
    pattern: str, *, code: str, currency: str, stripe_id: str, rule: CodeRule
) -> list[str]:
    """The codes a per-currency account may take, best first: the pattern
    with the main code, then the pattern with digits derived from the
    Stripe customer and currency (the same ones on every retry)."""
    problem = pattern_problem(pattern, rule=rule)
    if problem:
        raise PatternError(problem)
    currency = currency.upper()
    if rule.digits_only:
        if currency not in ISO_NUMERIC:
            raise PatternError(
                f"This ERP keys customers by digits only and {currency} has no "
                "ISO 4217 number known here: choose another currency policy."
            )
        currency_part = ISO_NUMERIC[currency]
        code = code.lstrip("0") or "0"
    else:
        currency_part = currency
    room = rule.max_length - (len(_PLACEHOLDER.sub("", pattern)) + 3)
    parts = [code.strip()[-room:]]
    for attempt in range(MAX_CANDIDATES):
        seed = f"{stripe_id}#{currency}#{attempt}".encode()
        number = int.from_bytes(hashlib.sha256(seed).digest()[:8], "big")
        parts.append(f"{number % 10**room:0{room}d}")
    seen: list[str] = []
    for part in parts:
        rendered = pattern.replace("{code}", part).replace("{currency}", currency_part)
        if rendered not in seen:
            seen.append(rendered)
    return seen


def options_problems(
    options: Mapping[str, Any] | None,
    *,
    rule: CodeRule,
    default_pattern: str = DEFAULT_PATTERN,
) -> dict[str, str]:
    """What is wrong with the currency-account options, by option key, for an
    ERP whose customer codes follow `rule` (a blank pattern: its default)."""
    options = options or {}
    problems = {}
    policy = options.get(POLICY_OPTION) or DEFAULT_POLICY
    if policy not in POLICIES:
        problems[POLICY_OPTION] = (
            f"{POLICY_OPTION} must be one of "
            + ", ".join(f'"{p}"' for p in POLICIES)
            + f", not {policy!r}."
        )
    pattern = options.get(PATTERN_OPTION) or default_pattern
    if not isinstance(pattern, str):
        problems[PATTERN_OPTION] = f"{PATTERN_OPTION} must be text."
    elif policy == PER_CURRENCY_ACCOUNT:
        problem = pattern_problem(pattern, rule=rule)
        if problem:
            problems[PATTERN_OPTION] = problem
    return problems
