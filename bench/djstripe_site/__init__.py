"""A stock Django project serving dj-stripe's webhook endpoint (bench/intake.py).

It runs in its own virtualenv (bench/djstripe_peer.py installs it); nothing in
the portal imports it.
"""
