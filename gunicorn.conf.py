"""gunicorn settings for the portal; gunicorn reads this file when started here.

Threads rather than processes: a webhook delivery spends most of its time
waiting on the database, and threads share one process's memory, connection
cache and django-q2 broker. gthread also keeps idle keep-alive connections in
its poller instead of in a thread.

WEB_WORKERS and WEB_THREADS override the defaults; so does the command line.
"""

import os

wsgi_app = "portal.wsgi:application"
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS") or os.cpu_count() or 2)
threads = int(os.environ.get("WEB_THREADS") or 8)
