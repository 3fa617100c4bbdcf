"""The generated company: Sage Pro's layout, readable by another DBF reader."""

import dbf
import pytest
from conftest import COMPANY, read_table

from ledgerbridge_agent.cli import main
from ledgerbridge_agent.generate import SEED_CUSTOMERS, company_rows
from ledgerbridge_agent.layout import Layout


def test_every_table_has_the_layout_structure_as_vfp_tables(data_dir):
    for name, table in Layout.default().tables.items():
        opened = dbf.Table(str(data_dir / f"{table.file_name(COMPANY)}.dbf"))
        opened.open(dbf.READ_ONLY)
        try:
            structure = [s.lower() for s in opened.structure()]
        finally:
            opened.close()
        expected = [f.spec.lower() for f in table.fields]
        assert structure == expected, name
        path = data_dir / f"{table.file_name(COMPANY)}.dbf"
        head = path.read_bytes()[:32]
        assert (head[0], head[29]) == (0x30, 0x03), name  # VFP table, code page 1252


def test_a_realistic_company_with_open_documents_and_price_codes(data_dir):
    customers = read_table(data_dir, "arcust")
    assert [c["custno"] for c in customers[:3]] == [c[0] for c in SEED_CUSTOMERS]
    assert {c["pricecode"] for c in customers} <= {"A", "B", "C"}
    orders = read_table(data_dir, "somast")
    lines = read_table(data_dir, "sotran")
    assert orders and all(o["sostat"] == "" for o in orders)
    for order in orders:
        total = sum(r["extprice"] for r in lines if r["sono"] == order["sono"])
        assert total == order["ordamt"]
    invoices = read_table(data_dir, "armast")
    assert invoices
    assert all(i["balance"] == i["invamt"] - i["paidamt"] for i in invoices)
    assert {p["pricecode"] for p in read_table(data_dir, "icpric")} >= {"A", "B", "C"}
    next_sono = int(read_table(data_dir, "sosyst")[0]["sono"])
    assert next_sono > max(int(o["sono"]) for o in orders)


def test_the_same_seed_gives_the_same_company():
    assert company_rows(customers=9, items=9, seed=3) == company_rows(
        customers=9, items=9, seed=3
    )
    assert company_rows(customers=9, items=9, seed=3) != company_rows(
        customers=9, items=9, seed=4
    )


def test_generate_never_overwrites_a_data_folder(data_dir):
    argv = ["generate", "--data", str(data_dir), "--company", COMPANY]
    with pytest.raises(SystemExit, match="never overwrites"):
        main(argv)
    assert main([*argv, "--force", "--customers", "4"]) == 0
    assert len(read_table(data_dir, "arcust")) == 4


def test_check_reports_a_matching_folder_and_each_problem(data_dir, capsys):
    argv = ["check", "--data", str(data_dir), "--company", COMPANY]
    assert main(argv) == 0
    assert "every table matches" in capsys.readouterr().out
    (data_dir / f"arcash{COMPANY}.dbf").unlink()
    assert main(argv) == 1
    assert "layout: arcash01.dbf is missing" in capsys.readouterr().out
