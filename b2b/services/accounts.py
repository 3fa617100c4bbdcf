"""Buyers: invited by staff, one company each, never staff; audited."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from integrations.audit import audit_record
from portal.exceptions import ApplicationError

from ..models import Buyer, Company
from ..tokens import invitation_tokens


class InvitationRefused(ApplicationError):
    pass


def invitation_path(*, user: AbstractBaseUser) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_tokens.make_token(user)
    return reverse("b2b:invitation", kwargs={"uidb64": uid, "token": token})


def login_exists(*, email: str) -> bool:
    user_model = get_user_model()
    return (
        user_model.objects.filter(username__iexact=email).exists()
        or user_model.objects.filter(email__iexact=email).exists()
    )


def buyer_invite(
    *,
    email: str,
    company: Company,
    role: str,
    actor: AbstractBaseUser | None,
    base_url: str,
) -> Buyer:
    """Create the buyer's login (no password yet) and email a one-time link
    to set one. An address that already has a login is refused: one person,
    one company."""
    email = email.strip().lower()
    user_model = get_user_model()
    if login_exists(email=email):
        raise InvitationRefused(
            f"{email} already has a login; a person belongs to one company only."
        )
    with transaction.atomic():
        user = user_model(username=email, email=email, is_staff=False)
        user.set_unusable_password()
        user.save()
        buyer = Buyer.objects.create(
            user=user,
            company=company,
            role=role,
            invited_at=timezone.now(),
            invited_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(
            actor=actor,
            action="b2b.buyer.invite",
            target=buyer,
            after={"email": email, "company": company.pk, "role": role},
        )
        transaction.on_commit(lambda: _send_invitation(buyer, base_url))
    return buyer


def buyer_invitation_resend(
    *, buyer: Buyer, actor: AbstractBaseUser | None, base_url: str
) -> bool:
    """Send the link again; False once the buyer has set a password."""
    if buyer.user.has_usable_password():
        return False
    audit_record(actor=actor, action="b2b.buyer.invite_again", target=buyer)
    _send_invitation(buyer, base_url)
    return True


def _send_invitation(buyer: Buyer, base_url: str) -> None:
    link = base_url.rstrip("/") + invitation_path(user=buyer.user)
    context = {"buyer": buyer, "company": buyer.company, "link": link}
    send_mail(
        subject=f"Your {buyer.company.name} ordering portal login",
        message=render_to_string("b2b/email/invitation.txt", context),
        from_email=None,
        recipient_list=[buyer.user.email],
    )


def view_as_start(*, actor: AbstractBaseUser, company: Company) -> None:
    """Record that a staff member looks at the portal as `company` sees it."""
    audit_record(
        actor=actor,
        action="b2b.view_as",
        target=company,
        after={"company": company.pk, "customer": company.erp_customer_code},
    )


def buyer_demo_ensure(
    *,
    integration,
    customer_code: str,
    company_name: str,
    currency: str,
    price_code: str,
    order_limit: int,
    email: str,
    role: str,
    password: str,
) -> Buyer:
    """A demo company and buyer with a known password (setup_sandbox only);
    safe to run again: the password is set anew."""
    with transaction.atomic():
        company, _ = Company.objects.update_or_create(
            integration=integration,
            erp_customer_code=customer_code,
            defaults={
                "name": company_name,
                "currency": currency,
                "price_code": price_code,
                "order_limit": order_limit,
                "is_active": True,
            },
        )
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(
            username=email, defaults={"email": email}
        )
        user.is_staff = user.is_superuser = False
        user.set_password(password)
        user.save()
        buyer, _ = Buyer.objects.update_or_create(
            user=user, defaults={"company": company, "role": role}
        )
    return buyer
