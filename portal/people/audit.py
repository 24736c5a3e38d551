"""The audit log: who did what, when, in Wagtail's log entries (Reports → Site history in
the Wagtail admin, filtered by what each admin may see; programme admins see people,
pairings and settings). Sign-ins and failed sign-ins at an account, two-step sign-in
turned on or off, imports, pairings set by hand, points adjustments and erasures are
logged here; Wagtail logs edits of settings and snippets itself. No entry holds an
address; sign-in entries are kept for ``SECURITY_LOG_DAYS``.
"""

from django.db.models import Q
from django.utils.functional import LazyObject, empty
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from .models import User

ACTIONS = {
    # action: (what the admin does, what the log says happened)
    "people.sign_in": ("Sign in", "Signed in"),
    "people.sign_in_failed": ("Failed sign-in", "Failed sign-in (wrong password or locked)"),
    "people.two_factor_on": ("Turn on two-step sign-in", "Two-step sign-in turned on"),
    "people.two_factor_off": ("Turn off two-step sign-in", "Two-step sign-in turned off"),
    "people.import": ("Import people", "People imported"),
    "people.erase": ("Erase a person", "Person erased"),
    "activity.points_adjust": ("Adjust points", "Points adjusted"),
    "mentoring.pair": ("Pair mentor and mentee", "Mentor and mentee paired"),
}
# Entries that only matter for security, and go after SECURITY_LOG_DAYS.
SECURITY_ACTIONS = ("people.sign_in", "people.sign_in_failed")


def audit(instance, action: str, *, by=None, data: dict | None = None, title: str = ""):
    """One entry in the audit log about ``instance``, done by ``by``."""
    assert action in ACTIONS, action  # a programming error, not input
    # request.user is lazy (and lies about its class): Wagtail finds the log by type.
    while issubclass(type(instance), LazyObject):
        if instance._wrapped is empty:
            instance._setup()
        instance = instance._wrapped
    extra = {"title": title} if title else {}
    return log(instance=instance, action=action, user=by, data=data or {}, **extra)


def audit_erasure(*, user_id: int, by, report) -> None:
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


def signed_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in``."""
    audit(user, "people.sign_in", by=user)


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """``user_login_failed``: logged at the account tried, if there is one (attempts at
    addresses nobody has are in django-axes' failure log)."""
    email = str((credentials or {}).get("username") or "")[:254]
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is not None:
        audit(user, "people.sign_in_failed", data={"path": getattr(request, "path", "")[:100]})
