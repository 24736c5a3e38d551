"""Send people who have not finished onboarding there before anything else: pages
redirect to it, and posts (anything that changes something) are refused."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

# Paths a person may reach before onboarding: the step itself, signing out, the admin
# (its own login and screens), and everything that is not a page.
ALLOWED_PREFIXES = (
    "/onboarding/",
    "/accounts/",
    "/admin/",
    "/django-admin/",
    "/static/",
    "/media/",
    "/healthz",
    "/favicon",
    # Data rights hold before onboarding too: the notice, one's data, erasure.
    "/privacy/",
    "/me/privacy/",
)


class OnboardingRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not _onboarded(user)
        ):
            if request.method not in ("GET", "HEAD"):
                raise PermissionDenied("Finish the onboarding step first.")
            next_query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('people:onboarding')}?{next_query}")
        return self.get_response(request)


def _onboarded(user) -> bool:
    profile = getattr(user, "profile", None)
    return profile is not None and profile.onboarded_at is not None
