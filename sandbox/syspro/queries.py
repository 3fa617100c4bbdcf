"""SYSPRO sandbox catalog queries for the customer portal: INVQPL.

INVQPL's request is public
(https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/InventoryPrimaryQuery/InventoryPriceList/INVQPL.vb):
no Key; Option Sequence (S, D, U, P) and PriceMethod (C, Q, F); Filter
ProductClass, Supplier, StockCode, Currency, PriceCode, PriceCategory, each
with FilterType and FilterValue attributes (ProductClass and Supplier take A
or S; the others A, S, R or L). Anything else is refused here, where SYSPRO
would drop it silently, so a connector that sends it is caught in tests.

Its reply is not published in that repository. The sandbox answers one
`StockItem` per item and price code, with StockCode, Description,
ProductClass, StockUom, PriceCode, SellingPrice, PriceUom and one
`QuantityBreak` (Quantity, SellingPrice) per quantity break: a shape of ours
that the SYSPRO connector's catalog reader reads.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - builds XML; parsing uses defusedxml

from django.db.models import Prefetch, Q

from . import xmldoc as X
from .models import InventoryPrice, PriceBreak
from .services import EnetException

_OPTIONS = {"Sequence": {"S", "D", "U", "P"}, "PriceMethod": {"C", "Q", "F"}}
_FILTER_TYPES = {
    "ProductClass": {"A", "S"},
    "Supplier": {"A", "S"},
    "StockCode": {"A", "S", "R", "L"},
    "Currency": {"A", "S", "R", "L"},
    "PriceCode": {"A", "S", "R", "L"},
    "PriceCategory": {"A", "S", "R", "L"},
}
# The sandbox's stock items have no supplier or price category: a filter on
# them matches nothing but "all".
_LOOKUPS = {
    "ProductClass": "stock_item__product_class",
    "StockCode": "stock_item__stock_code",
    "PriceCode": "price_code",
}
_SEQUENCES = {
    "S": ("stock_item__stock_code", "price_code"),
    "D": ("stock_item__description", "price_code"),
    "U": ("stock_item__stock_code", "price_code"),
    "P": ("price_code", "stock_item__stock_code"),
}


def _refuse_unknown(root: ET.Element) -> None:
    for child in root:
        if child.tag not in ("Option", "Filter"):
            raise EnetException("100051", f"<{child.tag}> is not an INVQPL element")
    for option in root.findall("Option"):
        for node in option:
            allowed = _OPTIONS.get(node.tag)
            value = (node.text or "").strip().upper()
            if allowed is None:
                raise EnetException(
                    "100051", f"Option <{node.tag}> is not an INVQPL option"
                )
            if value and value not in allowed:
                raise EnetException(
                    "100051",
                    f"Option <{node.tag}> {value!r} is not one of "
                    f"{', '.join(sorted(allowed))}",
                )


def _filters(root: ET.Element) -> Q:
    query = Q()
    for container in root.findall("Filter"):
        for node in container:
            kinds = _FILTER_TYPES.get(node.tag)
            if kinds is None:
                raise EnetException(
                    "100051", f"Filter <{node.tag}> is not supported by INVQPL"
                )
            kind = node.get("FilterType", "A").upper()
            if kind not in kinds:
                raise EnetException(
                    "100051",
                    f"FilterType {kind!r} of <{node.tag}> is not one of "
                    f"{', '.join(sorted(kinds))}",
                )
            value = node.get("FilterValue", "").strip()
            if kind == "A":
                continue
            lookup = _LOOKUPS.get(node.tag)
            if lookup is None:
                query &= Q(pk__in=[])
            elif kind == "S":
                query &= Q(**{lookup: value})
            elif kind == "L":
                query &= Q(**{f"{lookup}__in": [v.strip() for v in value.split(",")]})
            else:
                upper = node.get("FilterValueTo", "").strip()
                if value:
                    query &= Q(**{f"{lookup}__gte": value})
                if upper:
                    query &= Q(**{f"{lookup}__lte": upper})
    return query


def price_list_query(root: ET.Element) -> str:
    """INVQPL: selling prices by stock item and price code, with breaks."""
    _refuse_unknown(root)
    sequence = (root.findtext("Option/Sequence") or "").strip().upper() or "S"
    prices = (
        InventoryPrice.objects.filter(_filters(root))
        .select_related("stock_item")
        .prefetch_related(
            Prefetch("breaks", queryset=PriceBreak.objects.order_by("quantity"))
        )
        .order_by(*_SEQUENCES[sequence])
    )
    out = ET.Element("InvQueryPriceList")
    for price in prices:
        item = price.stock_item
        node = ET.SubElement(out, "StockItem")
        X.add(node, "StockCode", item.stock_code)
        X.add(node, "Description", item.description)
        X.add(node, "ProductClass", item.product_class)
        X.add(node, "StockUom", item.stock_uom)
        X.add(node, "PriceCode", price.price_code)
        X.add(node, "SellingPrice", X.money_text(price.selling_price))
        X.add(node, "PriceUom", item.stock_uom)
        for price_break in price.breaks.all():
            child = ET.SubElement(node, "QuantityBreak")
            X.add(child, "Quantity", f"{price_break.quantity.normalize():f}")
            X.add(child, "SellingPrice", X.money_text(price_break.selling_price))
    return X.to_text(out)
