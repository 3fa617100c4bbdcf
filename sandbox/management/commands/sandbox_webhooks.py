"""`manage.py sandbox_webhooks`: deliver the Stripe sandbox's webhooks until stopped.

Polls for due deliveries, sends them from a small thread pool and stops
cleanly on SIGTERM or Ctrl-C after the batch in flight.
"""

import logging
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from sandbox.stripeapi.services.webhooks import webhook_deliveries_run_due

logger = logging.getLogger(__name__)

# How often an idle loop checks its connection's age and health (with
# CONN_HEALTH_CHECKS that is a query): a poll every few milliseconds need not.
CONNECTION_CHECK_SECONDS = 1.0


class Command(BaseCommand):
    help = "Deliver pending Stripe sandbox webhook events (runs until SIGTERM)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--poll", type=float, default=0.5, help="idle sleep, s")
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument("--batch", type=int, default=100)
        parser.add_argument("--once", action="store_true", help="one pass, then exit")

    def handle(self, *args, **options) -> None:
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        self.stdout.write("Delivering Stripe sandbox webhooks; SIGTERM stops.")
        workers = max(1, options["workers"])
        # One pool for the command's life: its threads keep their database
        # and HTTP connections from one pass to the next.
        with ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="webhook"
        ) as pool:
            checked = float("-inf")
            while not stop.is_set():
                if time.monotonic() - checked >= CONNECTION_CHECK_SECONDS:
                    close_old_connections()
                    checked = time.monotonic()
                try:
                    sent = webhook_deliveries_run_due(
                        limit=options["batch"], workers=workers, pool=pool
                    )
                except DatabaseError:
                    logger.exception("webhook delivery pass failed; retrying")
                    sent = 0
                    checked = float("-inf")
                if options["once"]:
                    break
                if not sent:
                    stop.wait(options["poll"])
        self.stdout.write("Stopped.")
