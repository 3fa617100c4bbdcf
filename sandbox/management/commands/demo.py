import io
import json

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from sandbox import demo


class Command(BaseCommand):
    help = (
        "Drive the Stripe sandbox through a realistic small day and show what "
        "reached the ERP. With --check, exit non-zero if any ERP document is "
        "missing, duplicated or off by a cent. Needs the portal, a qcluster and "
        "`manage.py sandbox_webhooks` running (make demo starts them)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--erp", choices=["syspro", "sagepro"], default="syspro")
        parser.add_argument("--portal-url", default="http://127.0.0.1:8000")
        parser.add_argument("--customers", type=int, default=24)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--timeout", type=float, default=240)
        parser.add_argument("--check", action="store_true")
        parser.add_argument(
            "--erp-url",
            default="",
            help="the ERP's base URL outside the portal (the Sage Pro agent)",
        )
        parser.add_argument(
            "--erp-data",
            default="",
            help="the Sage Pro agent's data folder: its DBF files are read back "
            "and compared with Stripe",
        )

    def handle(self, *args, **options) -> None:
        if options["erp"] == "sagepro" and not options["erp_data"]:
            # Sage Pro's sandbox is the agent: what it wrote is in its files.
            raise CommandError(
                "--erp-data is required with --erp sagepro: the Sage Pro agent's "
                "data folder, whose DBF files are read back (make demo "
                "ERP=sagepro passes var/sagepro/data)"
            )
        out = io.StringIO()
        call_command(
            "setup_sandbox",
            erp=options["erp"],
            json=True,
            portal_url=options["portal_url"],
            erp_url=options["erp_url"],
            stdout=out,
        )
        config = json.loads(out.getvalue())
        config["erp"]["data"] = options["erp_data"]
        client = demo.stripe_client(config)
        demo.drive_day(
            client,
            customers=options["customers"],
            seed=options["seed"],
            log=self.stdout.write,
        )
        self.stdout.write("Waiting for webhooks and the ERP postings …")
        demo.wait_for_drain(
            config["integration_id"], timeout=options["timeout"], log=self.stdout.write
        )
        payouts = demo.automatic_payouts(config)
        ids = ", ".join(payout.get("id", "?") for payout in payouts)
        self.stdout.write(f"Automatic payouts: {ids or 'none'}")
        demo.wait_for_drain(
            config["integration_id"], timeout=options["timeout"], log=self.stdout.write
        )
        state = demo.erp_state(config)
        counts = {
            name: len(state.get(name, []))
            for name in (
                "customers",
                "sales_orders",
                "payments",
                "credit_notes",
                "adjustments",
                "journals",
            )
        }
        self.stdout.write(
            f"ERP ({config['erp']['kind']}): "
            + ", ".join(f"{v} {k}" for k, v in counts.items())
        )
        self.stdout.write(f"Ledger: {demo.ledger_summary(config['integration_id'])}")
        if not options["check"]:
            return
        problems = demo.check_erp(client, state)
        attention = demo.ledger_summary(config["integration_id"]).get(
            "needs_attention", 0
        )
        if attention:
            problems.append(f"{attention} ledger record(s) need attention")
        for problem in problems:
            self.stderr.write(f"  ✗ {problem}")
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s): the ERP does not match Stripe"
            )
        self.stdout.write(
            self.style.SUCCESS("✓ every ERP document matches Stripe, once, to the cent")
        )
