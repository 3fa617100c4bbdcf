"""SYSPRO's errors in plain words (integrations/explanations.py reads them).

SYSPRO does not publish its e.net error numbers; the numbers below are the
sandbox's (sandbox/syspro/xmldoc.py), so every entry also carries a pattern
over the ErrorDescription text, which is what a live SYSPRO gives us. Texts
of a live SYSPRO: e.net answers a failed logon or an ended session with a
body starting `ERROR`, a business object that is not licensed with
`e.net exception 100000` (PROTOCOLS.md section 1); integrators report
descriptions such as "Customer 0000100 not on file", "Customer 0000100 is
on credit hold" and "Stock code A100 not on file"; a transaction dated in a
closed period is refused per module ("you cannot post transactions to a
period that is closed",
https://images.inglasco.com/Syspro/Base/HtmlHelp/imppst.htm).
"""

from integrations.explanations import RETRY, Explanation

SETTINGS = "the integration's options (Admin → Integrations → Options)"

EXPLANATIONS: tuple[Explanation, ...] = (
    # --- Sign-in and licences ------------------------------------------
    Explanation(
        key="syspro_logon_refused",
        error_classes=("authentication",),
        pattern=r"Invalid (?:operator|company)\b|"
        r"(?:Operator|Company) '?(?P<who>.*?)'? not found",
        what="SYSPRO refused LedgerBridge's operator or company password.",
        todo="Ask the SYSPRO administrator whether the e.net operator's password "
        "or the company password changed; enter the current ones on the ERP "
        "connection (Admin → Connections), then resume the integration.",
    ),
    Explanation(
        key="syspro_not_licensed",
        numbers=("100000",),
        pattern=r"not licensed or does not exist|e\.net exception 100000",
        what="SYSPRO will not run the business object {value} for LedgerBridge's "
        "operator: it is not licensed for e.net or not apportioned to that "
        "operator.",
        todo="Ask the SYSPRO administrator to apportion the e.net functional "
        "area to the operator (e.net License Apportionment, "
        "https://help.syspro.com/syspro-8-2023/g_programs/imp/impald/impald.htm), "
        + RETRY
        + ".",
        source="PROTOCOLS.md section 1",
    ),
    # --- Master data that is missing in SYSPRO ---------------------------
    Explanation(
        key="syspro_customer_on_hold",
        pattern=r"(?:Customer '?(?P<customer>.*?)'? )?is on (?:credit )?hold",
        what="SYSPRO has the customer {customer} on hold, so it takes no new "
        "orders or invoices for them.",
        todo="Call your credit controller (accounts receivable): they release "
        "the hold in SYSPRO (AR Customer maintenance). Then retry the record, "
        "or skip it if the sale should not be booked.",
    ),
    Explanation(
        key="syspro_period_closed",
        pattern=r"period (?P<period>(?!is\b)[\w/.-]+)? ?(?:is )?(?:closed|not open)|"
        r"closed period",
        what="The posting period {period} is closed in SYSPRO, so the document "
        "cannot be dated in it.",
        todo="Choose one: ask the SYSPRO administrator to re-open the period "
        "(the module's setup, Period tab) and retry; or post it in the current "
        "period: set Earliest open GL period on the ERP connection and edit "
        "the document date in the payload, then retry.",
        source="https://images.inglasco.com/Syspro/Base/HtmlHelp/imppst.htm",
    ),
    Explanation(
        key="syspro_customer_missing",
        numbers=("200101",),
        pattern=r"Customer '?(?P<value>.*?)'? (?:not found|not on file)",
        what="SYSPRO has no customer {value}.",
        todo="Check the customer in SYSPRO (AR Customer maintenance). If the "
        "Stripe customer was never created there, retry its customer record "
        "first; if it exists under another code, correct the code in the "
        "payload. Then retry this record.",
    ),
    Explanation(
        key="syspro_customer_exists",
        numbers=("200102",),
        pattern=r"Customer '?(?P<value>.*?)'? exists",
        what="SYSPRO already has a customer with the code {value}.",
        todo="If it is the same customer, confirm the record posted with that "
        "code; if it is someone else, change customer_code_prefix in "
        + SETTINGS
        + " so new codes do not collide, "
        + RETRY
        + ".",
    ),
    Explanation(
        key="syspro_currency_mismatch",
        numbers=("200103",),
        pattern=r"Currency (?P<value>\w+) differs from the customer's (?P<theirs>\w+)",
        what="The document is in {value} but the SYSPRO customer is kept in "
        "{theirs}; SYSPRO books a customer in one currency only.",
        todo="Set customer_currency_policy in "
        + SETTINGS
        + ' to "per_currency_account" (a SYSPRO customer in {value} is made '
        'and linked) or "convert", then retry the record; or skip it and book '
        "it by hand in {theirs}.",
    ),
    Explanation(
        key="syspro_stock_code_missing",
        numbers=("200201",),
        pattern=r"Stock code '?(?P<value>.*?)'? (?:not found|not on file)",
        what="SYSPRO has no stock code {value} for the Stripe product sold.",
        todo="Create the stock code in SYSPRO Inventory, or correct the product's "
        "SKU in Stripe (a product without a SKU is posted as a "
        "miscellaneous charge line), " + RETRY + ".",
    ),
    Explanation(
        key="syspro_warehouse_missing",
        numbers=("200202",),
        pattern=r"Warehouse '?(?P<value>.*?)'? (?:not found|not on file)",
        what="SYSPRO has no warehouse {value}.",
        todo="Set the option warehouse in " + SETTINGS + " to a warehouse that "
        "exists in SYSPRO, " + RETRY + ".",
    ),
    Explanation(
        key="syspro_zero_price",
        numbers=("200203",),
        pattern=r"Zero price",
        what="SYSPRO refuses an order line at a zero price (a free item or a "
        "100% discount).",
        todo="Skip the record if nothing should be booked, or have the SYSPRO "
        "administrator allow zero prices for sales orders, " + RETRY + ".",
    ),
    Explanation(
        key="syspro_no_lines",
        numbers=("200204",),
        pattern=r"has no lines",
        what="The sales order reached SYSPRO with no lines.",
        todo="Check the field mapping of the order's lines (Admin → Mappings); "
        "a payment without line items needs the miscellaneous charge line "
        "(option misc_product_class in " + SETTINGS + "), " + RETRY + ".",
    ),
    Explanation(
        key="syspro_duplicate_po",
        numbers=("200205",),
        pattern=r"Customer PO '?(?P<value>.*?)'? already (?:used|exists) on "
        r"sales order (?P<order>\S+)",
        what="SYSPRO already has sales order {order} with the customer PO number "
        "{value}: this Stripe payment most likely posted before.",
        todo="Open sales order {order} in SYSPRO. If it is this payment, choose "
        "Confirm posted with {order}; if not, correct the PO number in the "
        "payload, " + RETRY + ".",
    ),
    Explanation(
        key="syspro_bank_missing",
        numbers=("200301",),
        pattern=r"Bank '?(?P<value>.*?)'? (?:not found|not on file)",
        what="SYSPRO has no Cash Book bank {value} to receive the payment in.",
        todo="Set the option bank in " + SETTINGS + " to the SYSPRO bank that "
        "receives Stripe payouts, or create it in SYSPRO Cash Book, " + RETRY + ".",
    ),
    Explanation(
        key="syspro_invoice_missing",
        numbers=("200302",),
        pattern=r"Invoice '?(?P<value>.*?)'?(?: \(\w+\))? not found",
        what="SYSPRO has no invoice {value} to apply this to.",
        todo="If the invoice record has not posted yet, retry that record first; "
        "if the invoice was removed in SYSPRO, post this one unapplied by "
        "editing the payload, then retry.",
    ),
    Explanation(
        key="syspro_document_exists",
        numbers=("200303",),
        pattern=r"Document '?(?P<value>.*?)'? already exists",
        what="SYSPRO already has a document numbered {value}.",
        todo="Open it in SYSPRO: if it is this Stripe payment, choose Confirm "
        "posted with {value}; otherwise correct the document number in the "
        "payload, " + RETRY + ".",
    ),
    Explanation(
        key="syspro_distribution",
        numbers=("200304", "200305"),
        pattern=r"exceeds the payment value|of the payment is not distributed",
        what="The amounts applied to invoices do not add up to the payment.",
        todo="Edit the payload so the invoice amounts add up to the payment "
        "value (or leave the rest unapplied), " + RETRY + ".",
    ),
    Explanation(
        key="syspro_exceeds_balance",
        numbers=("200306",),
        pattern=r"exceeds the balance (?P<balance>\S+) of invoice (?P<value>\S+)",
        what="The payment is more than invoice {value} still owes ({balance}).",
        todo="Check in SYSPRO whether the invoice was already paid (a receipt "
        "entered by hand?). Post the surplus unapplied by editing the "
        "payload, or skip the record if it was booked already.",
    ),
    Explanation(
        key="syspro_sales_order_missing",
        numbers=("200307",),
        pattern=r"Sales order '?(?P<value>.*?)'? not found",
        what="SYSPRO has no sales order {value}.",
        todo="Retry the order's own record first if it has not posted; if the "
        "order was cancelled in SYSPRO, skip this record.",
    ),
    Explanation(
        key="syspro_product_class_missing",
        numbers=("200308",),
        pattern=r"Product class '?(?P<value>.*?)'? (?:not found|not on file)",
        what="SYSPRO has no product class {value}.",
        todo="Set the option product_class (misc_product_class for "
        "miscellaneous charge lines, adjustment_product_class for "
        "adjustments) in " + SETTINGS + " to a product class that exists in "
        "SYSPRO, " + RETRY + ".",
    ),
    Explanation(
        key="syspro_gl_account_missing",
        numbers=("200401",),
        pattern=r"Ledger code '?(?P<value>.*?)'? (?:not found|not on file)",
        what="SYSPRO's General Ledger has no account {value}.",
        todo="Correct the account under gl (bank, clearing, fees, refunds …) in "
        + SETTINGS
        + " to an account of SYSPRO's chart of accounts, "
        + RETRY
        + ".",
    ),
    Explanation(
        key="syspro_journal_unbalanced",
        numbers=("200402", "200403"),
        pattern=r"does not balance|at least two lines",
        what="The GL journal does not balance (or has fewer than two lines).",
        todo="Edit the payload so debits equal credits; if journals keep "
        "arriving out of balance, send the record to whoever supports your "
        "integration.",
    ),
    # --- The shape of a value ------------------------------------------
    Explanation(
        key="syspro_required",
        numbers=("100001",),
        pattern=r"(?P<name>\w+) is (?:required|mandatory)|needs <",
        what="SYSPRO needs a value for {field} and the document has none.",
        todo="Give {field} a source or a default in the integration's field "
        "mapping (Admin → Mappings), or fill it in the payload, " + RETRY + ".",
    ),
    Explanation(
        key="syspro_value_too_long",
        numbers=("100002",),
        pattern=r"may be at most (?P<max>\d+) characters",
        what="The value of {field} is longer than SYSPRO takes ({max} characters).",
        todo="Shorten it in the payload, or add a truncate step for {field} in "
        "the field mapping so later records fit, " + RETRY + ".",
    ),
    Explanation(
        key="syspro_bad_date",
        numbers=("100003",),
        pattern=r"must be a date",
        what="SYSPRO cannot read {value} as a date in {field}.",
        todo="Correct the date (CCYY-MM-DD) in the payload or the field "
        "mapping's date step, " + RETRY + ".",
    ),
    Explanation(
        key="syspro_bad_number",
        numbers=("100004",),
        pattern=r"must be a decimal number",
        what="SYSPRO cannot read {value} as a number in {field}.",
        todo="Correct the number in the payload or the field mapping, " + RETRY + ".",
    ),
    Explanation(
        key="syspro_bad_flag",
        numbers=("100005",),
        pattern=r"must be Y or N",
        what="SYSPRO takes only Y or N in {field}, not {value}.",
        todo="Correct it in the payload or map a Y/N value for {field}, " + RETRY + ".",
    ),
    Explanation(
        key="syspro_amount_precision",
        numbers=("100006",),
        pattern=r"has more than (?P<places>\d+) decimals",
        what="The amount in {field} has more decimals than SYSPRO takes there "
        "({places} at most).",
        todo="For a three-decimal currency (KWD, BHD, JOD, OMR, TND) set the "
        'option currency_precision to "round" in ' + SETTINGS + "; otherwise "
        "correct the amount in the payload. " + RETRY.capitalize() + ".",
    ),
    Explanation(
        key="syspro_bad_value",
        numbers=("100007",),
        pattern=r"must be one of|must be 3 letters|is 1 to 13|may not be|"
        r"Unknown order line|is for credit and debit notes only|must be N to",
        what="SYSPRO refused the value {value} in {field}.",
        todo="The message below says what SYSPRO accepts there: correct the "
        "payload or the field mapping, " + RETRY + ".",
    ),
    Explanation(
        key="syspro_unknown_element",
        numbers=("100010",),
        pattern=r"is not an element of|Unknown attribute|has no children",
        what="The document names a SYSPRO field that this business object does "
        "not have ({field}).",
        todo="Remove or rename {field} in the integration's field mapping (a live "
        "SYSPRO would silently drop it), " + RETRY + ".",
    ),
    Explanation(
        key="syspro_unreadable_request",
        numbers=("100050", "100051"),
        pattern=r"not well-formed|not supported by this query|FilterType|"
        r"neither XML nor an e\.net error",
        what="SYSPRO could not read the request LedgerBridge sent.",
        todo="This is not fixed in SYSPRO: send the record number and the "
        "message below to whoever supports your integration.",
    ),
    Explanation(
        key="syspro_items_rejected",
        pattern=r"rejected \d+ item\(s\) without a reason",
        what="SYSPRO refused the document without saying why.",
        todo="Look at the business object's log in SYSPRO (or try the document "
        "in SYSPRO's own program) to find the reason, then correct the "
        "payload and retry.",
    ),
)
