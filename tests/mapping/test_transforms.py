import pytest

from mapping.transforms import REGISTRY, TransformError, pipeline_problems


def run(name, current, /, **params):
    return REGISTRY[name].fn(current, **params)


@pytest.mark.parametrize(
    ("minor", "currency", "expected"),
    [
        (1999, "USD", "19.99"),
        (500, "JPY", "500"),
        (1234, "KWD", "1.234"),
        (-250, "EUR", "-2.50"),
        (0, "BHD", "0.000"),
        ("1999", "usd", "19.99"),
    ],
)
def test_minor_to_decimal_follows_the_currency_exponent(minor, currency, expected):
    assert run("minor_to_decimal", minor, currency=currency) == expected


def test_minor_to_decimal_passes_empty_and_refuses_fractions():
    assert run("minor_to_decimal", None, currency="USD") == ""
    with pytest.raises(TransformError):
        run("minor_to_decimal", 19.99, currency="USD")
    with pytest.raises(TransformError):
        run("minor_to_decimal", 100, currency="")


def test_unix_to_date_in_time_zones_across_dst():
    # 2024-03-10 07:30 UTC: 03:30 EDT, just after New York sprang forward.
    assert (
        run(
            "unix_to_date",
            1710055800,
            timezone="America/New_York",
            format="%Y-%m-%d %H:%M %Z",
        )
        == "2024-03-10 03:30 EDT"
    )
    # One hour earlier it was still standard time, the previous local hour.
    assert (
        run("unix_to_date", 1710052200, timezone="America/New_York", format="%H:%M %Z")
        == "01:30 EST"
    )
    # Midnight UTC is still the previous day in New York.
    assert run("unix_to_date", 1711929600) == "2024-04-01"
    assert run("unix_to_date", 1711929600, timezone="America/New_York") == "2024-03-31"
    assert run("unix_to_date", 1711929600, timezone=None) == "2024-04-01"
    assert run("unix_to_date", "") == ""
    with pytest.raises(TransformError):
        run("unix_to_date", "yesterday")


def test_text_transforms_handle_empty_and_long_values():
    assert run("truncate", "x" * 45, length=30) == "x" * 30
    assert run("truncate", "Bayside Bikes   and more", length=14) == "Bayside Bikes"
    assert run("truncate", None, length=5) == ""
    assert run("upper", "usd") == "USD"
    assert run("lower", None) == ""
    assert run("trim", "  a   b ", collapse=True) == "a b"
    assert run("trim", "  a   b ") == "a   b"


def test_split_name_forms():
    assert run("split_name", "Jenny Rosen") == "Jenny"
    assert run("split_name", "Jenny Rosen", part="last") == "Rosen"
    assert run("split_name", "Mary Ann  Smith", part="first") == "Mary Ann"
    assert run("split_name", "Rosen, Jenny", part="first") == "Jenny"
    assert run("split_name", "Cher", part="last") == ""
    assert run("split_name", "", part="first") == ""


def test_concat_skips_empty_parts():
    assert run("concat", "1 Main St", parts=["", None, "Unit 4"], separator=", ") == (
        "1 Main St, Unit 4"
    )
    assert run("concat", None, parts=[]) == ""


def test_value_map_with_and_without_default():
    table = {"succeeded": "Paid", "failed": "Failed"}
    assert run("value_map", "succeeded", map=table) == "Paid"
    assert run("value_map", "pending", map=table) == "pending"
    assert run("value_map", "pending", map=table, default="Open") == "Open"
    assert run("value_map", "SUCCEEDED", map=table, ignore_case=True) == "Paid"


def test_regex_extract():
    assert run("regex_extract", "ref PO-4471 x", pattern=r"PO-(\d+)") == "4471"
    assert run("regex_extract", "nothing", pattern=r"PO-(\d+)", default="-") == "-"
    assert run("regex_extract", "ab", pattern=r"(?P<x>b)", group="x") == "b"
    with pytest.raises(TransformError):
        run("regex_extract", "ab", pattern=r"(b)", group=3)


def test_country_and_state_codes():
    assert run("country_code", "US", to="alpha3") == "USA"
    assert run("country_code", "deu") == "DE"
    assert run("country_code", "Germany") == "DE"
    assert run("country_code", "Atlantis") == "Atlantis"
    assert run("country_code", "") == ""
    assert run("state_code", "California", country="US") == "CA"
    assert run("state_code", "ON", country="CA", to="name") == "Ontario"
    assert run("state_code", "Nowhere", country="US") == "Nowhere"


def test_coalesce_constant_conditional():
    assert run("coalesce", "", values=[None, "", "x"]) == "x"
    assert run("coalesce", None, values=[], fallback=0) == 0
    assert run("coalesce", "kept", values=["x"]) == "kept"
    assert run("constant", "anything", value="N") == "N"
    assert run("conditional", "A100", then="stock", otherwise="misc") == "stock"
    assert run("conditional", "", then="stock", otherwise="misc") == "misc"
    assert run("conditional", 5, op="gt", operand=3, then="big") == "big"
    assert run("conditional", 2, op="gt", operand=3, then="big") == 2


def test_signed_part_and_negate():
    assert run("signed_part", 500) == 500
    assert run("signed_part", -500) == 0
    assert run("signed_part", -500, part="negative") == 500
    assert run("negate", 5) == -5
    assert run("negate", "5.00") == "-5.00"


def test_every_transform_has_a_docstring():
    assert all(t.doc for t in REGISTRY.values())


@pytest.mark.parametrize(
    ("pipeline", "fragment"),
    [
        ([{"name": "nope"}], "unknown transform 'nope'"),
        ([{"name": "truncate"}], "needs parameter 'length'"),
        ([{"name": "truncate", "params": {"length": "30"}}], "expected a whole number"),
        ([{"name": "truncate", "params": {"length": 0}}], "greater than 0"),
        ([{"name": "unix_to_date", "params": {"timezone": "Mars/Base"}}], "time zone"),
        ([{"name": "unix_to_date", "params": {"format": "YYYY"}}], "strftime"),
        ([{"name": "regex_extract", "params": {"pattern": "("}}], "regular expression"),
        ([{"name": "minor_to_decimal", "params": {"currency": "dollars"}}], "currency"),
        ([{"name": "split_name", "params": {"part": "middle"}}], "not one of"),
        ([{"name": "upper", "params": {"x": 1}}], "no parameter 'x'"),
        ([{"name": "value_map", "params": {"map": []}}], "expected an object"),
        ({"name": "upper"}, "must be a list"),
        (
            [{"name": "minor_to_decimal", "params": {"currency": "$bad path"}}],
            "bad path",
        ),
    ],
)
def test_bad_pipelines_are_rejected(pipeline, fragment):
    problems = pipeline_problems(pipeline)
    assert problems and fragment in " ".join(problems)


def test_good_pipeline_with_references_passes():
    assert (
        pipeline_problems(
            [
                {"name": "minor_to_decimal", "params": {"currency": "$currency"}},
                {"name": "unix_to_date", "params": {"timezone": "$options.timezone"}},
            ]
        )
        == []
    )


def test_unix_to_datetime_keeps_the_time_and_the_offset():
    assert run("unix_to_datetime", 1711929600) == "2024-04-01T00:00:00+00:00"
    assert (
        run("unix_to_datetime", 1711929600, timezone="America/New_York")
        == "2024-03-31T20:00:00-04:00"
    )
    assert run("unix_to_datetime", None) == ""
    with pytest.raises(TransformError):
        run("unix_to_datetime", "yesterday")


def test_absolute_drops_the_sign_of_whole_numbers_and_decimal_text():
    assert run("absolute", -500) == 500
    assert run("absolute", "-5.00") == "5.00"
    assert run("absolute", 7) == 7
    assert run("absolute", "") == ""
    with pytest.raises(TransformError):
        run("absolute", "five")


class FakeIdMaps:
    def __init__(self, tables):
        self.tables = tables

    def resolve(self, table, key):
        return self.tables.get(table, {}).get(key)


def test_lookup_resolves_through_the_id_maps_and_refuses_unknown_keys():
    maps = FakeIdMaps({"customer": {"cus_1": "0000042"}, "currency": {"EUR": "2"}})
    assert run("lookup", "cus_1", table="customer", lookups=maps) == "0000042"
    assert run("lookup", "EUR", table="currency", lookups=maps) == "2"
    with pytest.raises(TransformError, match="not in the customer id map"):
        run("lookup", "cus_2", table="customer", lookups=maps)
    assert run("lookup", "cus_2", table="customer", missing="keep", lookups=maps) == (
        "cus_2"
    )
    assert run("lookup", "cus_2", table="customer", missing="empty", lookups=maps) == ""
    with pytest.raises(TransformError, match="no id maps"):
        run("lookup", "cus_1", table="customer")


def test_lookup_table_is_checked_when_a_mapping_is_saved():
    assert (
        pipeline_problems([{"name": "lookup", "params": {"table": "customer"}}]) == []
    )
    problems = pipeline_problems([{"name": "lookup", "params": {"table": "vendor"}}])
    assert problems and "not one of" in problems[0]
    assert pipeline_problems([{"name": "lookup"}]) == [
        "step 1: lookup needs parameter 'table'"
    ]
