import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

django_application = get_wsgi_application()

from integrations.wsgi import webhook_intake  # noqa: E402  (needs Django set up)

# Stripe's deliveries are answered below Django's request handling.
application = webhook_intake(django_application)
