"""Signing in and out: with a password, or with the company's identity provider."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse
from django.utils.http import urlencode

from . import oidc, saml


@dataclass(frozen=True)
class Provider:
    name: str
    url: str


def providers(next_url: str = "") -> list[Provider]:
    """The single sign-on buttons the sign-in pages offer, in order."""
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    found = []
    if oidc.enabled():
        found.append(
            Provider(settings.OIDC_PROVIDER_NAME, reverse("oidc_authentication_init") + query)
        )
    if saml.enabled():
        found.append(Provider(settings.SAML_PROVIDER_NAME, reverse("saml2_login") + query))
    return found


class SignIn(auth_views.LoginView):
    """The sign-in page: "Sign in with <company>" where single sign-on is set up, and the
    password form unless ``PASSWORD_SIGN_IN`` hides it (``?password=1`` shows it still,
    for administrators' break-glass accounts)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        found = providers(self.get_redirect_url())
        context["providers"] = found
        context["password_form"] = (
            settings.PASSWORD_SIGN_IN
            or not found
            or self.request.method == "POST"
            or self.request.GET.get("password") == "1"
        )
        return context


class SignOut(auth_views.LogoutView):
    """Signing out ends the provider's session too where the person signed in there."""

    provider_url: str | None = None

    def post(self, request, *args, **kwargs):
        self.provider_url = oidc.logout_url(request)  # before the session ends
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        return self.provider_url or super().get_success_url()
