"""The customer portal's demo on the SYSPRO sandbox: the catalog and the
histories loaded, two companies with a buyer each (fresh passwords)."""

import datetime as dt
import secrets

from django.apps import apps
from django.utils import timezone

from b2b.models import Buyer
from b2b.services.accounts import buyer_demo_ensure
from integrations.models import Integration

from .seed import seed_catalog, seed_history

# (customer, price code, order limit in minor units, buyer email, role)
DEMO_BUYERS = [
    ("0000001", "B", 500_000, "buyer@bayside.example", Buyer.Role.BUYER),
    ("0000001", "B", 500_000, "approver@bayside.example", Buyer.Role.APPROVER),
    ("0000003", "E", 0, "buyer@contoso.example", Buyer.Role.BUYER),
]


def _model(name: str) -> type:
    return apps.get_model("sandbox_syspro", name)


def portal_demo_setup(*, integration_id: str) -> list[dict[str, str]]:
    """Load the catalog and histories, and (re)set the demo buyers' logins."""
    seed_catalog(_model)
    seed_history(_model, today=timezone.localdate() - dt.timedelta(days=1))
    integration = Integration.objects.get(uuid=integration_id)
    customers = {c.code: c for c in _model("Customer").objects.all()}
    logins = []
    for code, price_code, limit, email, role in DEMO_BUYERS:
        customer = customers[code]
        password = secrets.token_urlsafe(9)
        buyer_demo_ensure(
            integration=integration,
            customer_code=code,
            company_name=customer.name,
            currency=customer.currency,
            price_code=price_code,
            order_limit=limit,
            email=email,
            role=role,
            password=password,
        )
        logins.append(
            {
                "company": f"{customer.name} ({code})",
                "email": email,
                "password": password,
                "role": role,
            }
        )
    return logins
