"""The portal's settings, read when asked (never at import) with defaults.

B2B_PRICE_MAX_AGE_SECONDS: how long a company's prices read from the ERP are
used before they are read again (checkout always reads them again).
B2B_STOCK_MAX_AGE_SECONDS: the same for stock availability.
B2B_PAGE_SIZE: rows per page of the catalog and the histories.
"""

from django.conf import settings


def price_max_age() -> int:
    return int(getattr(settings, "B2B_PRICE_MAX_AGE_SECONDS", 300))


def stock_max_age() -> int:
    return int(getattr(settings, "B2B_STOCK_MAX_AGE_SECONDS", 120))


def page_size() -> int:
    return int(getattr(settings, "B2B_PAGE_SIZE", 24))
