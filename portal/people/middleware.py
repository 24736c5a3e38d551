"""Send people who have not finished onboarding there before anything else."""

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
)


class OnboardingRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not _onboarded(user)
        ):
            next_query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('people:onboarding')}?{next_query}")
        return self.get_response(request)


def _onboarded(user) -> bool:
    profile = getattr(user, "profile", None)
    return profile is not None and profile.onboarded_at is not None
