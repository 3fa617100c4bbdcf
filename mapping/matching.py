"""Go-live customer matching: which key pairs ERP customers with Stripe customers.

Before the first payment flows, the ERP already has customers and Stripe has
its own. Each candidate key (tax id, email, name + postcode, name) is scored
on the records themselves: how many ERP customers carry it, how many of
those find exactly one Stripe customer, and how far the key can be trusted
when it does (a shared accounts mailbox or a common company name pairs the
wrong records). The best key is proposed with a confidence, and so is a
match per ERP customer, from the most trusted key that pairs it alone; two
keys that point at different Stripe customers are a conflict for a person,
not a match. Pure functions over canonical records: nothing here reads the
database or a connector.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from integrations.connectors.records import ErpCustomer


@dataclass(frozen=True)
class StripeCustomer:
    """What matching compares of a Stripe customer."""

    stripe_id: str
    name: str = ""
    email: str = ""
    postal_code: str = ""
    tax_ids: tuple[str, ...] = ()


def stripe_customer_of(obj: Mapping[str, Any]) -> StripeCustomer:
    """A Stripe customer object (API shape) as the facts matching compares."""
    address = obj.get("address") or {}
    tax_ids = obj.get("tax_ids") or {}
    items = tax_ids.get("data") if isinstance(tax_ids, Mapping) else tax_ids
    return StripeCustomer(
        stripe_id=str(obj.get("id") or ""),
        name=str(obj.get("name") or ""),
        email=str(obj.get("email") or ""),
        postal_code=str(address.get("postal_code") or "")
        if isinstance(address, Mapping)
        else "",
        tax_ids=tuple(
            str(item.get("value"))
            for item in items or ()
            if isinstance(item, Mapping) and item.get("value")
        ),
    )


# ---------------------------------------------------------------- normalising

_LEGAL_FORMS = {
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "plc",
    "co",
    "corp",
    "corporation",
    "company",
    "gmbh",
    "ag",
    "kg",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "oy",
    "ab",
    "as",
    "pty",
    "the",
    "and",
}


def normal_email(text: str) -> tuple[str, ...]:
    """An ERP email field may hold several addresses (; or , between them)."""
    return tuple(
        part.strip().lower() for part in re.split(r"[;,\s]+", text or "") if "@" in part
    )


def normal_tax_id(text: str) -> tuple[str, ...]:
    """The id as given and without a two-letter country prefix (DE123 → 123)."""
    plain = re.sub(r"[^A-Z0-9]", "", (text or "").upper())
    if len(plain) < 5:
        return ()
    if plain[:2].isalpha() and plain[2:].isdigit():
        return (plain, plain[2:])
    return (plain,)


def normal_name(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text or "")
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    words = re.findall(r"[a-z0-9]+", folded)
    return " ".join(w for w in words if w not in _LEGAL_FORMS)


def normal_postcode(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())


def _name_postcode(name: str, postcode: str) -> tuple[str, ...]:
    name, code = normal_name(name), normal_postcode(postcode)
    return (f"{name}|{code}",) if name and code else ()


# key → (how to read it on each side, how far a unique pairing is trusted)
KeyReader = Callable[[Any], tuple[str, ...]]
KEYS: dict[str, tuple[KeyReader, KeyReader, float]] = {
    "tax_id": (
        lambda c: normal_tax_id(c.tax_id),
        lambda s: tuple(v for t in s.tax_ids for v in normal_tax_id(t)),
        0.98,
    ),
    "email": (
        lambda c: normal_email(c.email),
        lambda s: normal_email(s.email),
        0.95,
    ),
    "name_postcode": (
        lambda c: _name_postcode(c.name, c.postal_code),
        lambda s: _name_postcode(s.name, s.postal_code),
        0.92,
    ),
    "name": (
        lambda c: (normal_name(c.name),) if normal_name(c.name) else (),
        lambda s: (normal_name(s.name),) if normal_name(s.name) else (),
        0.7,
    ),
}
KEY_LABELS = {
    "tax_id": "tax id",
    "email": "email",
    "name_postcode": "name and postcode",
    "name": "name",
}


@dataclass(frozen=True)
class KeyReport:
    key: str
    coverage: float  # share of ERP customers that carry the key
    unique: int  # ERP customers it pairs with exactly one Stripe customer
    ambiguous: int  # ERP customers it pairs with several
    confidence: float  # how likely a pairing by this key is right, overall

    @property
    def label(self) -> str:
        return KEY_LABELS[self.key]


@dataclass(frozen=True)
class Match:
    erp_code: str
    erp_name: str
    stripe_id: str
    stripe_name: str
    keys: tuple[str, ...]  # every key that pairs these two alone
    confidence: float
    conflict: str = ""  # another key points elsewhere: a person decides

    @property
    def key_labels(self) -> str:
        return ", ".join(KEY_LABELS[k] for k in self.keys)


@dataclass(frozen=True)
class MatchProposal:
    keys: tuple[KeyReport, ...]  # best first
    matches: tuple[Match, ...]
    unmatched_erp: tuple[str, ...] = field(default=())

    @property
    def best_key(self) -> KeyReport | None:
        return self.keys[0] if self.keys else None


def _pairs_by_key(
    key: str, erp: list[ErpCustomer], stripe: list[StripeCustomer]
) -> tuple[dict[str, str], int, int]:
    """ERP code → the one Stripe id the key pairs it with; covered and ambiguous."""
    read_erp, read_stripe, _ = KEYS[key]
    index: dict[str, set[str]] = defaultdict(set)
    for customer in stripe:
        for value in read_stripe(customer):
            index[value].add(customer.stripe_id)
    claims: dict[str, set[str]] = {}
    covered = 0
    for customer in erp:
        values = read_erp(customer)
        if not values:
            continue
        covered += 1
        claims[customer.code] = set().union(*(index.get(v, set()) for v in values))
    # A Stripe customer claimed by two ERP customers pairs neither.
    claimed_by: dict[str, int] = defaultdict(int)
    for found in claims.values():
        for stripe_id in found:
            claimed_by[stripe_id] += 1
    unique, ambiguous = {}, 0
    for code, found in claims.items():
        if len(found) == 1 and claimed_by[next(iter(found))] == 1:
            unique[code] = next(iter(found))
        elif len(found) > 1 or any(claimed_by[s] > 1 for s in found):
            ambiguous += 1
    return unique, covered, ambiguous


def propose_matches(
    *,
    erp_customers: Iterable[ErpCustomer],
    stripe_customers: Iterable[StripeCustomer],
) -> MatchProposal:
    """The matching keys ranked, and a proposed match per ERP customer."""
    erp = [c for c in erp_customers if c.code]
    stripe = [c for c in stripe_customers if c.stripe_id]
    names = {c.stripe_id: c.name for c in stripe}
    reports, by_key = [], {}
    for key, (_, _, trust) in KEYS.items():
        unique, covered, ambiguous = _pairs_by_key(key, erp, stripe)
        by_key[key] = unique
        coverage = covered / len(erp) if erp else 0.0
        pair_rate = len(unique) / covered if covered else 0.0
        reports.append(
            KeyReport(
                key=key,
                coverage=round(coverage, 3),
                unique=len(unique),
                ambiguous=ambiguous,
                confidence=round(trust * pair_rate * coverage, 3),
            )
        )
    reports.sort(key=lambda r: (-r.confidence, -r.unique))
    matches, unmatched = [], []
    for customer in erp:
        found = {
            key: pairs[customer.code]
            for key, pairs in by_key.items()
            if customer.code in pairs
        }
        if not found:
            unmatched.append(customer.code)
            continue
        targets = set(found.values())
        ordered = [k for k in KEYS if k in found]
        best = found[ordered[0]]
        agreeing = tuple(k for k in ordered if found[k] == best)
        miss = 1.0
        for key in agreeing:
            miss *= 1.0 - KEYS[key][2]
        conflict = ""
        if len(targets) > 1:
            others = sorted(t for t in targets if t != best)
            conflict = f"{', '.join(others)} by another key"
        matches.append(
            Match(
                erp_code=customer.code,
                erp_name=customer.name,
                stripe_id=best,
                stripe_name=names.get(best, ""),
                keys=agreeing,
                confidence=round(0.5 if conflict else 1.0 - miss, 3),
                conflict=conflict,
            )
        )
    matches.sort(key=lambda m: (bool(m.conflict), -m.confidence, m.erp_code))
    return MatchProposal(
        keys=tuple(reports), matches=tuple(matches), unmatched_erp=tuple(unmatched)
    )
