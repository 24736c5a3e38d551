"""Writes for people's data rights: erasure requests, and erasing with a goodbye email."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.people.models import ErasureRequest, User

from .erasure import ErasureReport, person_erase


def erasure_request(*, user: User, reason: str = "") -> bool:
    """The person asks to be erased; returns False if they had asked already (a double
    click or a retried post asks once)."""
    try:
        with transaction.atomic():
            ErasureRequest.objects.create(user=user, reason=(reason or "").strip()[:1000])
    except IntegrityError:
        ErasureRequest.objects.filter(user=user, declined_at__isnull=False).update(
            declined_at=None, decline_reason="", requested_at=timezone.now()
        )
        return False
    return True


def erasure_decline(*, erasure: ErasureRequest, reason: str) -> None:
    erasure.declined_at = timezone.now()
    erasure.decline_reason = reason
    erasure.save(update_fields=["declined_at", "decline_reason"])
    send_mail(
        subject=f"Your erasure request at {settings.WAGTAIL_SITE_NAME}",
        message=f"The programme team declined your request to erase your data:\n\n{reason}\n",
        from_email=None,
        recipient_list=[erasure.user.email],
        fail_silently=True,
    )


def erase_and_tell(*, user: User, by: User | None = None) -> ErasureReport:
    """Erase the person, then tell them at the address they had (nothing else is kept)."""
    email = user.email
    report = person_erase(user=user, by=by)
    send_mail(
        subject=f"Your data at {settings.WAGTAIL_SITE_NAME} is erased",
        message="As you asked, the portal no longer holds your data. Badges you shared now "
        "show as no longer available.\n",
        from_email=None,
        recipient_list=[email],
        fail_silently=True,
    )
    return report
