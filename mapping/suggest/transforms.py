"""The transform steps a target's type and format ask of its source."""

import re

from ..schemas import DATE, DECIMAL, INT, STRING, FieldSpec
from .names import concepts, tokens
from .values import DATETIME, Profile, currency_code_shown
from .words import (
    _CUSTOMER_WORDS,
    PICKED_FROM_A_LIST,
    _described_address_part,
    leaf_tokens,
)


def _transforms(
    spec: FieldSpec, profile: Profile | None, *, wants_time: bool = False
) -> list[dict]:
    steps: list[dict] = []
    kind = profile.kind if profile else ""
    timed = spec.type == DATETIME or wants_time or _date_with_time(spec)
    if timed and kind in ("timestamp", "int"):
        steps.append(
            {"name": "unix_to_datetime", "params": {"timezone": "$options.timezone"}}
        )
    elif spec.type == DATE and kind in ("timestamp", "int", "empty", ""):
        steps.append(
            {"name": "unix_to_date", "params": {"timezone": "$options.timezone"}}
        )
    elif spec.type == STRING and kind == "timestamp" and "date" in concepts(spec.name):
        # A date written as text ("YYYY-MM-DD"): never the raw Unix seconds.
        timed = "time" in tokens(spec.description or "")
        name = "unix_to_datetime" if timed else "unix_to_date"
        steps.append({"name": name, "params": {"timezone": "$options.timezone"}})
    elif (
        (
            spec.type == DECIMAL
            or (spec.type == INT and _in_main_unit(spec))
            or (spec.type == STRING and _decimal_string(spec))
        )
        and (kind == "amount" or kind == "int" and not _counts(spec))
        and not _described_in_minor_units(spec)
    ):
        steps.append({"name": "minor_to_decimal", "params": {"currency": "$currency"}})
        if _wants_positive(spec) and profile is not None and profile.negative:
            steps.append({"name": "absolute"})
    elif spec.type == STRING and profile is not None and _example_upper(spec, profile):
        steps.append({"name": "upper"})  # "for example VISA" of values "visa"
    elif (
        (spec.type == STRING or currency_code_shown(spec))
        and kind == "currency"
        and not _wants_lower(spec)
    ):
        # A currency typed as the API's own kind of value whose description
        # shows the ISO code sent ("Currency (the example sends 'EUR')").
        steps.append({"name": "upper"})
    elif (
        (spec.type == STRING or spec.type in PICKED_FROM_A_LIST)
        and kind == "country"
        and _names_country(spec)
    ):
        # A country picked from a form's list is written as the list has it:
        # a list of country names (Norway, Peru, …) takes the name.
        wanted = _country_format(spec)
        if wanted:
            steps.append({"name": "country_code", "params": {"to": wanted}})
    if (
        spec.type == STRING
        and spec.max_length
        and profile
        and not steps
        and (profile.max_len > spec.max_length or kind == "text")
    ):
        steps.append({"name": "truncate", "params": {"length": spec.max_length}})
    return steps


# A description that opens by saying the value holds a time of day too.
_DATE_AND_TIME = re.compile(r"(?i)^\W*(the\s+)?date\s+and\s+time\b")
# A format pattern with the hour and minute ("YYYY-MM-DD HH:MM").
_TIME_OF_DAY_FORMAT = re.compile(r"\bhh:mm\b", re.IGNORECASE)
# A format named in the description: "(date-time)", as OpenAPI calls an ISO
# 8601 timestamp, or a pattern with the time of day.
_DATE_TIME_FORMAT = re.compile(
    r"\bdate-time\b|" + _TIME_OF_DAY_FORMAT.pattern, re.IGNORECASE
)
# An ISO 8601 example with the time of day after its T ("E.g.
# 2020-03-11T12:42:15.000Z"); a day and a time after a space may be printed
# of a date alone.
_ISO_DATE_TIME_EXAMPLE = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d")


def _value_map(table: dict[str, str] | None = None) -> list[dict]:
    """The steps of a value map: the table given, or an empty one to fill in."""
    return [{"name": "value_map", "params": {"map": {} if table is None else table}}]


def _date_with_time(spec: FieldSpec) -> bool:
    """dueTime "Date and time when the invoice is due": a date-time.

    A field typed as a date but named a time (processedTime), or described
    as a date and time, in the date-time format, by a pattern with hours
    and minutes or by an ISO 8601 example with its time, holds the time of
    day too.
    """
    if spec.type != DATE:
        return False
    words = leaf_tokens(spec.name)
    description = spec.description or ""
    return (
        (bool(words) and words[-1] == "time")
        or bool(_DATE_AND_TIME.match(description))
        or bool(_DATE_TIME_FORMAT.search(description))
        or bool(_ISO_DATE_TIME_EXAMPLE.search(description))
    )


def _counts(spec: FieldSpec) -> bool:
    """quantity, items.0.qty: a decimal that counts goods, in no minor units."""
    return "quantity" in concepts(" ".join(leaf_tokens(spec.name)))


# A currency's main unit named in a description ("amount in yen", "sum paid
# in euros", "whole rupiah"): a whole number of it is no count of Stripe's
# minor units.
_MAIN_UNIT = re.compile(
    r"(?i)\b(in|whole)\s+(the\s+)?(yen|euros?|dollars?|pounds?|francs?|"
    r"kron[aeo]r?|rupees?|rupiahs?|pesos?|reais|ringgits?|baht|yuan|won|"
    r"z[lł]oty)\b"
)


# A number described as counted in the currency's minor unit ("net value, in
# grosze", "sum in kopecks", "an integer in the currency's subunit", "in the
# smallest indivisible unit of a currency"), as
# Stripe's own amounts are, whatever its declared type.
_MINOR_UNITS_DESCRIBED = re.compile(
    r"(?i)\bin\s+(cents|grosze|pence|kope[c]?ks|(the\s+)?((minor|smallest)\s+"
    r"(indivisible\s+)?(currency\s+)?units?|(currency'?s?\s+)?sub-?units?))\b"
)


# An amount whose decimal point is implied ("Implied decimal"), or shown by a
# whole number equal to its hundredth ("250 is 2.50", "250 GBP = £2.50").
_IMPLIED_DECIMAL = re.compile(r"(?i)\bimplied\s+decimals?\b")
_HUNDREDTH_EXAMPLE = re.compile(
    r"\b(\d+)\s*(?:[A-Z]{3}\s*)?(?:is|=|equals)\s*[^\w\s]{0,2}\s*(\d+)\.(\d\d)\b"
)


def _described_in_minor_units(spec: FieldSpec) -> bool:
    """price "Price of the service in kopecks": Stripe's minor units as they are.

    So is an amount with an implied decimal, or shown as 250 for 2.50.
    """
    described = spec.description or ""
    if _MINOR_UNITS_DESCRIBED.search(described) or _IMPLIED_DECIMAL.search(described):
        return True
    return any(
        int(whole) == int(units + cents) and int(whole) >= 100
        for whole, units, cents in _HUNDREDTH_EXAMPLE.findall(described)
    )


# A number the description says travels as a decimal string ("sent as a
# decimal string with two decimals"): a sum in the currency's main units.
# Or text shown by an example assigned with two decimal places
# ("$fee = '1.00';", "price = \"129.99\""), or given as an example in quotes
# with two decimals ('E.g. `"49.99"`'): an amount written out in text.
_DECIMAL_STRING = re.compile(
    r"(?i)\bdecimal\s+string\b|=\s*['\"]-?\d+\.\d\d['\"]"
    r"|\b(?:e\.g\.|for\s+example|example)\s*[:,]?\s*`?['\"]-?\d+\.\d\d['\"]"
)


def _decimal_string(spec: FieldSpec) -> bool:
    """value "the amount, sent as a decimal string", or shown as "$fee = '1.00';":
    typed text, a decimal."""
    return bool(_DECIMAL_STRING.search(spec.description or ""))


def _in_main_unit(spec: FieldSpec) -> bool:
    """amount "Amount paid in yen": an integer in a currency's main unit."""
    return bool(_MAIN_UNIT.search(spec.description or ""))


def _wants_lower(spec: FieldSpec) -> bool:
    """A code described in lower case, or by a lower-case example ("e.g. eur")."""
    text = (spec.description or "").lower()
    if "lowercase" in text or "lower case" in text or "lower-case" in text:
        return True
    found = _EXAMPLE.search(spec.description or "")
    return bool(found and found.group(1).isalpha() and found.group(1).islower())


def _wants_positive(spec: FieldSpec) -> bool:
    """A decimal declared positive, or described so ("a positive number")."""
    described = set(tokens(spec.description or ""))
    return spec.positive or bool(
        described & {"positive", "absolute", "unsigned"} and "negative" not in described
    )


def _names_country(spec: FieldSpec) -> bool:
    """Country, or an address line described as the country (Address6
    "Country: a country name")."""
    return (
        "country" in concepts(spec.name) or _described_address_part(spec) == "country"
    )


# A code the description gives three letters: ISO 3166-1 alpha-3.
_THREE_LETTERS = re.compile(
    r"(?i)\b(3|three)[\s-]*(character|char|letter)s?\b(?![\s-]*(or|to|-)\s*\d)"
)


# An example in the description written as a word, not a two- or
# three-letter code: the country is given by its name. A form's placeholder
# ("placeholder 'India'") is the example its input shows. An example of a
# call ("in the example request") is where the field is shown, no value,
# and the line a citation gives it at ("in the example, line 280") no name.
_COUNTRY_NAMED_BY_EXAMPLE = re.compile(
    r"(?i)\b(?:e\.g\.|for example|such as|example|placeholder)"
    r"\s*:?,?\s*['\"]?(?!(?:request|response|call|payload|body|line)s?\b)"
    r"[A-Za-z]{4,}\b"
)


def _capitals_by_example(count: int) -> re.Pattern[str]:
    """An example in the description written as `count` capitals.

    Capitals owning something ("e.g. Australia, in the SDK's tests") are a
    name, an acronym's, not a code given as the example; nor are capitals
    before a number ("e.g. 'US' [See ISO 3166-1]"), a standard's name.
    """
    return re.compile(
        r"(?:\b[Ee]xample\b|\be\.g\.)[^.;]*?[\s'\"‘“]['\"‘“]?[A-Z]"
        + f"{{{count}}}"
        + r"\b(?!['’]s\b)(?!\s\d)"
    )


# A code the description gives two letters: whatever standard it names, the
# ISO 3166-1 alpha-2 code is the one that fits.
_TWO_LETTERS = re.compile(
    r"(?i)\b(2|two)[\s-]*(character|char|letter)s?\b(?![\s-]*(or|to|-)\s*\d)"
)


# Two capitals ("e.g. US", "the example gives "DE""): the country is given
# by its ISO alpha-2 code; three ("example 'USA'") by its alpha-3, even
# where the field is called a code.
_COUNTRY_CODE_BY_EXAMPLE = _capitals_by_example(2)
_ALPHA3_BY_EXAMPLE = _capitals_by_example(3)


# "iso3", not the standard's number written after ISO ("ISO3166-2").
_ISO3 = re.compile(r"iso3(?!\d)")


def _country_format(spec: FieldSpec) -> str:
    """alpha3 or name when the target says so; "" when an ISO alpha-2 fits."""
    text = f"{spec.name} {spec.description or ''}".lower()
    if spec.max_length == 2 or _TWO_LETTERS.search(spec.description or ""):
        # "country, two letters (the standard says alpha-3)": a code two
        # letters long is the alpha-2 one, whatever standard the text names.
        return ""
    if "alpha-3" in text or "alpha3" in text or _ISO3.search(text):
        return "alpha3"
    if _THREE_LETTERS.search(spec.description or ""):
        return "alpha3"  # "the country's 3 character ISO code"
    if _ALPHA3_BY_EXAMPLE.search(spec.description or ""):
        return "alpha3"
    # The party a country belongs to (contact_country) names no country name.
    leaf_words = leaf_tokens(spec.name)
    leaf = concepts(" ".join(w for w in leaf_words if w not in _CUSTOMER_WORDS))
    described = set(tokens(spec.description or ""))
    alpha2 = "alpha-2" in text or "alpha2" in text or "iso2" in text
    if "code" in leaf or "code" in described or alpha2 or spec.max_length == 2:
        # CountryCode, "Bill-to country code": the ISO code as it is, even in
        # a field three characters wide.
        return ""
    if _COUNTRY_CODE_BY_EXAMPLE.search(spec.description or ""):
        return ""  # "the example gives "US"": the ISO code as it is
    if _COUNTRY_NAMED_BY_EXAMPLE.search(spec.description or ""):
        return "name"  # "The country (example 'Australia')": a name, not a code
    if described & {"abbreviation", "abbreviations", "abbreviated"}:
        # "a valid country name or abbreviation": the code is taken as it is.
        return ""
    # A key the description lists beside the field (countryname) is another
    # field's name, whichever name it gives the country.
    own = set(tokens(_without_sibling_keys(spec.description or "", leaf)))
    if "name" in leaf or own & {"name", "names"}:
        return "name"  # "Country name", "named by the country's English name"
    return "alpha3" if spec.max_length == 3 else ""


def _without_sibling_keys(text: str, leaf: frozenset[str]) -> str:
    """A description without the keys it names after the field's own leaf.

    "the keys city, country and countryname" of a country: a word joining
    the field's own word to another (countryname, country_name) is a key of
    its own beside the field, whose name says nothing of the field's format.
    """
    return " ".join(
        word
        for word in re.findall(r"[\w-]+", text)
        if len(tokens(word)) < 2 or not (leaf and leaf < concepts(word))
    )


_EXAMPLE = re.compile(r"(?i)\b(?:e\.g\.,?|for example,?|such as)\s+([A-Za-z0-9_-]+)")


def _example_upper(spec: FieldSpec, profile: Profile) -> bool:
    found = _EXAMPLE.search(spec.description or "")
    if not found or not found.group(1).isupper():
        return False
    example = found.group(1)
    return any(v != example and v.upper() == example for v in profile.values)
