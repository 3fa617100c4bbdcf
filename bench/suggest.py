"""Benchmark the mapping suggester on labelled pairs: source, transform, abstention.

Each pair gives a target field list (an ERP entity of ours, or another
ERP's or accounting API's fields written inline), a set of Stripe objects
and, per target, the right [source path, transform] or null when no Stripe
field carries it. bench/data/suggest_v130.json holds such pairs from public
field lists, split by API into a development part (tuned on; it includes
v2's to v129's held-out APIs, demoted once their figures had been
published) and a held-out part labelled by someone who had not read the
suggester, and committed before the suggester was run on it (only scored;
its misses are never printed: see the file's "discipline"). The v3 to v129
held-out figures as published (bench/results/suggest-v3-held-out.json to
suggest-v129-held-out.json) are written beside today's, marked as what they
now are: development. Figures, per part, per API and per
transform:

- top-1 source: on targets with a source, the suggestion's path is the label's
  (an abstention counts as a miss);
- transform: on the same targets, the suggestion's transform is the label's
  (fitting to the field length not counted; lookups, name parts and country
  formats compared with their table / part / format);
- both: source and transform right together;
- abstention: on targets with no Stripe source, the suggestion proposes none
  (it abstains, or takes a configuration option or a constant).

    .venv/bin/python bench/suggest.py [--data FILE] [--no-write] [--verbose]
    .venv/bin/python bench/suggest.py --fit   # refit calibration on development

--verbose prints the development part's misses only. --fit refits the
score → probability table and the abstention threshold on the development
pairs and writes mapping/suggest_calibration.json; with --no-write it is a
trial: the figures are scored with the fitted table and the file is left as
it is. Runs in seconds, no model download.
"""

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import fix_sys_path, results_write, table  # noqa: E402

fix_sys_path()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

DEFAULT_DATA = ROOT / "bench/data/suggest_v130.json"
# Earlier held-out parts as scored once and published, each demoted to
# development by the next data version: (version, commit, file, APIs).
PUBLISHED_HELD_OUT = (
    (
        "v3",
        "0aa5fe0",
        ROOT / "bench/results/suggest-v3-held-out.json",
        "SAP Business One, Fortnox, ERPNext, Exact Online, Acumatica",
    ),
    (
        "v4",
        "9ecc3d9",
        ROOT / "bench/results/suggest-v4-held-out.json",
        "Dynamics GP, Oracle Fusion Receivables, e-conomic, Moneybird, sevDesk",
    ),
    (
        "v5",
        "b02f43d",
        ROOT / "bench/results/suggest-v5-held-out.json",
        "Holded, Billomat, Pennylane, Wave, Dolibarr",
    ),
    (
        "v6",
        "3b35945",
        ROOT / "bench/results/suggest-v6-held-out.json",
        "Tripletex, Fiken, Visma.net ERP, Dinero, PowerOffice Go",
    ),
    (
        "v7",
        "f423148",
        ROOT / "bench/results/suggest-v7-held-out.json",
        "Procountor, Twinfield, Teamleader Focus, Clear Books, SnelStart",
    ),
    (
        "v8",
        "f8fa5cf",
        ROOT / "bench/results/suggest-v8-held-out.json",
        "KashFlow, Rompslomp, e-Boekhouden, Debitoor",
    ),
    (
        "v9",
        "4c5512a",
        ROOT / "bench/results/suggest-v9-held-out.json",
        "Invoiced, Sage 200, Bokio",
    ),
    (
        "v10",
        "2a36a0f",
        ROOT / "bench/results/suggest-v10-held-out.json",
        "QuickFile",
    ),
    (
        "v11",
        "6f6d1de",
        ROOT / "bench/results/suggest-v11-held-out.json",
        "InvoiceShelf, Akaunting",
    ),
    (
        "v12",
        "c611906",
        ROOT / "bench/results/suggest-v12-held-out.json",
        "Frappe Books, InvoicePlane, Bigcapital",
    ),
    (
        "v13",
        "32bfa19",
        ROOT / "bench/results/suggest-v13-held-out.json",
        "Kill Bill, SuiteCRM, vtiger CRM",
    ),
    (
        "v14",
        "8024de3",
        ROOT / "bench/results/suggest-v14-held-out.json",
        "Lago, FOSSBilling, SolidInvoice",
    ),
    (
        "v15",
        "c3598cf",
        ROOT / "bench/results/suggest-v15-held-out.json",
        "Axelor Open Suite, metasfresh",
    ),
    (
        "v16",
        "0d058b5",
        ROOT / "bench/results/suggest-v16-held-out.json",
        "iDempiere, Tryton",
    ),
    (
        "v17",
        "710bfe4",
        ROOT / "bench/results/suggest-v17-held-out.json",
        "Apache OFBiz, EspoCRM",
    ),
    (
        "v18",
        "55f1a71",
        ROOT / "bench/results/suggest-v18-held-out.json",
        "LedgerSMB, Firefly III",
    ),
    (
        "v19",
        "e29926c",
        ROOT / "bench/results/suggest-v19-held-out.json",
        "weclapp, Quaderno",
    ),
    (
        "v20",
        "87d5a15",
        ROOT / "bench/results/suggest-v20-held-out.json",
        "xTuple, Chargebee",
    ),
    (
        "v21",
        "27cc442",
        ROOT / "bench/results/suggest-v21-held-out.json",
        "WHMCS, PrestaShop",
    ),
    (
        "v22",
        "f257feb",
        ROOT / "bench/results/suggest-v22-held-out.json",
        "Xentral, WooCommerce",
    ),
    (
        "v23",
        "2d818d5",
        ROOT / "bench/results/suggest-v23-held-out.json",
        "Jortt, Recurly",
    ),
    (
        "v24",
        "c04fd9b",
        ROOT / "bench/results/suggest-v24-held-out.json",
        "Billy",
    ),
    (
        "v25",
        "d2ba87c",
        ROOT / "bench/results/suggest-v25-held-out.json",
        "Fatture in Cloud, Maxio Advanced Billing",
    ),
    (
        "v26",
        "9f5034d",
        ROOT / "bench/results/suggest-v26-held-out.json",
        "easybill, Magento 2",
    ),
    (
        "v27",
        "f02841d",
        ROOT / "bench/results/suggest-v27-held-out.json",
        "Mollie, Paddle",
    ),
    (
        "v28",
        "bbc296e",
        ROOT / "bench/results/suggest-v28-held-out.json",
        "webERP",
    ),
    (
        "v29",
        "c141f93",
        ROOT / "bench/results/suggest-v29-held-out.json",
        "Saleor",
    ),
    (
        "v30",
        "cd8d355",
        ROOT / "bench/results/suggest-v30-held-out.json",
        "Zuora",
    ),
    (
        "v31",
        "8a01fb2",
        ROOT / "bench/results/suggest-v31-held-out.json",
        "Square",
    ),
    (
        "v32",
        "9a445af",
        ROOT / "bench/results/suggest-v32-held-out.json",
        "Harvest, BigCommerce",
    ),
    (
        "v33",
        "f615061",
        ROOT / "bench/results/suggest-v33-held-out.json",
        "Brightpearl, Shopware 6",
    ),
    (
        "v34",
        "f2eb64c",
        ROOT / "bench/results/suggest-v34-held-out.json",
        "Reckon One, Sylius",
    ),
    (
        "v35",
        "b8ed0ba",
        ROOT / "bench/results/suggest-v35-held-out.json",
        "Katana, Medusa",
    ),
    (
        "v36",
        "72c3083",
        ROOT / "bench/results/suggest-v36-held-out.json",
        "plentymarkets, Orb",
    ),
    (
        "v37",
        "e9786d3",
        ROOT / "bench/results/suggest-v37-held-out.json",
        "Cin7 Core, Vendure",
    ),
    (
        "v38",
        "93f6f6e",
        ROOT / "bench/results/suggest-v38-held-out.json",
        "AFAS Profit, Spree Commerce",
    ),
    (
        "v39",
        "c423f30",
        ROOT / "bench/results/suggest-v39-held-out.json",
        "SAP S/4HANA Cloud, Lemon Squeezy",
    ),
    (
        "v40",
        "7380e8b",
        ROOT / "bench/results/suggest-v40-held-out.json",
        "Openbravo, Billsby",
    ),
    (
        "v41",
        "e824406",
        ROOT / "bench/results/suggest-v41-held-out.json",
        "QuickBooks Desktop, Shopify",
    ),
    (
        "v42",
        "00bc04e",
        ROOT / "bench/results/suggest-v42-held-out.json",
        "24SevenOffice, Razorpay",
    ),
    (
        "v43",
        "acfb222",
        ROOT / "bench/results/suggest-v43-held-out.json",
        "MoneyWorks, PayPal",
    ),
    (
        "v44",
        "5ed439d",
        ROOT / "bench/results/suggest-v44-held-out.json",
        "TallyPrime, GoCardless",
    ),
    (
        "v45",
        "21de6c9",
        ROOT / "bench/results/suggest-v45-held-out.json",
        "freee Accounting, Ecwid",
    ),
    (
        "v46",
        "23127cf",
        ROOT / "bench/results/suggest-v46-held-out.json",
        "Fakturoid, Stax",
    ),
    (
        "v47",
        "6b1df0e",
        ROOT / "bench/results/suggest-v47-held-out.json",
        "iDoklad, Rebilly",
    ),
    (
        "v48",
        "fe605d5",
        ROOT / "bench/results/suggest-v48-held-out.json",
        "inFakt, Xendit",
    ),
    (
        "v49",
        "6c3cd41",
        ROOT / "bench/results/suggest-v49-held-out.json",
        "Fakturownia, Paystack",
    ),
    (
        "v50",
        "850229b",
        ROOT / "bench/results/suggest-v50-held-out.json",
        "MoySklad, Flutterwave",
    ),
    (
        "v51",
        "3837888",
        ROOT / "bench/results/suggest-v51-held-out.json",
        "Unit4 Financials, Mercado Pago",
    ),
    (
        "v52",
        "c62da0d",
        ROOT / "bench/results/suggest-v52-held-out.json",
        "Exact Globe, Checkout.com",
    ),
    (
        "v53",
        "93675a9",
        ROOT / "bench/results/suggest-v53-held-out.json",
        "Epicor Kinetic, Moyasar",
    ),
    (
        "v54",
        "05392c6",
        ROOT / "bench/results/suggest-v54-held-out.json",
        "Sage 300, commercetools",
    ),
    (
        "v55",
        "b182e19",
        ROOT / "bench/results/suggest-v55-held-out.json",
        "SAP Business ByDesign, Recharge",
    ),
    (
        "v56",
        "7e1790d",
        ROOT / "bench/results/suggest-v56-held-out.json",
        "Workday Financial Management, FastSpring",
    ),
    (
        "v57",
        "014c5f2",
        ROOT / "bench/results/suggest-v57-held-out.json",
        "Netvisor, ChargeOver",
    ),
    (
        "v58",
        "5077bca",
        ROOT / "bench/results/suggest-v58-held-out.json",
        "DATEV, Authorize.Net",
    ),
    (
        "v59",
        "89d9f1c",
        ROOT / "bench/results/suggest-v59-held-out.json",
        "Dynamics SL, nopCommerce",
    ),
    (
        "v60",
        "a055fc6",
        ROOT / "bench/results/suggest-v60-held-out.json",
        "Banana Accounting, OpenCart",
    ),
    (
        "v61",
        "0bcd15f",
        ROOT / "bench/results/suggest-v61-held-out.json",
        "GnuCash, Conekta",
    ),
    (
        "v62",
        "923ce20",
        ROOT / "bench/results/suggest-v62-held-out.json",
        "Yonyou U8, iyzico",
    ),
    (
        "v63",
        "952eb40",
        ROOT / "bench/results/suggest-v63-held-out.json",
        "Saasu, Asaas",
    ),
    (
        "v64",
        "42a51d5",
        ROOT / "bench/results/suggest-v64-held-out.json",
        "FacturaScripts, Midtrans",
    ),
    (
        "v65",
        "99004bc",
        ROOT / "bench/results/suggest-v65-held-out.json",
        "Ekylibre, Pagar.me",
    ),
    (
        "v66",
        "90ba09d",
        ROOT / "bench/results/suggest-v66-held-out.json",
        "BlueSeer, PayU Latam",
    ),
    (
        "v67",
        "f08104e",
        ROOT / "bench/results/suggest-v67-held-out.json",
        "Open Source Point of Sale, Culqi",
    ),
    (
        "v68",
        "fc6ddd7",
        ROOT / "bench/results/suggest-v68-held-out.json",
        "Fakturama, ePayco",
    ),
    (
        "v69",
        "44d6d9d",
        ROOT / "bench/results/suggest-v69-held-out.json",
        "LibreBooks, Iugu",
    ),
    (
        "v70",
        "7c5cfc2",
        ROOT / "bench/results/suggest-v70-held-out.json",
        "Tine 2.0, PagSeguro",
    ),
    (
        "v71",
        "e9bbbcc",
        ROOT / "bench/results/suggest-v71-held-out.json",
        "Ever Gauzy, Stancer",
    ),
    (
        "v72",
        "b8ecc0e",
        ROOT / "bench/results/suggest-v72-held-out.json",
        "kivitendo, Mangopay",
    ),
    (
        "v73",
        "2d0f772",
        ROOT / "bench/results/suggest-v73-held-out.json",
        "Bagisto, MultiSafepay",
    ),
    (
        "v74",
        "1a7b32d",
        ROOT / "bench/results/suggest-v74-held-out.json",
        "Aimeos, Pay.nl",
    ),
    (
        "v75",
        "5153acf",
        ROOT / "bench/results/suggest-v75-held-out.json",
        "Thelia, Buckaroo",
    ),
    (
        "v76",
        "fe5e47e",
        ROOT / "bench/results/suggest-v76-held-out.json",
        "OroCommerce, Airwallex",
    ),
    (
        "v77",
        "bcd881e",
        ROOT / "bench/results/suggest-v77-held-out.json",
        "Reaction Commerce, Rapyd",
    ),
    (
        "v78",
        "1d65307",
        ROOT / "bench/results/suggest-v78-held-out.json",
        "EverShop, Klarna",
    ),
    (
        "v79",
        "c9e283b",
        ROOT / "bench/results/suggest-v79-held-out.json",
        "Broadleaf Commerce, Nuvei",
    ),
    (
        "v80",
        "64bb11a",
        ROOT / "bench/results/suggest-v80-held-out.json",
        "Oscar, Paysafe",
    ),
    (
        "v81",
        "de420a8",
        ROOT / "bench/results/suggest-v81-held-out.json",
        "Virto Commerce, Payone",
    ),
    (
        "v82",
        "7adfa85",
        ROOT / "bench/results/suggest-v82-held-out.json",
        "OXID eShop, Cashfree Payments",
    ),
    (
        "v83",
        "12412b6",
        ROOT / "bench/results/suggest-v83-held-out.json",
        "Shuup, Unzer",
    ),
    (
        "v84",
        "d7c04b2",
        ROOT / "bench/results/suggest-v84-held-out.json",
        "Moqui Mantle, Worldline Direct",
    ),
    (
        "v85",
        "89fb94e",
        ROOT / "bench/results/suggest-v85-held-out.json",
        "Drupal Commerce, Finix",
    ),
    (
        "v86",
        "acb6450",
        ROOT / "bench/results/suggest-v86-held-out.json",
        "VTEX, YooKassa",
    ),
    (
        "v87",
        "78fdc4c",
        ROOT / "bench/results/suggest-v87-held-out.json",
        "CoreShop, HiPay",
    ),
    (
        "v88",
        "fe3e3b6",
        ROOT / "bench/results/suggest-v88-held-out.json",
        "Wix, Paytrail",
    ),
    (
        "v89",
        "d9242f6",
        ROOT / "bench/results/suggest-v89-held-out.json",
        "Salesforce B2C Commerce, EBANX",
    ),
    (
        "v90",
        "1e37e47",
        ROOT / "bench/results/suggest-v90-held-out.json",
        "Lightspeed Retail X-Series, Revolut Merchant API",
    ),
    (
        "v91",
        "d00de83",
        ROOT / "bench/results/suggest-v91-held-out.json",
        "Spryker, Cybersource",
    ),
    (
        "v92",
        "61b1d9a",
        ROOT / "bench/results/suggest-v92-held-out.json",
        "Elastic Path, Moneris",
    ),
    (
        "v93",
        "078e041",
        ROOT / "bench/results/suggest-v93-held-out.json",
        "UltraCart, Barion",
    ),
    (
        "v94",
        "2f56e18",
        ROOT / "bench/results/suggest-v94-held-out.json",
        "Billbee, Vipps MobilePay",
    ),
    (
        "v95",
        "ca443e7",
        ROOT / "bench/results/suggest-v95-held-out.json",
        "Kibo Commerce, Worldpay",
    ),
    (
        "v96",
        "3b9a6ce",
        ROOT / "bench/results/suggest-v96-held-out.json",
        "Swell, Shift4",
    ),
    (
        "v97",
        "4445ebb",
        ROOT / "bench/results/suggest-v97-held-out.json",
        "SAP Commerce Cloud, Openpay",
    ),
    (
        "v98",
        "17ede40",
        ROOT / "bench/results/suggest-v98-held-out.json",
        "PayTabs, Tiendanube / Nuvemshop",
    ),
    (
        "v99",
        "3488229",
        ROOT / "bench/results/suggest-v99-held-out.json",
        "PayHere, Shoptet",
    ),
    (
        "v100",
        "f5fbaef",
        ROOT / "bench/results/suggest-v100-held-out.json",
        "Getnet, YouCan",
    ),
    (
        "v101",
        "1c9b7b6",
        ROOT / "bench/results/suggest-v101-held-out.json",
        "SSLCommerz, Jumpseller",
    ),
    (
        "v102",
        "d049fee",
        ROOT / "bench/results/suggest-v102-held-out.json",
        "Pesapal, Gambio",
    ),
    (
        "v103",
        "2f3ce41",
        ROOT / "bench/results/suggest-v103-held-out.json",
        "Easebuzz, JTL-Wawi",
    ),
    (
        "v104",
        "9cf5495",
        ROOT / "bench/results/suggest-v104-held-out.json",
        "WayForPay, Crystallize",
    ),
    (
        "v105",
        "267bebe",
        ROOT / "bench/results/suggest-v105-held-out.json",
        "Paytm, OrderCloud",
    ),
    (
        "v106",
        "74018d7",
        ROOT / "bench/results/suggest-v106-held-out.json",
        "Fondy, Commerce.js",
    ),
    (
        "v107",
        "2d8fa01",
        ROOT / "bench/results/suggest-v107-held-out.json",
        "DOKU, Global Payments",
    ),
    (
        "v108",
        "5a9fee2",
        ROOT / "bench/results/suggest-v108-held-out.json",
        "CloudPayments, Jobber",
    ),
    (
        "v109",
        "9aa7d85",
        ROOT / "bench/results/suggest-v109-held-out.json",
        "HyperPay, BlueSnap",
    ),
    (
        "v110",
        "3bf8a11",
        ROOT / "bench/results/suggest-v110-held-out.json",
        "Telr, Zoho CRM",
    ),
    (
        "v111",
        "28d1c1e",
        ROOT / "bench/results/suggest-v111-held-out.json",
        "Trust Payments, Dynamics 365 Sales",
    ),
    (
        "v112",
        "2a2b9f6",
        ROOT / "bench/results/suggest-v112-held-out.json",
        "Payroc, Keap",
    ),
    (
        "v113",
        "fd725a6",
        ROOT / "bench/results/suggest-v113-held-out.json",
        "Dwolla, Brevo",
    ),
    (
        "v114",
        "5fcb99f",
        ROOT / "bench/results/suggest-v114-held-out.json",
        "Moov, Klaviyo",
    ),
    (
        "v115",
        "1679792",
        ROOT / "bench/results/suggest-v115-held-out.json",
        "Tilled, Zendesk Sell",
    ),
    (
        "v116",
        "e6d462d",
        ROOT / "bench/results/suggest-v116-held-out.json",
        "Cielo, Agile CRM",
    ),
    (
        "v117",
        "9b7d669",
        ROOT / "bench/results/suggest-v117-held-out.json",
        "HitPay, Bitrix24",
    ),
    (
        "v118",
        "4d1e224",
        ROOT / "bench/results/suggest-v118-held-out.json",
        "Fat Zebra, Pipeliner CRM",
    ),
    (
        "v119",
        "64f9c2b",
        ROOT / "bench/results/suggest-v119-held-out.json",
        "Trustly, Nimble",
    ),
    (
        "v120",
        "2b26a4f",
        ROOT / "bench/results/suggest-v120-held-out.json",
        "Sezzle, OnePageCRM",
    ),
    (
        "v121",
        "c991071",
        ROOT / "bench/results/suggest-v121-held-out.json",
        "Bolt, Apptivo",
    ),
    (
        "v122",
        "5208fbd",
        ROOT / "bench/results/suggest-v122-held-out.json",
        "Judopay, Highrise",
    ),
    (
        "v123",
        "e7b0162",
        ROOT / "bench/results/suggest-v123-held-out.json",
        "KOMOJU, CiviCRM",
    ),
    (
        "v124",
        "e310631",
        ROOT / "bench/results/suggest-v124-held-out.json",
        "Paymentwall, Karbon",
    ),
    (
        "v125",
        "07686f3",
        ROOT / "bench/results/suggest-v125-held-out.json",
        "Payabli, Krayin CRM",
    ),
    (
        "v126",
        "8bcd17a",
        ROOT / "bench/results/suggest-v126-held-out.json",
        "Forte, Fat Free CRM",
    ),
    (
        "v127",
        "56c34e4",
        ROOT / "bench/results/suggest-v127-held-out.json",
        "PortOne, erxes",
    ),
    (
        "v128",
        "31461dd",
        ROOT / "bench/results/suggest-v128-held-out.json",
        "PAY.JP, Corteza",
    ),
    (
        "v129",
        "64aa196",
        ROOT / "bench/results/suggest-v129-held-out.json",
        "Payrexx, X2CRM",
    ),
)
IGNORED_STEPS = {"truncate", "trim", "to_string"}
WRONG_COST = 2
BIN_SIZE = 4


def transform_label(steps: list[dict]) -> str:
    """A pipeline as the labels name it: "minor_to_decimal+abs", "lookup:customer"."""
    names = []
    for step in steps or ():
        name, params = step.get("name"), step.get("params") or {}
        if name in IGNORED_STEPS:
            continue
        if name == "absolute":
            name = "abs"
        elif name == "lookup":
            name = f"lookup:{params.get('table')}"
        elif name == "split_name":
            name = f"split_name:{params.get('part', 'first')}"
        elif name == "country_code":
            name = f"country_code:{params.get('to', 'alpha2')}"
        names.append(name)
    return "+".join(names)


def _fields_and_samples(pair: dict, stripe_samples: dict) -> tuple[list, list]:
    from mapping.schemas import schema_for
    from mapping.suggest import field_specs_from_dicts
    from mapping.templates import default_options

    if "schema" in pair:
        fields = field_specs_from_dicts(pair["schema"])
    else:
        fields = list(schema_for(erp=pair["erp"], entity=pair["entity"]).fields)
    samples = pair["samples"]
    if isinstance(samples, str):
        samples = stripe_samples[samples]
    if pair.get("options"):
        options = default_options(erp=pair["options"])
        samples = [{**sample, "options": options} for sample in samples]
    return [f for f in fields if f.name in pair["gold"]], samples


def normal_path(path: str) -> str:
    """tax_ids.data[0].value and tax_ids.data.0.value are the same path."""
    return re.sub(r"\[(\d+)\]", r".\1", path or "")


def _gold(value) -> tuple[str, str | None] | None:
    if value is None:
        return None
    if isinstance(value, str):  # the first data set's form: a path only
        return normal_path(value), None
    return normal_path(value[0]), value[1]


def score_pairs(
    pairs: list[dict], stripe_samples: dict, *, threshold: float | None = None
) -> list[dict]:
    """One row per labelled target: what was suggested and whether it is right."""
    from mapping.suggest import suggest_mapping

    rows = []
    for pair in pairs:
        fields, samples = _fields_and_samples(pair, stripe_samples)
        suggestions = suggest_mapping(
            target_fields=fields, samples=samples, threshold=threshold
        )
        for item in suggestions:
            gold = _gold(pair["gold"][item.target])
            label = transform_label(item.transforms)
            stripe_source = bool(item.source) and not item.source.startswith("options.")
            row = {
                "pair": pair["name"],
                "api": pair.get("api", pair["name"]),
                "split": pair.get("split", "development"),
                "target": item.target,
                "suggested": item.source,
                "transform": label,
                "confidence": round(item.confidence, 3),
                "score": round(item.score, 4),
                "reason": item.reason,
            }
            if gold is None:
                row.update(mappable=False, abstain_ok=not stripe_source)
            else:
                source_ok = item.source == gold[0]
                transform_ok = None if gold[1] is None else label == gold[1]
                row.update(
                    mappable=True,
                    gold=gold[0],
                    gold_transform=gold[1],
                    source_ok=source_ok,
                    transform_ok=transform_ok,
                    both_ok=source_ok and transform_ok is not False,
                )
            rows.append(row)
    return rows


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def summarise(rows: list[dict]) -> dict:
    mappable = [r for r in rows if r["mappable"]]
    with_transform = [r for r in mappable if r["transform_ok"] is not None]
    unmappable = [r for r in rows if not r["mappable"]]
    return {
        "targets": len(rows),
        "mappable": len(mappable),
        "no_source": len(unmappable),
        "top1_source": _rate(sum(r["source_ok"] for r in mappable), len(mappable)),
        "transform": _rate(
            sum(r["transform_ok"] for r in with_transform), len(with_transform)
        ),
        "both": _rate(sum(r["both_ok"] for r in mappable), len(mappable)),
        "abstention": _rate(sum(r["abstain_ok"] for r in unmappable), len(unmappable)),
        "answered": _rate(sum(bool(r["suggested"]) for r in mappable), len(mappable)),
    }


def by_key(rows: list[dict], key: str) -> dict[str, dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return {name: summarise(group) for name, group in sorted(groups.items())}


def by_transform(rows: list[dict]) -> dict[str, dict]:
    """Per labelled transform: how often the source and the transform were right."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row["mappable"] and row["gold_transform"] is not None:
            groups[row["gold_transform"].split(":")[0] or "(copy)"].append(row)
    return {
        name: {
            "targets": len(group),
            "source": _rate(sum(r["source_ok"] for r in group), len(group)),
            "transform": _rate(sum(r["transform_ok"] for r in group), len(group)),
        }
        for name, group in sorted(groups.items())
    }


def _shown(path: str) -> str:
    """The data file as recorded: relative to the repository when inside it."""
    resolved = Path(path).resolve()
    if resolved.is_relative_to(ROOT):
        return str(resolved.relative_to(ROOT))
    return str(resolved)


def fit(rows: list[dict], *, data: str = "bench/data/suggest_v130.json") -> dict:
    """Calibration table and threshold from development rows scored with no cut."""
    from mapping.calibration import fit_isotonic, probability

    points = []
    for row in rows:
        if not row["suggested"] and not row["transform"]:
            continue  # abstained before any threshold: nothing to calibrate
        stripe_source = bool(row["suggested"]) and not row["suggested"].startswith(
            "options."
        )
        right = row["both_ok"] if row["mappable"] else not stripe_source
        points.append((row["score"], bool(right)))
    # Four per bin had the best development utility of 4, 5, 6 and 8.
    edges, rates = fit_isotonic(points, bin_size=BIN_SIZE)
    table = {"edges": edges, "probabilities": rates}
    # A confident wrong source costs an admin more than an abstention does
    # (it has to be noticed, then undone): weigh it twice.
    best = (float("-inf"), 0.0)
    for candidate in sorted({*rates, 0.0}):
        utility = 0
        for row in rows:
            kept = (
                bool(row["suggested"] or row["transform"])
                and probability(row["score"], table) >= candidate
            )
            if row["mappable"]:
                utility += (1 if row["both_ok"] else -WRONG_COST) if kept else 0
            else:
                stripe = bool(row["suggested"]) and not row["suggested"].startswith(
                    "options."
                )
                utility += -WRONG_COST if kept and stripe else 1
        if utility > best[0]:
            best = (utility, candidate)
    return {
        **table,
        "threshold": best[1],
        "fitted_on": f"development pairs of {data}",
        "wrong_answer_cost": WRONG_COST,
        "development_utility": best[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="labelled pairs")
    parser.add_argument(
        "--no-write",
        action="store_true",
        help="print only, write neither results nor a fitted calibration",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="print the development misses"
    )
    parser.add_argument(
        "--fit",
        action="store_true",
        help="refit mapping/suggest_calibration.json on the development part",
    )
    parser.add_argument(
        "--only-development",
        action="store_true",
        help="score and print the development part only (for tuning)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    data = json.loads(Path(args.data).read_text())
    pairs, stripe_samples = data["pairs"], data.get("stripe_samples", {})
    development = [p for p in pairs if p.get("split", "development") == "development"]

    if args.fit:
        from mapping import calibration

        fitted = fit(
            score_pairs(development, stripe_samples, threshold=0.0),
            data=_shown(args.data),
        )
        if args.no_write:
            # A trial: score with the fitted table from a file of its own,
            # removed at exit, and keep the shipped one.
            trial = tempfile.TemporaryDirectory()
            calibration.CALIBRATION_FILE = Path(trial.name) / "calibration.json"
        calibration.CALIBRATION_FILE.write_text(json.dumps(fitted, indent=1) + "\n")
        calibration.calibration.cache_clear()
        shown = "trial fit, not written" if args.no_write else "written"
        print(
            f"{shown} {calibration.CALIBRATION_FILE}: threshold {fitted['threshold']}"
        )

    if args.only_development:
        pairs = development
    started = time.perf_counter()
    rows = score_pairs(pairs, stripe_samples)
    elapsed = time.perf_counter() - started

    parts = {
        split: [r for r in rows if r["split"] == split]
        for split in {"development", "held_out"}
    }
    unfiltered = score_pairs(pairs, stripe_samples, threshold=0.0)
    result = {
        "parts": {split: summarise(part) for split, part in parts.items() if part},
        # The same suggestions before the probability threshold: what it costs
        # in right answers and buys in abstentions.
        "parts_without_threshold": {
            split: summarise([r for r in unfiltered if r["split"] == split])
            for split, part in parts.items()
            if part
        },
        "per_api": {
            split: by_key(part, "api") for split, part in parts.items() if part
        },
        "per_transform": {
            split: by_transform(part) for split, part in parts.items() if part
        },
    }
    if Path(args.data).resolve() == DEFAULT_DATA:
        result["held_out_as_published"] = [
            {
                "version": version,
                "published_at": commit,
                "what": f"the {version} held-out part ({apis}) scored once at "
                f"commit {commit}; development since",
                "git": published["git"],
                "part": published["parts"]["held_out"],
                "per_api": published["per_api"]["held_out"],
            }
            for version, commit, path, apis in PUBLISHED_HELD_OUT
            if path.exists()
            for published in [json.loads(path.read_text())]
        ]
    if args.verbose:
        for row in parts["development"]:
            wrong = (row["mappable"] and not row["both_ok"]) or (
                not row["mappable"] and not row["abstain_ok"]
            )
            if wrong:
                want = (
                    f"{row['gold']} [{row['gold_transform']}]"
                    if row["mappable"]
                    else "no source"
                )
                print(
                    f"  miss {row['pair']}: {row['target']} → "
                    f"{row['suggested'] or '∅'} [{row['transform']}] "
                    f"(want {want}; {row['confidence']:.0%} {row['reason']})"
                )
    for split in ("development", "held_out"):
        if split not in result["parts"]:
            continue
        print(f"\n{split}")
        lines = [
            {"api": api, **figures} for api, figures in result["per_api"][split].items()
        ]
        lines.append({"api": "ALL", **result["parts"][split]})
        print(
            table(
                lines,
                ["api", "targets", "top1_source", "transform", "both", "abstention"],
            )
        )
        print(
            table(
                [
                    {
                        "labelled": name,
                        "targets": f["targets"],
                        "source_ok": f["source"],
                        "transform_ok": f["transform"],
                    }
                    for name, f in result["per_transform"][split].items()
                ],
                ["labelled", "targets", "source_ok", "transform_ok"],
            )
        )
    for published in result.get("held_out_as_published", ()):
        version, commit = published["version"], published["published_at"]
        print(f"\n{version} held-out as published at {commit} (now development)")
        print(
            table(
                [{"api": f"ALL ({version}, {commit})", **published["part"]}],
                ["api", "targets", "top1_source", "transform", "both", "abstention"],
            )
        )
    print(f"\n{len(rows)} targets in {elapsed:.2f} s")
    if not args.no_write and not args.only_development:
        path = results_write(
            "suggest",
            {
                **result,
                "seconds": round(elapsed, 3),
                "data": _shown(args.data),
            },
        )
        print(f"written {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
