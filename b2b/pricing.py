"""A company's prices: its price list with quantity breaks, overridden by its
contract prices, read from the ERP and cached per company.

The cache keeps the last good read for a day; it is *fresh* for
B2B_PRICE_MAX_AGE_SECONDS. Browsing uses a stale copy, labelled with its age,
when the ERP cannot be reached; checkout never does (`price_book(...,
fresh=True)` reads the ERP or raises).
"""

import logging
import time
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache

from integrations.connectors.catalog_records import Availability, CatalogItem
from integrations.connectors.errors import ConnectorError, NotFoundError
from integrations.erps.catalogs import portal_erp_for
from portal.exceptions import ApplicationError
from portal.money import to_minor

from . import conf
from .models import Company

logger = logging.getLogger(__name__)

KEEP_SECONDS = 24 * 3600
# One request per company reads the ERP at a time; the others wait this long
# at most for its book, polling the cache.
READ_LOCK_SECONDS = 10
READ_WAIT_STEP = 0.05
# After an ERP failure, browsing uses what is cached for this long without
# asking the ERP again (checkout always asks).
ERP_DOWN_SECONDS = 30
# Counts ERP reads, for the benchmark and the tests (never for logic).
erp_calls = {"count": 0}


class CatalogUnavailable(ApplicationError):
    """The ERP cannot be read and nothing is cached to show instead."""

    status_code = 503


@dataclass(frozen=True)
class Break:
    quantity: int
    unit_price: int  # minor units


@dataclass(frozen=True)
class PricedItem:
    code: str
    description: str
    unit: str
    category: str
    list_price: int  # the price list's price, minor units
    contract_price: int | None
    breaks: tuple[Break, ...] = ()

    def unit_price(self, quantity: int = 1) -> int:
        """The contract price when there is one (SYSPRO prices a contract
        before the price code), else the best quantity break reached."""
        if self.contract_price is not None:
            return self.contract_price
        price = self.list_price
        for price_break in self.breaks:
            if quantity >= price_break.quantity:
                price = min(price, price_break.unit_price)
        return price


@dataclass(frozen=True)
class PriceBook:
    company_id: int
    currency: str
    items: dict[str, PricedItem]
    fetched_at: float
    fresh: bool

    @property
    def age_seconds(self) -> int:
        return max(0, int(time.time() - self.fetched_at))

    @property
    def categories(self) -> list[str]:
        return sorted({item.category for item in self.items.values() if item.category})


def _key(company: Company) -> str:
    return f"b2b:prices:{company.pk}:{company.price_code}:{company.currency}"


def _minor(amount: Decimal, currency: str) -> int | None:
    try:
        return to_minor(amount, currency)
    except ValueError:
        # A price finer than the currency (SYSPRO keeps more decimals than
        # a currency has): such an item cannot be sold in whole minor units.
        return None


def _priced(
    items: list[CatalogItem], contracts: dict[str, Decimal], currency: str
) -> dict[str, PricedItem]:
    priced = {}
    for item in items:
        list_price = _minor(item.price, currency)
        if list_price is None:
            logger.warning(
                "ERP price finer than the currency", extra={"stock_code": item.code}
            )
            continue
        contract = contracts.get(item.code)
        breaks = tuple(
            Break(quantity=int(b.quantity), unit_price=minor)
            for b in item.breaks
            if (minor := _minor(b.price, currency)) is not None
        )
        priced[item.code] = PricedItem(
            code=item.code,
            description=item.description,
            unit=item.unit,
            category=item.category,
            list_price=list_price,
            contract_price=_minor(contract, currency) if contract is not None else None,
            breaks=breaks,
        )
    return priced


def _read(company: Company) -> PriceBook:
    reader = portal_erp_for(company.integration.erp_connection)
    items = reader.price_list(price_code=company.price_code, currency=company.currency)
    contracts = reader.contract_prices(customer_code=company.erp_customer_code)
    erp_calls["count"] += 2
    return PriceBook(
        company_id=company.pk,
        currency=company.currency,
        items=_priced(items, {c.code: c.price for c in contracts}, company.currency),
        fetched_at=time.time(),
        fresh=True,
    )


# Books this process has unpickled, by cache key: a catalog page then reads
# only the book's small stamp from the shared cache, not the whole book.
_memo: dict[str, PriceBook] = {}
MEMO_SIZE = 512


def _cached_book(key: str) -> PriceBook | None:
    stamp = cache.get(f"{key}:stamp")
    if stamp is None:
        return None
    book = _memo.get(key)
    if book is not None and book.fetched_at == stamp:
        return book
    book = cache.get(key)
    if book is not None and book.fetched_at == stamp:
        if len(_memo) >= MEMO_SIZE:
            _memo.clear()
        _memo[key] = book
    return book


def _cache_book(key: str, book: PriceBook) -> None:
    cache.set_many({key: book, f"{key}:stamp": book.fetched_at}, KEEP_SECONDS)


def price_book(*, company: Company, fresh: bool = False) -> PriceBook:
    """The company's prices: cached while fresh; read again when not (or
    when `fresh`); the last good copy, marked stale, when the ERP fails and
    `fresh` is not asked for."""
    key = _key(company)
    cached = _cached_book(key)
    if not fresh and _is_fresh(cached):
        return cached
    if not fresh and cached is not None and _erp_down(company):
        # The ERP failed moments ago: show the last prices at once rather
        # than wait for it again on every page.
        return _stale(cached)
    reading = not fresh and cache.add(f"{key}:reading", 1, READ_LOCK_SECONDS)
    if not fresh and not reading:
        # Another request is reading this company's prices: wait for its
        # book rather than asking the ERP the same question again.
        waited = _book_awaited(key)
        if waited is not None:
            return waited
    try:
        book = _read(company)
        # Stored before the read lock goes, so waiters find it.
        _cache_book(key, book)
        cache.delete(_erp_down_key(company))
    except ConnectorError as exc:
        logger.warning(
            "ERP prices unavailable",
            extra={"company_id": company.pk, "error_class": exc.code},
        )
        _erp_down_note(company)
        if fresh:
            raise CatalogUnavailable(
                "The ERP cannot be reached to confirm today's prices, so orders "
                "cannot be placed right now. Your cart is kept: try again in a "
                "few minutes."
            ) from None
        if cached is None:
            raise CatalogUnavailable(
                "The catalog cannot be read from the ERP right now. Try again "
                "in a few minutes."
            ) from None
        return _stale(cached)
    finally:
        if reading:
            cache.delete(f"{key}:reading")
    return book


def _stale(book: PriceBook) -> PriceBook:
    return PriceBook(
        company_id=book.company_id,
        currency=book.currency,
        items=book.items,
        fetched_at=book.fetched_at,
        fresh=False,
    )


def _erp_down_key(company: Company) -> str:
    return f"b2b:erp-down:{company.integration.erp_connection_id}"


def _erp_down(company: Company) -> bool:
    return cache.get(_erp_down_key(company)) is not None


def _erp_down_note(company: Company) -> None:
    cache.set(_erp_down_key(company), 1, ERP_DOWN_SECONDS)


def _is_fresh(book: PriceBook | None) -> bool:
    return book is not None and time.time() - book.fetched_at < conf.price_max_age()


def _book_awaited(key: str) -> PriceBook | None:
    deadline = time.monotonic() + READ_LOCK_SECONDS
    while time.monotonic() < deadline:
        time.sleep(READ_WAIT_STEP)
        book = _cached_book(key)
        if _is_fresh(book):
            return book
        if cache.get(f"{key}:reading") is None:
            return None
    return None


def _stock_key(company: Company, code: str) -> str:
    return f"b2b:stock:{company.integration.erp_connection_id}:{code}"


def availability(*, company: Company, code: str) -> Availability | None:
    """Stock on hand of one item, cached briefly; None when unknown."""
    return availabilities(company=company, codes=[code]).get(code)


def availabilities(
    *, company: Company, codes: list[str]
) -> dict[str, Availability | None]:
    """Stock on hand of several items: one cache round trip, then the ERP for
    those not cached (None when the ERP cannot say)."""
    keys = {_stock_key(company, code): code for code in codes}
    cached = cache.get_many(list(keys))
    found: dict[str, Availability | None] = {
        keys[key]: value for key, value in cached.items()
    }
    missing = [code for code in codes if code not in found]
    if not missing or _erp_down(company):
        return {code: found.get(code) for code in codes}
    reader = portal_erp_for(company.integration.erp_connection)
    fresh = {}
    for index, code in enumerate(missing):
        try:
            stock = reader.availability(code=code)
        except NotFoundError:
            found[code] = None
            continue
        except ConnectorError:
            # The ERP is failing: the rest are unknown too, not asked one
            # by one.
            _erp_down_note(company)
            for rest in missing[index:]:
                found[rest] = None
            break
        erp_calls["count"] += 1
        found[code] = fresh[_stock_key(company, code)] = stock
    if fresh:
        cache.set_many(fresh, conf.stock_max_age())
    return found
