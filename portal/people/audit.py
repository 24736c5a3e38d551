"""The people side of the audit log (``portal.audit``): sign-ins and failed sign-ins at
an account, erasures, and which entries only matter for security."""

from django.db.models import Q
from wagtail.models import ModelLogEntry

from portal.audit import SECURITY_ACTIONS, audit

from .models import User


def audit_erasure(*, user_id: int, by: User | None, report) -> None:
    """An erasure leaves one entry: that a person was erased, by whom, and how much went;
    no name or email (the entry outlives the person by design)."""
    audit(
        User(pk=user_id),
        "people.erase",
        by=by,
        title=f"Erased person #{user_id}",
        data={
            "removed": sum(report.removed.values()),
            "pseudonymised": sum(report.pseudonymised.values()),
        },
    )


def security_entries_before(cutoff):
    return ModelLogEntry.objects.filter(Q(action__in=SECURITY_ACTIONS), timestamp__lt=cutoff)


# --- sign-ins ---------------------------------------------------------------------------


def signed_in(sender, request, user: User, **kwargs) -> None:
    """``user_logged_in``."""
    audit(user, "people.sign_in", by=user)


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """``user_login_failed``: logged at the account tried, if there is one (attempts at
    addresses nobody has are in django-axes' failure log)."""
    email = str((credentials or {}).get("username") or "")[:254]
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is not None:
        audit(user, "people.sign_in_failed", data={"path": getattr(request, "path", "")[:100]})
