"""The audit log: who did what, when, in Wagtail's log entries (Reports → Site history in
the Wagtail admin, filtered by what each admin may see; programme admins see people,
pairings and settings). Sign-ins and failed sign-ins at an account, two-step sign-in
turned on or off, imports, pairings set by hand, points adjustments and erasures are
logged here; Wagtail logs edits of settings and snippets itself. No entry holds an
address; sign-in entries are kept for ``SECURITY_LOG_DAYS`` (``portal.people.audit``
holds the people side: sign-ins, erasures, retention).
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.functional import LazyObject, empty
from wagtail.log_actions import log

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
    "identity.scim_token_create": ("Make a SCIM token", "SCIM token made"),
    "identity.scim_token_revoke": ("Revoke a SCIM token", "SCIM token revoked"),
}
# Entries that only matter for security, and go after SECURITY_LOG_DAYS.
SECURITY_ACTIONS = ("people.sign_in", "people.sign_in_failed")


def audit(
    instance,
    action: str,
    *,
    by: AbstractBaseUser | None = None,
    data: dict | None = None,
    title: str = "",
):
    """One entry in the audit log about ``instance``, done by ``by``."""
    assert action in ACTIONS, action  # a programming error, not input
    # request.user is lazy (and lies about its class): Wagtail finds the log by type.
    while issubclass(type(instance), LazyObject):
        if instance._wrapped is empty:
            instance._setup()
        instance = instance._wrapped
    extra = {"title": title} if title else {}
    return log(instance=instance, action=action, user=by, data=data or {}, **extra)
