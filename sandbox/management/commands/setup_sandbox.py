"""`manage.py setup_sandbox --erp syspro|sagepro [--json] [--portal-url URL]`."""

import json

from django.core.management.base import BaseCommand, CommandParser

from sandbox.stripeapi.services.setup import sandbox_setup
from sandbox.syspro.portal_demo import portal_demo_setup


class Command(BaseCommand):
    help = (
        "Connect the portal to the built-in sandboxes: Stripe, SYSPRO and Sage Pro "
        "connections, one integration and its Stripe webhook endpoint. Safe to "
        "run again: it reports the same ids."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--erp", choices=["syspro", "sagepro"], default="syspro")
        parser.add_argument("--json", action="store_true", help="print JSON only")
        parser.add_argument(
            "--portal-url",
            default="http://127.0.0.1:8000",
            help="where the portal (and its /sandbox/ mount) is served",
        )
        parser.add_argument(
            "--erp-url",
            default="",
            help="the ERP's base URL when it is not the sandbox's default: the "
            "Sage Pro agent on another port (default http://127.0.0.1:8765/api/v1)",
        )

    def handle(self, *args, **options) -> None:
        result = sandbox_setup(
            erp=options["erp"],
            portal_url=options["portal_url"],
            erp_url=options["erp_url"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        # The customer portal's demo (catalog, histories, buyer logins with
        # fresh passwords) on the SYSPRO sandbox, for people, not scripts.
        buyers = (
            portal_demo_setup(integration_id=result["integration_id"])
            if options["erp"] == "syspro"
            else []
        )
        erp = result["erp"]
        self.stdout.write(
            "\n".join(
                [
                    f"Integration   {result['integration_id']}",
                    f"Webhook URL   {result['webhook_url']}",
                    f"Signing key   {result['webhook_secret']}",
                    f"Stripe API    {result['stripe']['api_base']}",
                    f"{erp['kind']:<13} {erp['base_url']}",
                    *(
                        f"Portal buyer  {login['email']}  password: "
                        f"{login['password']}  ({login['role']}, {login['company']})"
                        for login in buyers
                    ),
                    f"Buyer portal  {options['portal_url'].rstrip('/')}/portal/",
                ]
            )
        )
