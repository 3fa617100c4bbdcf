"""Who is looking at the portal, for which company.

A buyer sees their own company only. A staff member with the permission to
view companies may look at one company's portal ("view as"), read-only and
audited. Nobody else gets past `portal_view`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from . import selectors
from .models import Buyer, Company

VIEW_AS_SESSION_KEY = "b2b_view_as"
VIEW_AS_PERMISSION = "b2b.view_company"


@dataclass(frozen=True)
class Visitor:
    company: Company
    buyer: Buyer | None  # None when staff view as the company
    user: AbstractBaseUser

    @property
    def is_staff_view(self) -> bool:
        return self.buyer is None

    @property
    def can_order(self) -> bool:
        return self.buyer is not None and self.buyer.can_order

    @property
    def can_approve(self) -> bool:
        return self.buyer is not None and self.buyer.can_approve


def visitor_of(request: HttpRequest) -> Visitor | None:
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_staff:
        if not user.has_perm(VIEW_AS_PERMISSION):
            return None
        company_id = request.session.get(VIEW_AS_SESSION_KEY)
        company = (
            Company.objects.select_related("integration").filter(pk=company_id).first()
            if isinstance(company_id, int)
            else None
        )
        if company is None:
            return None
        return Visitor(company=company, buyer=None, user=user)
    buyer = selectors.buyer_of(user=user)
    if buyer is None:
        return None
    return Visitor(company=buyer.company, buyer=buyer, user=user)


def portal_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only a buyer (or staff viewing as a company) reaches `view`, with
    `request.visitor` set."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        visitor = visitor_of(request)
        if visitor is None:
            if request.user.is_authenticated and request.user.is_staff:
                return HttpResponseRedirect(reverse("b2b:view_as"))
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('b2b:login')}?{query}")
        request.visitor = visitor
        return view(request, *args, **kwargs)

    return wrapped
