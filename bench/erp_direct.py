"""The pipeline's ceiling: the same ERP calls made directly, no portal between.

Run by bench/pipeline.py as K processes (`python -m bench.erp_direct`), each
with Django set up only to build the same connector the workers use. It
replays the payloads the pipeline sent (saved on the ledger records) through
the connector, one charge's records in order, and prints its timing as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", required=True, help="charge id prefix")
    parser.add_argument("--worker", type=int, default=0)
    parser.add_argument("--of", type=int, default=1)
    parser.add_argument("--start-at", type=float, default=0.0)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from integrations.erps.registry import connector_for
    from integrations.models import Integration, SyncRecord

    integration = Integration.objects.select_related("erp_connection").get()
    order = {"upsert_customer": 0, "create_sales_order": 1, "post_payment": 2}
    charges: dict[str, list] = {}
    customers = {}
    for record in SyncRecord.objects.filter(status="succeeded").order_by("pk"):
        if record.operation == "upsert_customer":
            customers[record.idempotency_key] = record
            continue
        if record.stripe_id.startswith(args.prefix):
            charges.setdefault(record.stripe_id, []).append(record)
    mine = [c for i, c in enumerate(sorted(charges)) if i % args.of == args.worker]
    connector = connector_for(integration.erp_connection)
    while time.time() < args.start_at:
        time.sleep(0.01)
    plan = []

    def customers_of(record) -> list:
        """The customer records `record` waits on, the main account first
        (a charge waits on its currency's account, which waits on it)."""
        found = []
        for dep in record.depends_on.all():
            if customers.pop(dep.idempotency_key, None) is not None:
                found += [*customers_of(dep), dep]
        return found

    for charge_id in mine:
        records = sorted(charges[charge_id], key=lambda r: order[r.operation])
        for record in records:
            plan += customers_of(record)
        plan += records
    # A currency account that resolved to the main one made no ERP call.
    plan = [record for record in plan if record.payload is not None]
    # After the sandbox reset the ERP numbers documents afresh: carry the new
    # customer codes and order numbers into the payloads that refer to them.
    renumber: dict[str, str] = {}
    started = time.monotonic()
    calls = 0
    for record in plan:
        payload = _renumbered(record.payload, renumber)
        document = getattr(connector, record.operation)(
            payload, reference=record.stripe_id
        )
        if record.erp_reference:
            renumber[record.erp_reference] = document.number
        calls += 1
    elapsed = time.monotonic() - started
    sys.stdout.write(
        json.dumps({"charges": len(mine), "operations": calls, "seconds": elapsed})
    )
    return 0


# Payload fields that carry an ERP number assigned by an earlier call.
NUMBER_FIELDS = {"Customer", "SalesOrder", "custno", "sono", "invno"}


def _renumbered(payload: dict, renumber: dict[str, str]) -> dict:
    return {
        key: renumber.get(value, value)
        if key in NUMBER_FIELDS and isinstance(value, str)
        else value
        for key, value in payload.items()
    }


if __name__ == "__main__":
    sys.exit(main())
