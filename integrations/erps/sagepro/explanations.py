"""Sage Pro's errors in plain words (integrations/explanations.py reads them).

The agent's contract answers `{"error": {"code", "message", "field"}}`
(PROTOCOLS.md section 2); the connector keeps the code in the attempt's
response and the message in the record. Codes that name one cause key an
entry; "invalid" and "required" cover many, so their entries are found by
the message text first.
"""

from integrations.explanations import RETRY, Explanation

SETTINGS = "the integration's options (Admin → Integrations → Options)"

EXPLANATIONS: tuple[Explanation, ...] = (
    Explanation(
        key="sagepro_api_key_rejected",
        numbers=("unauthorized",),
        pattern=r"missing or invalid API key",
        what="The LedgerBridge agent on the Sage Pro server refused the API key.",
        todo="Ask whoever installed the agent for its current API key, enter it "
        "on the ERP connection (Admin → Connections), then resume the "
        "integration.",
    ),
    Explanation(
        key="sagepro_customer_on_hold",
        pattern=r"(?:customer (?P<customer>\S+) )?is on (?:credit )?hold",
        what="Sage Pro has the customer {customer} on hold.",
        todo="Call your credit controller (accounts receivable) to take the "
        "customer off hold in Sage Pro, then retry the record, or skip it if "
        "the sale should not be booked.",
    ),
    Explanation(
        key="sagepro_period_closed",
        pattern=r"period (?P<period>(?!is\b)[\w/.-]+)? ?(?:is )?(?:closed|not open)",
        what="The period {period} is closed in Sage Pro.",
        todo="Choose one: have the Sage Pro administrator re-open the period and "
        "retry; or change the document date in the payload to a date in the "
        "open period, then retry.",
    ),
    Explanation(
        key="sagepro_customer_missing",
        numbers=("unknown_customer",),
        pattern=r"customer (?P<value>\S+) (?:does not exist|not found)",
        what="Sage Pro has no customer {value}.",
        todo="Retry the Stripe customer's own record first if it has not posted; "
        "if the customer exists under another number, correct custno in the "
        "payload, " + RETRY + ".",
    ),
    Explanation(
        key="sagepro_item_missing",
        numbers=("unknown_item",),
        pattern=r"item (?P<value>\S+) does not exist",
        what="Sage Pro has no inventory item {value} for the Stripe product sold.",
        todo="Create the item in Sage Pro, or correct the product's SKU in Stripe "
        "(without a SKU the line goes without an item), " + RETRY + ".",
    ),
    Explanation(
        key="sagepro_bank_missing",
        numbers=("unknown_bank",),
        pattern=r"bank (?P<value>\S+) does not exist",
        what="Sage Pro has no bank {value} to receive the payment in.",
        todo="Set the option bank in " + SETTINGS + " to the Sage Pro bank that "
        "receives Stripe payouts, " + RETRY + ".",
    ),
    Explanation(
        key="sagepro_account_missing",
        numbers=("unknown_account",),
        pattern=r"account (?P<value>\S+) does not exist",
        what="Sage Pro's General Ledger has no account {value}.",
        todo="Correct the account under gl (bank, clearing, fees, refunds …) in "
        + SETTINGS
        + " to an account of Sage Pro's chart of accounts, "
        + RETRY
        + ".",
    ),
    Explanation(
        key="sagepro_journal_unbalanced",
        numbers=("unbalanced",),
        pattern=r"journal does not balance|at least two lines|either a debit or a "
        r"credit",
        what="The GL journal does not balance (or a line has neither a debit "
        "nor a credit).",
        todo="Edit the payload so debits equal credits; if journals keep "
        "arriving out of balance, send the record to whoever supports your "
        "integration.",
    ),
    Explanation(
        key="sagepro_duplicate_reference",
        numbers=("duplicate",),
        pattern=r"already exists|with reference (?P<value>\S+) exists",
        what="Sage Pro already has this document ({value}): this Stripe payment "
        "most likely posted before.",
        todo="Find it in Sage Pro: if it is this payment, choose Confirm posted "
        "with its Sage Pro number; if it is something else, correct the "
        "reference in the payload, " + RETRY + ".",
    ),
    Explanation(
        key="sagepro_exceeds_balance",
        pattern=r"amount (?P<value>\S+) exceeds invoice (?P<invoice>\S+)'s balance "
        r"(?P<balance>\S+)",
        what="The payment {value} is more than invoice {invoice} still owes "
        "({balance}).",
        todo="Check in Sage Pro whether the invoice was already paid; post the "
        "payment unapplied (remove invno from the payload) or skip the record "
        "if it was booked already.",
    ),
    Explanation(
        key="sagepro_document_missing",
        numbers=("not_found",),
        pattern=r"(?:invoice|sales order) (?P<value>\S+) not found|no invoice or "
        r"sales order (?P<document>\S+)",
        what="Sage Pro has no document {value}{document} to apply this to.",
        todo="Retry the record that creates it first if it has not posted; if "
        "it was removed in Sage Pro, edit the payload to post this one "
        "unapplied, then retry.",
    ),
    Explanation(
        key="sagepro_currency_mismatch",
        pattern=r"currency (?P<value>\w+) differs from customer (?P<customer>\S+)'s "
        r"(?P<theirs>\w+)",
        what="The document is in {value} but Sage Pro keeps customer {customer} "
        "in {theirs}.",
        todo="Set customer_currency_policy in "
        + SETTINGS
        + ' to "per_currency_account" (a Sage Pro customer in {value} is made '
        'and linked) or "convert", then retry the record; or skip it and book '
        "it by hand.",
    ),
    Explanation(
        key="sagepro_value_too_long",
        pattern=r"may be at most (?P<max>\d+) characters",
        what="The value of {field} is longer than Sage Pro takes ({max} characters).",
        todo="Shorten it in the payload, or add a truncate step for {field} in "
        "the field mapping so later records fit, " + RETRY + ".",
    ),
    Explanation(
        key="sagepro_amount_precision",
        numbers=("precision",),
        # The agent: "amount 1.234 has 3 decimals; Sage Pro's arcash.amount is
        # N(12,2) and holds 2: the agent does not round".
        pattern=r"has more than (?P<places>\d+) decimals|"
        r"N\(\d+,\d+\) and holds (?P<holds>\d+)",
        what="Sage Pro takes at most {places}{holds} decimals in {field}.",
        todo="For a three-decimal currency (KWD, BHD, JOD, OMR, TND) set the "
        'option currency_precision to "round" in ' + SETTINGS + "; otherwise "
        "correct the amount in the payload. " + RETRY.capitalize() + ".",
    ),
    Explanation(
        key="sagepro_totals_differ",
        pattern=r"should be .* rounded to 2 places|differs from the lines' total",
        what="A line total or the document total does not match the lines "
        "(quantity × price less discount).",
        todo="Correct the amounts in the payload so they add up; if the Stripe "
        "totals are right, send the record to whoever supports your "
        "integration (a mapping rounds differently).",
    ),
    Explanation(
        key="sagepro_required",
        numbers=("required",),
        pattern=r"(?P<name>[\w.\[\]]+) is required|must be a non-empty list",
        what="Sage Pro needs a value for {field} and the document has none.",
        todo="Give {field} a source or a default in the integration's field "
        "mapping (Admin → Mappings), or fill it in the payload, " + RETRY + ".",
    ),
    Explanation(
        key="sagepro_bad_value",
        numbers=("invalid",),
        pattern=r"must be |may not be|is not an email|cannot be changed|"
        r"is assigned by Sage Pro|is a percentage|expected a JSON object",
        what="Sage Pro refused the value of {field}.",
        todo="The message below says what Sage Pro accepts there: correct the "
        "payload or the field mapping, " + RETRY + ".",
    ),
    Explanation(
        key="sagepro_unknown_field",
        numbers=("unknown_field",),
        pattern=r"is not a field the agent takes here",
        what="The document names {field}, a field the Sage Pro agent does not "
        "write for this document.",
        todo="Remove the field from the integration's field mapping (Admin → "
        "Mappings) or from the payload, " + RETRY + ".",
    ),
    Explanation(
        key="sagepro_record_locked",
        numbers=("locked",),
        error_classes=("transient",),
        pattern=r"nothing was written, send it again",
        what="A Sage Pro user had the record or table locked, so the agent wrote "
        "nothing.",
        todo="Nothing to do: the record is retried automatically. If it ends in "
        "needs attention, ask who keeps the customer or document open in Sage "
        "Pro to close it, " + RETRY + ".",
    ),
    Explanation(
        key="sagepro_document_too_large",
        numbers=("too_large",),
        pattern=r"the body may be at most \d+ bytes",
        what="The document is larger than the Sage Pro agent accepts in one request.",
        todo="Split the Stripe object (fewer invoice lines) or book it by hand in "
        "Sage Pro and skip the record.",
    ),
    Explanation(
        key="sagepro_agent_busy",
        numbers=("rate_limited", "unavailable"),
        error_classes=("rate_limited", "transient"),
        pattern=r"HTTP (?:429|503)|busy|unavailable|rate.?limit|too many requests",
        what="The Sage Pro agent is busy or unavailable for a moment.",
        todo="Nothing to do: the record is retried automatically. If it ends in "
        "needs attention, check the agent's service on the Sage Pro server is "
        "running, " + RETRY + ".",
    ),
    Explanation(
        key="sagepro_request_unreadable",
        numbers=("invalid_json", "method_not_allowed", "server_error"),
        error_classes=("validation", "connector", "transient", "not_found"),
        pattern=r"body is not valid JSON|is not allowed here|no such endpoint",
        what="The Sage Pro agent could not handle the request LedgerBridge sent "
        "(an agent version LedgerBridge does not expect, or a fault on the "
        "server).",
        todo="Check the agent's version and its log on the Sage Pro server; send "
        "the record number and the message below to whoever supports your "
        "integration.",
    ),
)
