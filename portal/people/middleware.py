"""Before anything else: the second sign-in step for people who have one (or must), then
onboarding for people who have not finished it. Pages redirect there, and posts
(anything that changes something) are refused."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from .models import User
from .twofactor import state_of

# The installable app's files (portal/pwa.py) and the scripts' words: not pages, needed
# on every page.
PWA_PATHS = ("/manifest.webmanifest", "/service-worker.js", "/app-icon-", "/offline/", "/jsi18n/")

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
    *PWA_PATHS,
    # Data rights hold before onboarding too: the notice, one's data, erasure.
    "/privacy/",
    "/me/privacy/",
    "/me/security/",
)


# Paths open to a person who signed in with a password and still owes the code: signing
# in and out, the code page itself, and what is not a page. (Setting up a second factor,
# /me/security/, is open too when they must have one and have none yet.)
TWO_FACTOR_OPEN = ("/accounts/", "/static/", "/healthz", "/favicon", *PWA_PATHS)


class TwoFactorMiddleware:
    """After ``django_otp.middleware.OTPMiddleware``: a person with a second factor sees
    nothing until they enter a code, and one who must have one (programme admins) sets it
    up first. The session says which applies, so people without 2FA pay no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(TWO_FACTOR_OPEN):
            state = state_of(request)
            target = None
            if state["device"] and not user.is_verified():
                target = reverse("people:two_factor")
            elif (
                state["required"]
                and not state["device"]
                and not request.path.startswith(reverse("people:security"))
            ):
                target = reverse("people:security")
            if target:
                if request.method not in ("GET", "HEAD"):
                    raise PermissionDenied("Enter the code from your authenticator app first.")
                next_query = urlencode({"next": request.get_full_path()})
                return redirect(f"{target}?{next_query}")
        return self.get_response(request)


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


def _onboarded(user: User) -> bool:
    profile = getattr(user, "profile", None)
    return profile is not None and profile.onboarded_at is not None


class LanguageMiddleware:
    """After authentication: a person's own language choice (their profile) wins over the
    browser's, which ``LocaleMiddleware`` chose before the person was known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            profile = getattr(user, "profile", None)
            if profile is not None and profile.language:
                translation.activate(profile.language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
