"""A Stripe subscription on the SYSPRO customer: custom form fields (COMSFM).

COMSFM ("Setup Custom Form", Setup/Update) sets one custom form field of one
key per `Item`: `Key/FormType`, `Key/KeyField` (here the customer code),
`Key/FieldName`, and the value in `AlphaValue`; XmlParameters carry
`ValidateOnly`. Public sources of that shape: a SQL procedure of a live SYSPRO
integration that builds COMSFM's documents (`for xml path('Item'),
root('SetupCustomForm')`, ValidateOnly N) and the syspro Ruby gem's COMSFM
test (form_type, key_field, field_name, alpha_value). Only AlphaValue is
attested, so every value goes as text: the date as CCYY-MM-DD, MRR as a
decimal in the currency's units.

Which form and fields hold the subscription is the integration's
`options.subscription_fields`, over `DEFAULT_FIELDS`; the fields must be
defined on the company's custom form (SYSPRO refuses others). The customer
form type `CUS` is SYSPRO's customer form; it is not in the public sources
above, hence an option. A field set to "" is not written.
"""

import xml.etree.ElementTree as ET  # noqa: S405 - builds documents only
from collections.abc import Mapping

from integrations import periods
from integrations.canonical import SubscriptionState
from portal.money import to_decimal

from .xmldoc import to_xml

DEFAULT_FIELDS = {
    "form_type": "CUS",
    "plan": "SUBPLN",
    "status": "SUBSTS",
    "period_end": "SUBEND",
    "mrr": "SUBMRR",
}
# AlphaValue's room on a custom form (the sandbox's, a design choice: the
# public sources do not say); longer plan texts are cut to it.
VALUE_LENGTH = 30


def subscription_values(state: SubscriptionState) -> dict[str, str]:
    """The subscription's fields as the text SYSPRO stores."""
    end = (
        periods.business_date(
            state.current_period_end, zone_name=state.zone
        ).isoformat()
        if state.current_period_end
        else ""
    )
    mrr = to_decimal(state.mrr, state.currency) if state.currency else state.mrr
    return {
        "plan": state.plan[:VALUE_LENGTH],
        "status": state.status,
        "period_end": end,
        "mrr": f"{mrr:f}",
    }


def custom_form_xml(
    state: SubscriptionState, *, customer_code: str, fields: Mapping[str, str]
) -> str:
    names = {**DEFAULT_FIELDS, **{k: v for k, v in fields.items() if v is not None}}
    root = ET.Element("SetupCustomForm")
    for name, value in subscription_values(state).items():
        field_name = str(names.get(name) or "").strip()
        if not field_name:
            continue
        item = ET.SubElement(root, "Item")
        key = ET.SubElement(item, "Key")
        ET.SubElement(key, "FormType").text = str(names["form_type"])
        ET.SubElement(key, "KeyField").text = customer_code
        ET.SubElement(key, "FieldName").text = field_name
        ET.SubElement(item, "AlphaValue").text = value
    return to_xml(root)


def custom_form_parameters() -> str:
    root = ET.Element("SetupCustomForm")
    ET.SubElement(ET.SubElement(root, "Parameters"), "ValidateOnly").text = "N"
    return to_xml(root)
