"""`{{ minor|money:currency }}`: minor units shown in units (portal.money)."""

from django import template

from portal.money import money_format

register = template.Library()


@register.filter
def money(minor: int | None, currency: str) -> str:
    """'—' for no amount; an unknown code is shown as given (escaped by the
    template), with two decimals like any currency not listed as otherwise."""
    if minor is None or minor == "":
        return "—"
    return money_format(int(minor), str(currency or ""))
