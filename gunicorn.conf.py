"""gunicorn settings for the portal; gunicorn reads this file when started here.

Threads rather than processes: a webhook delivery spends part of its time
waiting for its INSERT to commit, and the deliveries that wait together in
one process share one statement (integrations.grouping), so more threads per
process mean fewer round trips. On two cores (bench/intake.py's load,
configurations alternated, before the intake's WSGI path) 2 processes x 8
threads spent 0.80-0.88 ms of web-worker CPU per delivery at 32 concurrent
deliveries, against 1.12-1.45 ms for 5 x 4.

WEB_WORKERS and WEB_THREADS override the defaults; so does the command line.
"""

import os

wsgi_app = "portal.wsgi:application"
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS") or os.cpu_count() or 2)
threads = int(os.environ.get("WEB_THREADS") or 8)
