"""The SYSPRO sandbox's INVQPL refuses what the public INVQPL class lacks."""

import pytest

from integrations.connectors.errors import ValidationError
from integrations.erps.registry import connector_for
from integrations.erps.syspro.xmldoc import filter_query_xml

pytestmark = pytest.mark.django_db


@pytest.fixture
def connector(live_integration):
    return connector_for(live_integration.erp_connection)


@pytest.mark.parametrize(
    "xml_in",
    [
        # INVQPL has no Key (InventoryPriceList/INVQPL.vb: Option and Filter).
        "<Query><Key><StockCode>FS0101</StockCode></Key></Query>",
        filter_query_xml({"Warehouse": "FG"}, {}),
        filter_query_xml({"PriceCode": "A"}, {"Sequence": "X"}),
        filter_query_xml({"PriceCode": "A"}, {"IncludeBreaks": "Y"}),
        '<Query><Filter><ProductClass FilterType="R" FilterValue="A"/></Filter>'
        "</Query>",
    ],
)
def test_unknown_elements_and_values_are_refused(connector, xml_in):
    with pytest.raises(ValidationError):
        connector.query("INVQPL", xml_in)


def test_filters_narrow_the_list(connector):
    root = connector.query(
        "INVQPL",
        filter_query_xml({"PriceCode": "B", "ProductClass": "TOOL"}, {}),
    )
    classes = {node.findtext("ProductClass") for node in root.iter("StockItem")}
    codes = {node.findtext("PriceCode") for node in root.iter("StockItem")}
    assert classes == {"TOOL"} and codes == {"B"}
