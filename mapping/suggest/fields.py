"""Target fields as the suggester reads them.

Field specs from plain dicts (vendor type names read as the engine's), and
an abbreviated column name (CUSTNMBR) read as its description's words.
"""

import re
from collections.abc import Iterable
from dataclasses import replace

from ..schemas import DATE, DECIMAL, FLAG, INT, LINES, STRING, FieldSpec
from .names import concepts, known_word, tokens
from .values import DATETIME, _currency_codes
from .words import (
    _APPLY_WORDS,
    _CONFIG_WORDS,
    _CUSTOMER_WORDS,
    _GLUED_SPAN_BOUND,
    _ID_WORDS,
    _LAPSES,
    _LINK_WORDS,
    _RECEIVERS,
    _SIDES,
    PICKED_FROM_A_LIST,
    _past_place,
    _plain,
    in_a_list,
    leaf_tokens,
)

# A description saying the field has none ("no description (member …)").
_NO_DESCRIPTION = re.compile(r"(?i)\W*no\s+description\b")
# Where a description stops naming the field and starts listing or explaining.
_DESCRIPTION_TAIL = re.compile(r";|\d+\s*=|,?\s+(e\.g\.|for example|such as)\b")
# A description that opens on a quoted label ("'Debtor number' (sales
# relation)") names the field by that label; what follows is context. A
# double quote closes only at a double quote, so an apostrophe inside
# ("Payment's language, …") does not cut the label short; nor does one
# between two letters in a single-quoted label ('The buyer's title').
_QUOTED_LABEL = re.compile(
    r"""\s*(?:"([^"]+)"|“([^”]+)”|['‘]((?:[^'"’”]|['’](?=[^\W\d_]))+)['’])"""
)
_READABLE_WORDS = 8


def _readable(spec: FieldSpec) -> FieldSpec:
    """An abbreviated column name (CUSTNMBR, p_code) read as its description.

    Old ERPs name columns by dropping vowels, or by one letter for a word;
    their references describe each in a few plain words ("Customer number",
    "Primary address postal code"). When no word of the name's last part is
    one the suggester knows and the description does not merely spell the
    name out, or when a one-letter word of the name stands for a word of
    the description, the description's head stands in for that part, so
    every later rule reads the plain words. A name that is only "contact"
    takes the detail its description names (_contact_detail_described).
    """
    if not spec.description:
        return spec
    detail = _contact_detail_described(spec)
    if detail:
        return replace(spec, name=f"{spec.name}{detail}")
    plain = _plain(spec.name)
    prefix, _, leaf = plain.rpartition(".")
    words = [t for t in tokens(leaf) if not t.isdigit()]
    # Past where the description places the field ("`PARTYNAME` (VOUCHER
    # element, party details): the party …"), which names other things.
    description = _past_place(spec)
    quoted = _QUOTED_LABEL.match(description)
    head = (
        next(label for label in quoted.groups() if label)
        if quoted
        else _DESCRIPTION_TAIL.split(description, maxsplit=1)[0]
    )
    described = [t for t in tokens(head) if not t.isdigit()]
    if not words or not described or len(described) > _READABLE_WORDS:
        return spec
    if _NO_DESCRIPTION.match(head):
        return spec  # "no description (member …)": no words to read it by
    if any(map(_GLUED_SPAN_BOUND.match, words)):
        return spec  # Starttime "'Date - Time YYYY-MM-DD'": plain already
    if not (
        _vowelless(leaf, words, described)
        or _initials(words, described)
        or _coded(words)
    ):
        return spec
    read = "".join(w.capitalize() for w in re.findall(r"[A-Za-z0-9]+", head))
    if spec.name.endswith(f".{leaf}"):
        # Keep list positions (entries.0.AmDe): the lines stay apart.
        prefix = spec.name[: -len(leaf) - 1]
    return replace(spec, name=f"{prefix}.{read}" if prefix else read)


# What a map of a form's fields is named (fields, formFields, customFields):
# each entry keyed by the field's kind, its value beside it.
_FORM_FIELD_MAPS = {"field", "fields"}


def _keyed_field_value(spec: FieldSpec) -> FieldSpec:
    """formFields.city.value: read as formFields.city, the field its key names.

    A form's fields kept in a map keyed by their kind say what each value
    is by the key; "value" (or the value filled in beforehand, its default)
    only says it is the entry's content. A listed entry (formFields.0.value)
    has no kind to read it by.
    """
    parts = spec.name.split(".")
    if len(parts) < 3 or parts[-2].isdigit():
        return spec
    if tokens(parts[-1]) not in (("value",), ("default", "value")):
        return spec
    named = tokens(parts[-3])
    if not named or named[-1] not in _FORM_FIELD_MAPS:
        return spec
    return replace(spec, name=".".join(parts[:-1]))


# What a money object is named (amount, unit_price): its decimal "number"
# beside a currency code is the sum.
_MONEY_OBJECTS = {"amount", "price"}


def _money_number(spec: FieldSpec) -> FieldSpec:
    """amount.number, unit_price.number (decimal): a money object's sum.

    A price kept as a number and a currency code names its sum "number";
    read as the object's value (amount.value), it is the amount, not a
    document's number.
    """
    head, _, leaf = spec.name.rpartition(".")
    if spec.type != DECIMAL or leaf != "number" or not head:
        return spec
    if not concepts(_plain(head).rsplit(".", 1)[-1]) & _MONEY_OBJECTS:
        return spec
    return replace(spec, name=f"{head}.value")


# The rest of an address: up to a space, a quote, a bracket or a clause's stop.
_ADDRESS_REST = r"[^\s'\"‘’“”()<>,;]*[^\s'\"‘’“”()<>,;.:]"
# What a description cites rather than says: a web address (with its scheme,
# or a host and a path) and a commit's hash (hex digits and letters both).
_CITATION = re.compile(
    rf"\b(?i:https?)://{_ADDRESS_REST}"
    rf"|\b(?:[\w-]+\.)+[a-z]{{2,}}/{_ADDRESS_REST}"
    r"|\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b"
)

# The folders of a repository's file a description cites (owner/repo@hash:
# src/Migration/Customers/Doc.cs): the vendor's modules, not the field's; the
# file's own name (Refund.cs) still says what record it is of.
_CITED_FOLDERS = re.compile(r"(\b[\w.-]+/[\w.-]+@[0-9a-f]*:)(?:[\w.-]+/)+")


# A cited page named only as documentation (REFERENCE.md, README.md): unlike
# a model's file (Refund.cs, customers.md), its name says nothing of the
# record, and its "reference" is no reference the field holds.
_DOCUMENTATION_PAGE = re.compile(
    r"(?i)(?<![\w.-])(?:readme|reference)\.(?:md|rst|txt)\b"
)


# Where a link in a description's markup points ("[Learn more](/docs/api-
# reference/overview#keys)", "[the guide](../guides/ids.md)"): a page of the
# vendor's site by its path, read as no words of the field; the link's text
# in brackets stays.
_LINK_TARGET = re.compile(r"(?<=\])\([^()\s]+\)")


def _without_citations(spec: FieldSpec) -> FieldSpec:
    """A description read without the sources it cites.

    ("… (https://developer.acme.com/docs/api/create-a-customer)" → "… ()",
    "acme/sdk@f2ee905e:src/Sales/Payment.cs" → "acme/sdk@:Payment.cs",
    "acme/skills@c68e0b28:docs/REFERENCE.md" → "acme/skills@:", "[Learn
    more](/api-reference/keys)" → "[Learn more]"): an address's words, a
    cited file's folders, a documentation page's name, a link's target and
    a hash's letters are not what the field is.
    """
    if not spec.description:
        return spec
    described = _CITATION.sub("", _CITED_FOLDERS.sub(r"\1", spec.description))
    described = _DOCUMENTATION_PAGE.sub("", _LINK_TARGET.sub("", described))
    return (
        spec if described == spec.description else replace(spec, description=described)
    )


# A quoted line of code that only lists names ("'refund' => array('order_id',
# 'amount', 'cust_id'),", "var $template = array('street', 'zip');"): the
# record's field list, its members' names in quotes, with no word of its own.
_LISTED_NAME = r"'[\w-]+'"
_CODE_LISTING = re.compile(
    r"[\"“](?:var\s+)?(?:\$\w+\s*=\s*)?"
    rf"(?:{_LISTED_NAME}\s*=>\s*)?(?:array\s*\(\s*)?"
    rf"{_LISTED_NAME}(?:\s*,\s*{_LISTED_NAME})*\s*,?\s*\)?\s*[,;]?\s*[\"”]"
)


def _without_code_listings(spec: FieldSpec) -> FieldSpec:
    """A description read without a quoted line of code listing names.

    A field list quoted from a vendor's code names the field's siblings
    beside it (a refund's order id, amount and customer id all quote the
    same line), so its words say nothing of the one field; what the
    description says around it (whose member the field is) still does.
    """
    if not spec.description:
        return spec
    described = _CODE_LISTING.sub('""', spec.description)
    return (
        spec if described == spec.description else replace(spec, description=described)
    )


def _without_group_prefix(spec: FieldSpec) -> FieldSpec:
    """A leaf read without its group's unknown head word it repeats.

    A vendor's block may prefix each of its members with the block's own
    head word (chk_info.chk_street_name, chk_info.chk_zipcode): a word the
    suggester does not know that only says again whose member the field is.
    The leaf is read without it (chk_info.street_name), as its group names
    it already. A known head word (billing.billing_city) is left as it is,
    and so is a leaf whose rest is one bare word (cart_info.cart_name,
    role.roleCode): the head word is then what the field is of.
    """
    group, _, leaf = spec.name.rpartition(".")
    heads = tokens(_plain(group).rpartition(".")[2]) if group else ()
    if not heads or len(heads[0]) < 2 or known_word(heads[0]):
        return spec
    found = re.match(
        rf"(?i){re.escape(heads[0])}(?:_+|(?-i:(?=[A-Z])))(?P<rest>\w+)$", leaf
    )
    rest = tokens(found.group("rest")) if found else ()
    if len(rest) < 2 or not all(map(known_word, rest)):
        return spec
    return replace(spec, name=f"{group}.{found.group('rest')}")


# What a field named only "contact" may be besides a person: the number or
# the address to reach the party at, as its description names it.
_CONTACT_DETAILS_DESCRIBED = {
    "Phone": re.compile(r"(?i)\b(tele)?phone\b|\bmobile\s+number\b"),
    "Email": re.compile(r"(?i)\be-?mail\b"),
}
_PERSON_DESCRIBED = re.compile(r"(?i)\b(name|person)\b")


def _contact_detail_described(spec: FieldSpec) -> str:
    """Phone for contact "The customer's phone number", or "".

    A contact is a person, a phone or an e-mail; a description that names
    one detail and no person says which (the customer's phone number, the
    e-mail address for contacting the customer), read as the name's last word.
    """
    if spec.type != STRING or leaf_tokens(spec.name) != ("contact",):
        return ""
    description = spec.description or ""
    if _PERSON_DESCRIBED.search(description):
        return ""
    named = [
        w for w, said in _CONTACT_DETAILS_DESCRIBED.items() if said.search(description)
    ]
    return named[0] if len(named) == 1 else ""


def _vowelless(leaf: str, words: list[str], described: list[str]) -> bool:
    """CUSTNMBR "Customer number": no word the suggester knows, not spelled out.

    A role written out in full (receiver, recipient) is a plain word, which
    a rule reads by the group it is in, not an abbreviation.
    """
    vocabulary = (
        _CUSTOMER_WORDS | _ID_WORDS | _LINK_WORDS | _APPLY_WORDS | _LAPSES | _RECEIVERS
    )
    return (
        len(leaf) >= 5
        and not any(known_word(w) or w in vocabulary | _CONFIG_WORDS for w in words)
        and not set(words) <= set(described)
        and any(known_word(w) for w in described)
    )


def _coded(words: list[str]) -> bool:
    """DbId "Debtor number", ZpCd "Postal code": a code of one or two letters a word.

    A name made only of one- or two-letter pieces, one of them no word the
    suggester knows, is a code for the words its description gives.
    """
    return all(len(w) <= 2 for w in words) and not all(known_word(w) for w in words)


def _initials(words: list[str], described: list[str]) -> bool:
    """p_code "Primary address postal code": a letter for a described word."""
    letters = [w for w in words if len(w) == 1]
    others = {w for w in words if len(w) > 1}
    return (
        bool(letters)
        and others <= set(described)
        and all(
            any(d.startswith(letter) and d not in others for d in described)
            for letter in letters
        )
    )


# Type names of JSON Schema, OpenAPI and common client libraries, read as
# the engine's own: a reference that says "number" or "numeric" means a
# decimal amount or quantity, "boolean" a flag. An array is a list of lines
# only when its name says nothing but lines ("items", "lineItems"), or lines
# of what a document sells ("item_lines", "productLines"):
# "tax_analysis_items", "task_lines" or "attachments" are other lists.
_TYPE_SYNONYMS = {
    "number": DECIMAL,
    "numeric": DECIMAL,
    "float": DECIMAL,
    "double": DECIMAL,
    "money": DECIMAL,
    # Java's and Kotlin's exact numbers (java.math.BigDecimal, BigInteger).
    "bigdecimal": DECIMAL,
    "integer": INT,
    "biginteger": INT,
    "long": INT,
    "int32": INT,
    "int64": INT,
    "boolean": FLAG,
    "bool": FLAG,
    # Python's text, as a Python client annotates a field (str).
    "str": STRING,
    # A vendor's field table calling its plain fields' type "default" (the
    # kind of field a record has when none other is said): text.
    "default": STRING,
    # PHP's date-time classes and the interface they share (DateTime reads
    # as the engine's own already); a date interval is a span, no date.
    "datetimeinterface": DATETIME,
    "datetimeimmutable": DATETIME,
    # Java's date and date-time classes (java.time): a day with no time of
    # day, and one with it, at an offset, in a zone or with neither.
    "localdate": DATE,
    "localdatetime": DATETIME,
    "offsetdatetime": DATETIME,
    "zoneddatetime": DATETIME,
    # A database column's text of varying length, as a table's definition
    # types it, with its width in parentheses or not (varchar(255),
    # nvarchar): text.
    "varchar": STRING,
    "nvarchar": STRING,
    "varchar2": STRING,
}
_LIST_TYPES = {"array", "list"}
# A list typed with what it lists ("array of Tax", "list of string"): a list.
_LIST_OF = re.compile(r"(array|list)\s+of\s+\S.*")
# What names a line by what it sells: item, product and article read as "item".
_SOLD_THINGS = {"item"}


# A type printed with its format in parentheses, as OpenAPI references and
# SDK docblocks print it: "number (double)", "string (date-time)",
# "string (d/m/Y)", "string (ISO 4217)".
_FORMATTED_TYPE = re.compile(r"(\w+)\s*\((.+)\)")
# Formats that are a type of their own; JSON text stays the structure it is.
_FORMAT_TYPES = {"date": DATE, "date-time": DATETIME, "datetime": DATETIME}
# Words in parentheses that are no format: where a parameter travels
# ("path parameter") or the values allowed ("enum: A, B").
_NO_FORMAT = re.compile(r"\bparameter\b|^enum\b")
# A date pattern of day, month and year ("d/m/Y", "dd.mm.yyyy", "Y-m-d"),
# with the time of day after it or not ("d/m/Y H:i").
_DATE_PATTERN = re.compile(r"(?=.*d)(?=.*m)(?=.*y)[dmy]{1,4}(?:[/.-][dmy]{1,4}){2}")


def _formatted_type(base: str, written_format: str) -> str:
    """string (d/m/Y): a date; number (double): a number; string (URL): a string."""
    written_format = written_format.strip()
    if written_format in _FORMAT_TYPES or written_format == "json":
        return _FORMAT_TYPES.get(written_format, written_format)
    date = _DATE_PATTERN.match(written_format)
    if base == STRING and date:
        return DATETIME if "h" in written_format[date.end() :] else DATE
    return _TYPE_SYNONYMS.get(base, base)


# A type a docblock marks as nullable ("?string", "?float"): the type itself;
# so is a PHP class written from the global namespace ("\\DateTimeInterface").
_NULLABLE_MARK = re.compile(r"^\??\\?\s*(?=\w)")
# GraphQL's mark of a value that is never null, after the type ("Float!").
_NON_NULL_MARK = re.compile(r"(?<=\w)!$")
# A scalar named for the standard it is written in (ISO8601DateTime,
# ISO8601Date, as GraphQL schemas name theirs): a date-time or a date.
_ISO_SCALAR = re.compile(r"iso-?8601(date-?time|date)")
# A map as a Java or C# client types it, with its key and value types
# ("Map<String, String>", "Dictionary<string, object>"): a map of its own keys.
_GENERIC_MAP = re.compile(r"(?:hash)?(?:map|dictionary)\s*<.+>")
# A list as a generated client prints it, the type listed followed by empty
# brackets ("Tax[]", "Tax[] (optional)"): a list of it, as "array of Tax".
_BRACKETED_LIST = re.compile(r"(\w+)\s*\[\](?:\s*\((?:optional|required)\))?")


# XML Schema's built-in types under its namespace prefix, as an XSD types an
# element ("xs:string", "xsd:boolean", "xs:long"): the type each names. Its
# xs:decimal, given a rate, a quantity or a duty alike, says no sum by itself.
_XML_SCHEMA_TYPE = re.compile(r"xsd?:(\w+)")
_XML_SCHEMA_TYPES = {
    "string": STRING,
    "boolean": FLAG,
    "int": INT,
    "integer": INT,
    "long": INT,
    "date": DATE,
    "datetime": DATETIME,
}


# A type a reference leaves out, as a form's keys or a plugin's array have
# none ("not given", "not given (Required: No)"): the keys travel as text,
# but for a key named as a yes-or-no question (isActive, has_children): a
# flag.
_NOT_GIVEN = re.compile(r"not\s+given\b.*")
_NAMED_AS_A_QUESTION = re.compile(r"(?:is|has)(?:[A-Z]|_[a-z])")


# A value class a client library names "Type" and what it holds, with the
# wrappers it may add after it ("TypeDateNullable", "TypeDateTimeRequest",
# "TypePriceNullable", "TypeCurrencyCode").
_VALUE_CLASS = re.compile(r"Type((?:[A-Z][a-z]+)+?)(?:Nullable|Request)*")


def _value_class_type(type_name: str) -> str:
    """TypeDateNullable: a date; TypePriceNullable: a decimal; else "".

    What the class holds is its type: a date or a date-time (the formats
    that are a type of their own), a price or an amount (a money object's
    sum), a code (text). A class of anything else (TypeGuid, TypeVarSymbol,
    TypePriceRatio) is its own type.
    """
    held = _VALUE_CLASS.fullmatch(type_name)
    if not held:
        return ""
    words = re.findall(r"[A-Z][a-z]+", held[1])
    joined = "".join(words).lower()
    if joined in _FORMAT_TYPES:
        return _FORMAT_TYPES[joined]
    if joined in _MONEY_OBJECTS:
        return DECIMAL
    return STRING if words[-1] == "Code" else ""


# A type a validator library writes as a chain of calls: the type it opens
# with, then its bounds and null marks ("z.number().min(0).nullish()",
# "z.string()"), or a named schema so marked ("DateTimeSchema.nullish()").
_VALIDATOR_CHAIN = re.compile(r"(?:z\.(\w+)\(\)|([A-Z]\w*?)Schema)(?:\.\w+\([^()]*\))*")


def _validated_type(type_name: str) -> str:
    """z.number().nullish(): number; DateTimeSchema.nullish(): DateTime."""
    chained = _VALIDATOR_CHAIN.fullmatch(type_name.strip())
    if not chained:
        return type_name
    return chained[1] or chained[2]


# A type as a Python client annotates it: a value that may be None
# (typing.Optional[str]) is the type it wraps; a dict is a map of its own
# keys, a list a list of what it lists, and the datetime module's date and
# datetime (dt.date, datetime.datetime) a date and a date-time.
_PYTHON_OPTIONAL = re.compile(r"(?:typing\.)?Optional\[(.+)\]")
_PYTHON_MAP = re.compile(r"(?i)(?:typing\.)?(?:dict|mapping)\[.+\]")
_PYTHON_LIST = re.compile(r"(?i)(?:typing\.)?(?:list|sequence)\[(.+)\]")
_PYTHON_DATES = {
    "dt.date": DATE,
    "datetime.date": DATE,
    "dt.datetime": DATETIME,
    "datetime.datetime": DATETIME,
}


def _python_annotation(type_name: str) -> str:
    """typing.Optional[str]: str; typing.List[Tax]: array of Tax; dt.date: date."""
    type_name = type_name.strip()
    wrapped = _PYTHON_OPTIONAL.fullmatch(type_name)
    while wrapped:
        type_name = wrapped[1].strip()
        wrapped = _PYTHON_OPTIONAL.fullmatch(type_name)
    if _PYTHON_MAP.fullmatch(type_name):
        return "map"
    listed = _PYTHON_LIST.fullmatch(type_name)
    if listed:
        return f"array of {listed[1].strip()}"
    return _PYTHON_DATES.get(type_name, type_name)


def field_type(type_name: str, field_name: str = "") -> str:
    """The engine's type for a type name as a vendor reference spells it."""
    type_name = _validated_type(_python_annotation(type_name or ""))
    held = _value_class_type(_NULLABLE_MARK.sub("", (type_name or "").strip()))
    if held:
        return held
    lowered = _NULLABLE_MARK.sub("", (type_name or STRING).strip().lower())
    # Float! (GraphQL): the mark says the value is never null, not its type.
    lowered = _NON_NULL_MARK.sub("", lowered) or lowered
    xml_schema = _XML_SCHEMA_TYPE.fullmatch(lowered)
    if xml_schema and xml_schema[1] in _XML_SCHEMA_TYPES:
        return _XML_SCHEMA_TYPES[xml_schema[1]]
    if lowered.endswith("?") and _TYPE_SYNONYMS.get(lowered[:-1], lowered[:-1]) in (
        DATE,
        DATETIME,
        STRING,
    ):
        # DateTime? (C#, Kotlin): a date that may be null is still a date;
        # so is a text that may be null (String?) still text.
        lowered = lowered[:-1]
    if _NOT_GIVEN.fullmatch(lowered):
        leaf = (field_name or "").rpartition(".")[2]
        return FLAG if _NAMED_AS_A_QUESTION.match(leaf) else STRING
    iso = _ISO_SCALAR.fullmatch(lowered)
    if iso:
        return _FORMAT_TYPES[iso[1].replace("-", "")]
    if _GENERIC_MAP.fullmatch(lowered):
        return "map"
    bracketed = _BRACKETED_LIST.fullmatch(lowered)
    if bracketed:
        return f"array of {bracketed[1]}"
    formatted = _FORMATTED_TYPE.fullmatch(lowered)
    if formatted and not _NO_FORMAT.search(formatted[2]):
        return _formatted_type(formatted[1], formatted[2])
    if lowered in _LIST_TYPES:
        named = concepts(field_name)
        lines = named & {"line", "lines"}
        return LINES if lines and named - lines <= _SOLD_THINGS else lowered
    written = re.fullmatch(r"(\w+)\s+(?:as\s+(?:a\s+)?)?string", lowered)
    if written and _TYPE_SYNONYMS.get(written[1], written[1]) in (DECIMAL, INT):
        # "decimal string": a number written as a string is the number; the
        # string only says how it travels.
        return _TYPE_SYNONYMS.get(written[1], written[1])
    return _TYPE_SYNONYMS.get(lowered, lowered)


# Values a reference lists beside the type: "string (enum: PAID, NOT_PAID)",
# or after it and a comma: "string, enum NOK, DKK".
_ENUM_TYPE = re.compile(
    r"(?i)\s*(\w+)\s*(?:\(\s*enum\s*:\s*([^)]*)\)|,\s*enum\s*:?\s+([^()]*?))\s*"
)


# The flag a generated reference prints after the type and a comma ("string,
# required", "number (int64), required"): no part of the type or its values.
_REQUIRED_AFTER_TYPE = re.compile(r"(?i)\s*,\s*required\b")


# An enum a generated reference names before its values ("Money (string
# enum: CHF, USD, SEK, …)"): the type in the parentheses, the values after
# it; the name is only the schema's.
_NAMED_ENUM_TYPE = re.compile(r"(?i)\s*\w+\s*\(\s*(\w+)\s+(enum\s*:\s*([^)]*))\)\s*")

# The mark a reference leaves where it cuts a long list of values short.
_LIST_CUT = {"…", "...", "etc", "etc."}


def _unnamed_enum(type_name: str) -> str:
    """Money (string enum: CHF, USD, …): read as string (enum: CHF, USD, …).

    Only a named enum of currency codes is read so: the codes say what the
    field holds better than the schema's name. Any other named enum (a
    country's codes, a kind of payment) keeps its name as its type.
    """
    named = _NAMED_ENUM_TYPE.fullmatch(type_name or "")
    if not named:
        return type_name
    values = {v.strip() for v in named[3].split(",")} - _LIST_CUT - {""}
    if len(values) < 2 or not values <= _currency_codes():
        return type_name
    return f"{named[1]} ({named[2]})"


def _listed_choices(type_name: str) -> tuple[str, ...]:
    """The values a type lists in its parentheses, as the reference spells them.

    The mark of a list cut short (CHF, USD, …) is no value.
    """
    type_name = _unnamed_enum(_REQUIRED_AFTER_TYPE.sub("", type_name or ""))
    listed = _ENUM_TYPE.fullmatch(type_name)
    if not listed:
        return ()
    values = listed[2] if listed[2] is not None else listed[3]
    return tuple(
        value.strip()
        for value in values.split(",")
        if value.strip() and value.strip() not in _LIST_CUT
    )


# The value a reference prints after the type it defaults to ("boolean,
# default false", "integer (int32), default 0").
_DEFAULT_AFTER_TYPE = re.compile(r"(?i)\s*,\s*default\b.*$")
# The same default inside the note after the type ("bool (optional, default
# true)"): the note keeps its first words, the type is the one it follows.
_DEFAULT_IN_NOTE = re.compile(r"(?i)\s*,\s*default\b[^()]*(?=\)\s*$)")


def _listed_type(type_name: str) -> str:
    """string (enum: PAID, NOT_PAID): a string; the values are its choices.

    A default printed after the type (boolean, default false) leaves the
    type it follows, and so does a required flag (string, required) and a
    default in the note after it (bool (optional, default true)).
    """
    type_name = _REQUIRED_AFTER_TYPE.sub("", type_name or "") or type_name
    type_name = _DEFAULT_IN_NOTE.sub("", type_name) or type_name
    type_name = _DEFAULT_AFTER_TYPE.sub("", type_name) or type_name
    listed = _ENUM_TYPE.fullmatch(_unnamed_enum(type_name) or "")
    return listed[1] if listed else type_name


# A string whose own words allow a decimal point in it ("You can include a
# decimal point", "Includes a decimal point") is a number written as text;
# "cannot include" and "do not use a decimal separator" say the opposite.
_DECIMAL_POINT_ALLOWED = re.compile(
    r"(?i)\b(?:(?:can|may)\s+(?:include|contain|have)|includes|contains)"
    r"\s+a\s+decimal\s+(?:point|separator)"
    # "The amount to charge with exactly two decimals": a decimal number.
    r"|\bwith\s+(?:exactly\s+)?two\s+decimals\b"
)


# A string its description opens as an ISO 8601 timestamp or date-time
# ("ISO-8601 format timestamp of the purchase"): a date-time written as text.
_ISO_TIMESTAMP = re.compile(
    r"(?i)^\W*ISO[- ]?8601\s+(?:format(?:ted)?\s+)?(?:timestamp|date-?time)\b"
)


# A date-time pattern written out ("passed in format like
# YYYY-MM-DDTHOURS:MINUTES:SECONDS", "yyyy-MM-dd HH:mm:ss"): the day and
# the time of day, a date-time written as text.
_DATE_AND_TIME_SHOWN = re.compile(r"(?i)\byyyy-mm-dd(?:t|\s+)(?:hh|hours?)\b")


# A description naming nothing but the sum of its record ('"Invoice amount"
# (the CLI's option help)', "Payment amount."): no more than no description.
_DESCRIBED_AS_THE_SUM = re.compile(
    r"(?i)^\W*(?:the\s+)?(?:(?:invoice|payment|order|document|bill)(?:'s)?\s+)?"
    r"(?:amount|total|sum)\W*(?:\(|$)"
)

# A sum described as the money the request moves ("The sum being collected
# from the buyer", "The amount to be refunded"): a decimal, whatever its type.
_DESCRIBED_AS_MOVED = re.compile(
    r"(?i)^\W*(?:the\s+)?(?:amount|sum|total)\s+(?:to\s+be|being|that\s+will\s+be)\s+"
    r"(?:charged|paid|credited|refunded|collected|debited)\b"
)


# A type a CRM gives its sums ("currency"), which a field named for the
# currency itself gives its code instead: a sum where the description says
# it is a number ("A decimal sum in the shop's own money").
_MONEY_TYPE = "currency"
_MONEY_DESCRIBED = re.compile(r"(?i)\bdecimal\b|\bnumber\b")


def _row_type(row: dict) -> str:
    """The engine's type for a row; a string allowing a decimal point is one.

    A string described as an ISO 8601 timestamp is a date-time. A sum whose
    type a form's keys leave out ("not given") and that no description
    explains (amount, order.amount), or one only naming it the record's sum
    ("Invoice amount"), is a decimal number, as a payment form
    writes its sums ("250.00"); a bound on one (max_amount) stays text, and
    so does a goods line's bare amount (products.0.amount), which may be
    its count.
    """
    kind = field_type(_listed_type(row.get("type", STRING)), row["name"])
    described = row.get("description") or ""
    words = leaf_tokens(row["name"])
    if (
        _NOT_GIVEN.fullmatch((row.get("type") or "").strip().lower())
        and (_NO_DESCRIPTION.match(described) or _DESCRIBED_AS_THE_SUM.match(described))
        and _only_how_much(words)
        and not (in_a_list(row["name"]) and words == ("amount",))
    ):
        return DECIMAL
    if kind == STRING and (
        _ISO_TIMESTAMP.search(described) or _DATE_AND_TIME_SHOWN.search(described)
    ):
        return DATETIME
    if (
        kind == _MONEY_TYPE
        and _MONEY_DESCRIBED.search(described)
        and "currency" not in concepts(row["name"])
    ):
        return DECIMAL  # offerSum typed currency, "A decimal sum in …"
    allowed = _DECIMAL_POINT_ALLOWED.search(described)
    if (
        kind == STRING
        and words
        and concepts(words[-1]) & _AMOUNT_LEAVES
        and _DESCRIBED_AS_MOVED.match(described.lstrip("'\""))
    ):
        allowed = True  # hold_amount "The sum being collected from the buyer."
    return DECIMAL if kind == STRING and allowed else kind


# Values a description lists as the possible ones, each in quotes and
# nothing but commas, "and" or "or" between them ('Possible values are
# "unpaid", "pending_confirmation" and "paid".'): the field's choices.
_POSSIBLE_VALUES = re.compile(
    r"(?i)\bpossible\s+values\s+are\s*:?\s*"
    r"((?:[`\"'][^`\"']+[`\"']\s*(?:,\s*|(?:,\s*)?\b(?:and|or)\s+)?)+)"
)


def _described_choices(description: str) -> tuple[str, ...]:
    """'Possible values are "unpaid", "pending_confirmation" and "paid"'."""
    listed = _POSSIBLE_VALUES.search(description or "")
    values = re.findall(r"[`\"']([^`\"']+)[`\"']", listed[1]) if listed else []
    return tuple(values) if len(values) > 1 else ()


# One value as such a list gives it: a word or a few, no path or code.
_LISTED_VALUE = re.compile(r"[A-Za-z][A-Za-z -]{0,30}")


def _picked_choices(row: dict) -> tuple[str, ...]:
    """dropdown "… 'Deal Phase': Open, Signed, Dropped, (source)": the values.

    A field picked from a list whose description gives the list's values
    after a colon, one after another with commas, holds one of them; the
    list ends where a part is no plain word (a source, a path).
    """
    if (row.get("type") or "").strip().lower() not in PICKED_FROM_A_LIST:
        return ()
    description = row.get("description") or ""
    for colon in re.finditer(r":\s", description):
        values = []
        for part in description[colon.end() :].split(","):
            if not _LISTED_VALUE.fullmatch(part.strip()):
                break
            values.append(part.strip())
        if len(values) > 1:
            return tuple(values)
    return ()


def field_specs_from_dicts(rows: Iterable[dict]) -> list[FieldSpec]:
    """Target fields given as plain dicts (the benchmark's other ERPs)."""
    return [
        FieldSpec(
            name=row["name"],
            type=_row_type(row),
            max_length=row.get("max_length"),
            choices=tuple(
                row.get("choices")
                or _listed_choices(row.get("type", ""))
                or _described_choices(row.get("description", ""))
                or _picked_choices(row)
            ),
            description=row.get("description", ""),
            child=row.get("child", ""),
            positive=bool(row.get("positive")),
        )
        for row in rows
    ]


# A record that is itself one side's address says so in its fields' words:
# "The customer the delivery address belongs to", "Department at the
# delivery address".
_SIDE_ADDRESS_DESCRIBED = re.compile(
    r"\b(delivery|shipping|ship-to)\s+address", re.IGNORECASE
)
_BILLING_ADDRESS_DESCRIBED = re.compile(
    r"\b(billing|bill-to|invoice|invoicing)\s+address", re.IGNORECASE
)
_ADDRESS_PARTS = {"line", "address", "city", "postal", "state", "country"}
# The parts a group's address is made of, by its leaf (Street, City, Postcode):
# a leaf named address is the group's whole address, not one of its parts.
_GROUP_ADDRESS_PARTS = _ADDRESS_PARTS - {"address"}


_SIDE_WORD = re.compile(
    r"\b(delivery|shipping|ship-to)\s+(?=(\w+\s+)?address)", re.IGNORECASE
)


def _another_address_group(specs: list[FieldSpec], described: list[FieldSpec]) -> bool:
    """PostalAddress.City beside OtherAddress.City "e.g. shipping address".

    An address group of parts beside the group described as the shipping
    address is another address of the record's: the described one is then
    not its only address, and stays the shipping side's.
    """
    groups = {spec.name.rpartition(".")[0] for spec in described}
    return any(
        "." in spec.name
        and spec.name.rpartition(".")[0] not in groups
        and concepts(spec.name.rpartition(".")[2]) & _GROUP_ADDRESS_PARTS
        for spec in specs
    )


def _the_one_address(specs: list[FieldSpec]) -> list[FieldSpec]:
    """A record's one address, described as the shipping one, is its own.

    A customer record with a single address (street, city, zip named
    plainly) may describe it as where goods go ("The customer's shipping
    address city"); with no other address beside it, it is the customer's
    address. It stays the shipping side's when a field names a side, another
    address is described as the billing one, another group holds an
    address's parts beside it, or a field other than an address part
    describes the record as a delivery address (then the record is
    someone's delivery address, not the customer).
    """
    described = [
        spec for spec in specs if _SIDE_ADDRESS_DESCRIBED.search(spec.description or "")
    ]
    if len(described) < 2:
        return specs
    for spec in specs:
        named = concepts(spec.name)
        if named & _SIDES or _BILLING_ADDRESS_DESCRIBED.search(spec.description or ""):
            return specs
    if any(not concepts(spec.name) & _ADDRESS_PARTS for spec in described):
        return specs
    if _another_address_group(specs, described):
        return specs
    return [
        replace(spec, description=_SIDE_WORD.sub("", spec.description))
        if concepts(spec.name) & _ADDRESS_PARTS
        else spec
        for spec in specs
    ]


# A nested party named as the one goods are sold to (soldToContact.city,
# sold_to.zip) or billed to (billToContact.city, bill_to.zip).
_SOLD_TO_PARTY = re.compile(r"^(?i:sold_?to)(?=[A-Z_.]|$)")
_BILL_TO_PARTY = re.compile(r"^(?i:(bill|invoice)_?to)(?=[A-Z_.]|$)")
_SHIP_TO_PARTY = re.compile(r"^(?i:(ship|deliver|delivery)(_?to)?)(?=[A-Z_.]|$)")


def _sold_to_beside_bill_to(specs: list[FieldSpec]) -> list[FieldSpec]:
    """A sold-to party nested beside a bill-to one is the shipping side.

    Alone, or beside a ship-to party, a sold-to party is the customer billed.
    When the record nests a bill-to party and a sold-to one and no ship-to,
    the sold-to one is where what is sold goes (the address its taxes are
    reckoned on), so its contact and address parts are read as shipping's.
    """
    heads = {spec.name.split(".", 1)[0] for spec in specs if "." in spec.name}
    if not any(_BILL_TO_PARTY.match(head) for head in heads):
        return specs
    if any(_SHIP_TO_PARTY.match(head) for head in heads):
        return specs
    return [
        replace(spec, name=_SOLD_TO_PARTY.sub("shipTo", spec.name, count=1))
        if "." in spec.name and _SOLD_TO_PARTY.match(spec.name)
        else spec
        for spec in specs
    ]


# A column's short prefix that groups one address's parts (p_city, s_city).
_GROUP_PREFIX = re.compile(r"^([A-Za-z]{1,2})_(?=[A-Za-z])")
_SHIPPING_DESCRIBED = re.compile(r"(?i)\b(shipping|delivery|ship-to)\b")


def _prefix_group_side(specs: list[FieldSpec]) -> list[FieldSpec]:
    """Address parts under one short prefix take the side one of them names.

    Columns grouped by a letter (p_street, p_city for the primary address;
    s_street, s_city for the secondary one) are described once or twice,
    and a description that calls one of them the shipping address says it
    of the group: its undescribed city and code (an address's code is its
    postal code) are the shipping side's too, not a second claim on the
    customer's own address.
    """
    groups: dict[str, list[FieldSpec]] = {}
    for spec in specs:
        found = _GROUP_PREFIX.match(spec.name)
        if found and "." not in spec.name:
            groups.setdefault(found.group(1).lower(), []).append(spec)
    shipping = {
        prefix
        for prefix, members in groups.items()
        # Only an address part so described says it of the group: a column
        # for the shipping label's format or the carrier beside the address
        # is of the deliveries, not of the address.
        if any(
            _SHIPPING_DESCRIBED.search(m.description or "")
            and concepts(m.name) & (_ADDRESS_PARTS | {"code"})
            for m in members
        )
        and not any(
            _BILLING_ADDRESS_DESCRIBED.search(m.description or "") for m in members
        )
    }
    out = []
    for spec in specs:
        found = _GROUP_PREFIX.match(spec.name)
        named = concepts(spec.name)
        if (
            found
            and "." not in spec.name
            and found.group(1).lower() in shipping
            and named & (_ADDRESS_PARTS | {"code"})
            and not named & _SIDES
        ):
            spec = replace(spec, name=f"shipping_address_{spec.name}")
        out.append(spec)
    return out


# The least number of an address's parts (street, city, postal code, state,
# country) a group of fields holds to be read as one address.
_GROUP_ADDRESS_LEAST = 3


def _address_group_of(spec: FieldSpec) -> str:
    """home for home_city, the prefix an address part is named under, or ""."""
    group, _, leaf = spec.name.partition("_")
    if "." in spec.name or not leaf or not concepts(leaf) & _ADDRESS_PARTS:
        return ""
    return group


# What a party has beside its address (buyer_name, seller_email): a group
# holding one is a party's fields, not an address. A phone is not one: an
# address may have its own (Home_Phone beside Home_City).
_PARTY_FIELDS = {"name", "email"}


def _second_address_group(specs: list[FieldSpec]) -> list[FieldSpec]:
    """home_city, then mailing_city: the second address group is shipping's.

    A record that keeps two addresses side by side (a street address and a
    postal one), each a group of its parts under a prefix of its own (not a
    party's: buyer_city beside buyer_name is the buyer's), and
    names no side on any field, keeps the first as its own address; Stripe
    keeps one other address for a customer, the shipping one, which the
    second group then takes, as a list's second address does. A record that
    names a side itself, or holds more than two groups, reads as it reads.
    """
    groups: dict[str, set[str]] = {}
    for spec in specs:
        group = _address_group_of(spec)
        if group:
            leaf = spec.name[len(group) + 1 :]
            groups.setdefault(group, set()).update(
                concepts(leaf) & _GROUP_ADDRESS_PARTS
            )
    parties = {
        spec.name.partition("_")[0]
        for spec in specs
        if concepts(spec.name.partition("_")[2]) & _PARTY_FIELDS
    }
    parties |= {group for group in groups if concepts(group) & _CUSTOMER_WORDS}
    whole = [
        group
        for group, parts in groups.items()
        if len(parts) >= _GROUP_ADDRESS_LEAST and group not in parties
    ]
    if len(whole) != 2 or any(
        concepts(spec.name) & _SIDES
        or _SIDE_ADDRESS_DESCRIBED.search(spec.description or "")
        or _BILLING_ADDRESS_DESCRIBED.search(spec.description or "")
        for spec in specs
    ):
        return specs
    second = whole[1]
    return [
        replace(spec, name=f"shipping_address.{spec.name[len(second) + 1 :]}")
        if _address_group_of(spec) == second
        else spec
        for spec in specs
    ]


# A description speaking of the record itself as an address: "The city
# associated with the address", "The phone number of the address".
_THE_ADDRESS_DESCRIBED = re.compile(
    r"(?i)\b(of|with|at|to|for)\s+the\s+address\b(?!\s+(of|for)\b)"
)

# "True to make this the default shipping address": a group's default flag
# that says the group is a delivery address.
_DEFAULT_SHIPPING_DESCRIBED = re.compile(
    r"(?i)\bdefault\s+(shipping|delivery|ship-to)\s+address\b"
)


def _group_flagged_as_shipping(specs: list[FieldSpec]) -> list[FieldSpec]:
    """book.0.town beside book.0.is_default "the default shipping address".

    An address book's entry (a list's first address, or a record that adds
    one) names its parts plainly and says what it is only on its default
    flag: the address to ship to by default. Its address parts, the name of
    the person at it and its phone are then the shipping side's, as Stripe
    keeps them (a company at it too, which Stripe's shipping lacks); its
    e-mail reads as it reads, Stripe keeping the customer's. A group that
    names a side itself (bill_to.is_default) or holds fewer than two
    address parts stays as it reads.
    """
    flagged = {
        spec.name.rpartition(".")[0]
        for spec in specs
        if spec.type == FLAG
        and "default" in concepts(spec.name.rpartition(".")[2])
        and _DEFAULT_SHIPPING_DESCRIBED.search(spec.description or "")
    }
    if not flagged:
        return specs
    for group in list(flagged):
        members = [s for s in specs if s.name.rpartition(".")[0] == group]
        parts = {
            part
            for s in members
            for part in concepts(s.name.rpartition(".")[2]) & _GROUP_ADDRESS_PARTS
        }
        if (
            concepts(group) & _SIDES
            or any(concepts(s.name.rpartition(".")[2]) & _SIDES for s in members)
            or len(parts) < 2
        ):
            flagged.discard(group)
    out = []
    for spec in specs:
        group, _, leaf = spec.name.rpartition(".")
        named = concepts(leaf)
        if group in flagged and named & (
            _GROUP_ADDRESS_PARTS | {"address", "name", "phone"}
        ):
            spec = replace(spec, name=f"shipping_address.{leaf}")
        out.append(spec)
    return out


# What sending goods to an address costs: "shipping rates", "the carriage
# charged".
_CARRIAGE_PRICED = re.compile(r"(?i)\b(rates?|costs?|charge[sd]?|prices?|fees?)\b")


def _an_address_shipped_to(specs: list[FieldSpec]) -> bool:
    """A record that is an address, with shipping of its own, is where goods go.

    An endpoint that keeps a customer's addresses as records of their own
    describes its bare parts as the address's ("The city associated with the
    address") and says whose only by what it does: a field of its own for
    the shipping of the orders sent to it (shipping lines with their rates)
    makes it a delivery address, which Stripe keeps as the customer's
    shipping. A record naming a side on any field, or describing a billing
    address, is read as it reads.
    """
    top = [spec for spec in specs if "." not in spec.name]
    parts = [
        spec
        for spec in top
        if concepts(spec.name) & _ADDRESS_PARTS
        and _THE_ADDRESS_DESCRIBED.search(spec.description or "")
    ]
    if len(parts) < 2:
        return False
    if any(
        concepts(spec.name) & _SIDES & {"billing"}
        or _BILLING_ADDRESS_DESCRIBED.search(spec.description or "")
        for spec in specs
    ):
        return False
    if any(
        concepts(spec.name) & _SIDES and concepts(spec.name) & _ADDRESS_PARTS
        for spec in specs
    ):
        return False
    return any(
        "shipping" in concepts(spec.name)
        and not concepts(spec.name) & _ADDRESS_PARTS
        and _CARRIAGE_PRICED.search(spec.description or "")
        for spec in top
    )


def _on_the_records_side(specs: list[FieldSpec]) -> list[FieldSpec]:
    """A delivery address's bare street, city or name read as the shipping side's.

    An endpoint that stores a customer's delivery address names its fields
    plainly (street, city, name) and says what it is only in descriptions;
    read alone, each takes the customer's own address. When two or more
    fields describe the record as a delivery address and no field names an
    address part of either side itself (then the bare ones are the other
    side's), the bare address parts and name are read as shipping's. A
    location that may be either (a ship-to flag beside a bill-to one) stays
    as it reads.
    """
    specs = _the_one_address(specs)
    if _an_address_shipped_to(specs):
        return [
            replace(spec, name=f"shipping_{spec.name}")
            if "." not in spec.name
            and not concepts(spec.name) & _SIDES
            and concepts(spec.name) & (_ADDRESS_PARTS | {"name", "phone"})
            else spec
            for spec in specs
        ]
    described = [
        spec for spec in specs if _SIDE_ADDRESS_DESCRIBED.search(spec.description or "")
    ]
    if len(described) < 2 or _another_address_group(specs, described):
        # a shipping address group beside the record's own: not a record
        # that is itself a delivery address
        return specs
    if any(
        "billing" in concepts(spec.name)
        or _BILLING_ADDRESS_DESCRIBED.search(spec.description or "")
        for spec in specs
    ):
        return specs
    if any(
        concepts(spec.name) & _SIDES
        and concepts(spec.name) & _ADDRESS_PARTS - {"address"}
        for spec in specs
    ):
        return specs
    out = []
    for spec in specs:
        named = concepts(spec.name)
        if (
            "." not in spec.name
            and not named & _SIDES
            and (named & _ADDRESS_PARTS or named == {"name"})
        ):
            spec = replace(spec, name=f"shipping_{spec.name}")
        out.append(spec)
    return out


# What an amount is named when its name says nothing but how much
# (totalAmount, unitPrice, subAmount, grand_total): a dutyAmount or a
# cashbackAmount names something else the amount is of.
_AMOUNT_LEAVES = {"amount", "price", "total"}
_HOW_MUCH = _AMOUNT_LEAVES | {"sub", "unit", "grand", "net", "gross"}


def _only_how_much(words) -> bool:
    """amount, unitPrice, grand_total: a name of nothing but how much."""
    return (
        bool(words)
        and bool(concepts(words[-1]) & _AMOUNT_LEAVES)
        and set(words) <= _HOW_MUCH
    )


def _amounts_beside_a_decimal(specs: list[FieldSpec]) -> list[FieldSpec]:
    """unitPrice (string) beside totalAmount "You can include a decimal point".

    A reference that writes its amounts as strings says once, on one of
    them, that a decimal point may be in it; the other amounts of that
    group, and of the groups within it, are written the same way: decimal
    numbers as text, not text. A string amount of another group, beside
    no amount said to hold a decimal point, or named for what else it is
    (dutyAmount, cashbackAmount), stays as it reads.
    """
    groups = {
        spec.name.rpartition(".")[0]
        for spec in specs
        if spec.type == DECIMAL
        and "." in spec.name
        and _DECIMAL_POINT_ALLOWED.search(spec.description or "")
    }
    if not groups:
        return specs
    out = []
    for spec in specs:
        group, _, leaf = spec.name.rpartition(".")
        words = tokens(leaf)
        if (
            spec.type == STRING
            and _only_how_much(words)
            and any(group == g or group.startswith(g + ".") for g in groups)
        ):
            spec = replace(spec, type=DECIMAL)
        out.append(spec)
    return out


# A money object's members: its sum (value) and its currency's code.
_MONEY_SUM = ("value",)
_MONEY_CURRENCY = {("currency",), ("currency", "code")}


def _text_sum_beside_its_currency(specs: list[FieldSpec]) -> list[FieldSpec]:
    """price.value (string) beside price.currency: a money object's sum.

    An API that keeps money as an object of a sum and a currency's code may
    type the sum as text, so that its decimals travel as written ("1.00");
    it is a decimal number in the currency's main units, not text. A text
    value in an object with no currency beside it stays as it reads.
    """
    priced = {
        spec.name.rpartition(".")[0]
        for spec in specs
        if "." in spec.name and tuple(leaf_tokens(spec.name)) in _MONEY_CURRENCY
    }
    if not priced:
        return specs
    return [
        replace(spec, type=DECIMAL)
        if spec.type == STRING
        and spec.name.rpartition(".")[0] in priced
        and tuple(leaf_tokens(spec.name)) == _MONEY_SUM
        else spec
        for spec in specs
    ]


# A description speaking of the record itself as one line of a document:
# "The name to use for the line item", "Accounting code of the row",
# "Description of the invoice item".
_ONE_LINE_DESCRIBED = re.compile(
    r"(?i)\b(the|this)\s+(line\s+item|row|(invoice|order|document)\s+(item|line))\b"
)
# What a line's own text and money are named, as the first line's are read.
_LINE_TEXT = {"description", "title", "name"}
_LINE_MONEY = {"amount", "price", "total"}
_NOT_LINE_MONEY = {"tax", "vat", "discount", "unit", "shipping"}
# A party's word read as a name (Company): the party the row belongs to or
# is with, never the line's own name.
_PARTY_NAMED = {"company", "customer", "client", "vendor", "supplier"}
# The least share of a record's fields described as the line or row for the
# record to be read as one line item.
_LINE_DESCRIBED_SHARE = 0.05


def _record_as_a_line(specs: list[FieldSpec]) -> list[FieldSpec]:
    """amount, name on a record that is one line item: the first line's.

    An endpoint called once per line of a document (add a line item to a
    draft invoice) names its fields plainly and says in descriptions that
    they are the line item's; read alone, its amount is the document's
    total and its name the customer's. When two or more fields speak of the
    record as the line item or row, and none lists lines itself, its
    bare text and money are read as the first entry of the document's goods
    (items.0.amount), as a list position would name them. A wide table row
    where only a handful of hundreds of columns say "this row" (its key, its
    revision) speaks of the stored record, not of a line: the descriptions
    must be a fair share of the fields. A party's name (Company, the
    tenant the row is kept under) is not the line's.
    """
    described = sum(
        "." not in spec.name
        and bool(_ONE_LINE_DESCRIBED.search(spec.description or ""))
        for spec in specs
    )
    if described < max(2, len(specs) * _LINE_DESCRIBED_SHARE) or any(
        spec.type == LINES or re.search(r"\.\d+\.", spec.name) for spec in specs
    ):
        return specs  # line_items.0.name: a document with its lines listed
    out = []
    for spec in specs:
        named = concepts(spec.name)
        text = spec.type == STRING and named & _LINE_TEXT and not named & _PARTY_NAMED
        money = spec.type == DECIMAL and named & _LINE_MONEY
        if "." not in spec.name and (text or money and not named & _NOT_LINE_MONEY):
            spec = replace(spec, name=f"items.0.{spec.name}")
        out.append(spec)
    return out
