"""SYSPRO settings checked when a connection or integration is saved.

Each option that names a SYSPRO record is checked where SYSPRO can be asked,
and against the SYSPRO field it is posted into otherwise:

- GL accounts (`gl.*`) through GENQGL, SYSPRO's ledger-code validation query
  (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/GeneralLedgerPrimaryQuery/ValidateALedgerCodeEntry/GENQGL.vb);
- bank, warehouse, product classes, unit of measure and misc charge code by
  length only: the public business-object classes hold no query by key for
  them (CSHQ45 is a bank balance query, its reply not published there);
- payment type against ARSTPYDOC's C, S, O and journal type against
  GENTJL's N, P, U, S, L (the choices in schemas.py);
- the connection's customer key, calendar and query-string settings.

`syspro_settings_problems` answers a problem per field, in words a person
can act on; an empty dict means the settings may be saved.
"""

import re
from collections.abc import Mapping
from typing import Any

from integrations.connectors.errors import ConnectorError, ValidationError
from integrations.models import Connection
from integrations.periods import closed_period_texts

from .codes import CustomerKeyFormat
from .connector import SysproConnector
from .schemas import SCHEMAS
from .templates import DEFAULT_OPTIONS_SYSPRO


def _length(entity: str, name: str) -> int:
    spec = SCHEMAS[entity].get(name)
    return spec.max_length if spec is not None and spec.max_length else 0


def _choices(entity: str, name: str) -> tuple[str, ...]:
    spec = SCHEMAS[entity].get(name)
    return tuple(spec.choices or ()) if spec is not None else ()


# option → (entity, SYSPRO field it is posted into, what it is)
CODE_OPTIONS: dict[str, tuple[str, str, str]] = {
    "bank": ("payment", "Bank", "AR bank"),
    "warehouse": ("sales_order", "Warehouse", "warehouse"),
    "product_class": ("invoice", "ProductClass", "product class"),
    "adjustment_product_class": ("adjustment", "ProductClass", "product class"),
    "misc_product_class": ("order_line", "MiscProductClass", "product class"),
    "misc_charge_code": ("order_line", "MiscChargeCode", "misc charge code"),
    "uom": ("order_line", "OrderUom", "unit of measure"),
}
REQUIRED_OPTIONS = ("bank", "warehouse", "product_class", "uom")
# option → (entity, field) whose choices it must be one of
CHOICE_OPTIONS: dict[str, tuple[str, str]] = {
    "payment_type": ("payment", "PaymentType"),
    "journal_type": ("journal", "JournalType"),
}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _option_problems(options: Mapping[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    for name, (entity, field, what) in CODE_OPTIONS.items():
        value = _text(options.get(name))
        length = _length(entity, field)
        if not value:
            if name in REQUIRED_OPTIONS:
                problems[name] = f"Give the SYSPRO {what} code ({field})."
            continue
        if length and len(value) > length:
            problems[name] = (
                f"{value!r} is longer than the {length} characters of SYSPRO's {field}."
            )
    if not _text(options.get("misc_product_class")) and not _text(
        options.get("misc_charge_code")
    ):
        # SORTOIDOC: a misc charge line needs a product class or a standard
        # misc charge code.
        problems["misc_product_class"] = (
            "Give a misc product class or a misc charge code: SYSPRO refuses "
            "a misc charge line without either."
        )
    for name, (entity, field) in CHOICE_OPTIONS.items():
        value = _text(options.get(name)).upper()
        allowed = _choices(entity, field)
        if value not in allowed:
            problems[name] = (
                f"{value or 'An empty value'!r} is not a SYSPRO {field}; use one "
                f"of {', '.join(allowed)}."
            )
    return problems


def _gl_accounts(options: Mapping[str, Any]) -> dict[str, str]:
    gl = options.get("gl")
    return {str(k): _text(v) for k, v in gl.items()} if isinstance(gl, Mapping) else {}


def _gl_problems(
    options: Mapping[str, Any], connector: SysproConnector | None
) -> dict[str, str]:
    problems: dict[str, str] = {}
    length = _length("journal_line", "LedgerCode")
    to_ask: dict[str, str] = {}
    for name, code in _gl_accounts(options).items():
        if not code:
            problems[f"gl.{name}"] = "Give the SYSPRO ledger code."
        elif length and len(code) > length:
            problems[f"gl.{name}"] = (
                f"{code!r} is longer than the {length} characters of a SYSPRO "
                "ledger code."
            )
        else:
            to_ask[name] = code
    if connector is None:
        return problems
    known: dict[str, bool] = {}
    for name, code in to_ask.items():
        if code not in known:
            known[code] = connector.ledger_code_exists(code)
        if not known[code]:
            problems[f"gl.{name}"] = (
                f"SYSPRO's general ledger has no ledger code {code!r} (GENQGL)."
            )
    return problems


def _config_problems(
    config: Mapping[str, Any], options: Mapping[str, Any]
) -> dict[str, str]:
    problems: dict[str, str] = {}
    try:
        keys = CustomerKeyFormat.of_config(config)
    except ValidationError as exc:
        problems[exc.field or "customer_key_type"] = str(exc)
    else:
        prefix = _text(options.get("customer_code_prefix"))
        problem = keys.prefix_problem(prefix)
        if problem:
            problems["customer_code_prefix"] = problem
    month = _text(config.get("financial_year_start_month"))
    if month and not (month.isdigit() and 1 <= int(month) <= 12):
        problems["financial_year_start_month"] = (
            f"{month!r} is not a month number from 1 to 12."
        )
    open_from = _text(config.get("gl_open_from"))
    if open_from:
        year, _, period = open_from.partition("-")
        if not (
            len(year) == 4
            and year.isdigit()
            and period.isdigit()
            and 1 <= int(period) <= 12
        ):
            problems["gl_open_from"] = (
                f"{open_from!r} is not a GL period written CCYY-PP (e.g. 2026-04)."
            )
    bad_periods = [
        text
        for text in closed_period_texts(config)
        if not re.fullmatch(r"\d{4}-(0?[1-9]|1[0-2])", text)
    ]
    if bad_periods:
        problems["gl_closed_periods"] = (
            f"{', '.join(bad_periods)}: not GL periods written CCYY-PP, "
            "separated by commas."
        )
    limit = _text(config.get("max_query_string"))
    if limit and not (limit.isdigit() and int(limit) >= 512):
        problems["max_query_string"] = (
            f"{limit!r} is not a byte count (IIS maxQueryString, 2048 by default)."
        )
    return problems


def syspro_settings_problems(
    *,
    options: Mapping[str, Any],
    config: Mapping[str, Any],
    connector: SysproConnector | None = None,
) -> dict[str, str]:
    """What is wrong with an integration's SYSPRO options and its connection's
    settings, by field (`gl.<name>` for a GL account). With a connector, the
    GL accounts are looked up in SYSPRO; a SYSPRO that cannot be reached is
    reported under `connection` instead of failing the save."""
    problems = {
        **_option_problems(options),
        **_config_problems(config, options),
    }
    try:
        problems.update(_gl_problems(options, connector))
    except ConnectorError as exc:
        problems["connection"] = (
            f"SYSPRO could not be asked about the ledger codes: {exc}"
        )
    return problems


def settings_problems(
    *,
    options: Mapping[str, Any],
    connection: Connection,
    connector: SysproConnector | None = None,
) -> dict[str, str]:
    """`syspro_settings_problems` for an integration's options (under the
    package defaults, as the workflows read them) on its SYSPRO connection,
    asking that SYSPRO (ErpPackage.settings_problems)."""
    own = dict(options or {})
    merged = {**DEFAULT_OPTIONS_SYSPRO, **own}
    if isinstance(own.get("gl"), Mapping):
        merged["gl"] = {**DEFAULT_OPTIONS_SYSPRO["gl"], **own["gl"]}
    asking = connector or SysproConnector(connection)
    try:
        return syspro_settings_problems(
            options=merged, config=connection.config or {}, connector=asking
        )
    finally:
        if connector is None:
            asking.close()
