"""Single sign-on with OpenID Connect (mozilla-django-oidc), configured by the issuer.

The provider's endpoints come from its discovery document
(``OIDC_ISSUER/.well-known/openid-configuration``), fetched when first needed and cached,
so a provider that is down never stops the portal from starting, nor anyone from signing
in with a password; it stops only "Sign in with ...", with a page that says so.

A person the provider vouches for is created or updated at each sign-in from the claims
(``OIDC_CLAIMS``), by the import's rules (``portal.people.importing.person_sync``).
Signing out of the portal ends the provider's session too where it offers that
(RP-initiated logout), with the ID token the session kept.
"""

import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from portal.errors import Unavailable, refused

from .claims import UnusableClaims, person_from_claims

logger = logging.getLogger(__name__)

DISCOVERY_SECONDS = 3600
REQUIRED_METADATA = ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint")
# Where mozilla-django-oidc keeps the ID token in the session (OIDC_STORE_ID_TOKEN).
ID_TOKEN_KEY = "oidc_id_token"  # noqa: S105 (a session key, not a secret)


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def metadata() -> dict:
    """The provider's discovery document; raises ``Unavailable`` with what went wrong."""
    issuer = settings.OIDC_ISSUER
    key = f"identity:oidc:metadata:{issuer}"
    document = cache.get(key)
    if document is not None:
        return document
    url = f"{issuer}/.well-known/openid-configuration"
    name = settings.OIDC_PROVIDER_NAME
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        logger.warning("OpenID Connect discovery failed at %s: %s", url, type(error).__name__)
        raise Unavailable(
            f"Sign-in with {name} is unavailable: the identity provider did not answer "
            f"at {url}. Try again in a moment, or tell your programme admin."
        ) from None
    missing = [field for field in REQUIRED_METADATA if not isinstance(document.get(field), str)]
    if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != issuer:
        missing.insert(0, "a matching issuer")
    if missing:
        raise Unavailable(
            f"Sign-in with {name} is unavailable: the identity provider's discovery "
            f"document at {url} lacks {', '.join(missing)}. Check OIDC_ISSUER."
        )
    cache.set(key, document, DISCOVERY_SECONDS)
    return document


def _endpoint(name: str):
    return property(lambda self: metadata()[name])


class Backend(OIDCAuthenticationBackend):
    """Signs in whoever the provider vouches for, created or updated just in time."""

    OIDC_OP_AUTHORIZATION_ENDPOINT = _endpoint("authorization_endpoint")
    OIDC_OP_TOKEN_ENDPOINT = _endpoint("token_endpoint")
    OIDC_OP_USER_ENDPOINT = _endpoint("userinfo_endpoint")
    OIDC_OP_JWKS_ENDPOINT = _endpoint("jwks_uri")

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every sign-in, password ones too: nothing here
        # may reach the provider (the endpoints above are read when a callback needs them).
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        # Only the callback (which passes the nonce) signs in here; a password form posted
        # to a URL that happens to carry ?code=&state= does not.
        if not enabled() or request is None or "nonce" not in kwargs or "password" in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, Unavailable) as error:
            logger.warning("OpenID Connect sign-in failed: %s", type(error).__name__)
            request.sign_in_problem = gettext("the identity provider did not answer")
        except UnusableClaims as error:
            request.sign_in_problem = str(error)
        return None

    def verify_claims(self, claims) -> bool:
        # An address the provider marks as unverified is not who it claims to be.
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims):
        email = claims.get("email")
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email=email.strip().lower())

    def create_user(self, claims):
        return person_from_claims(claims.get("email"), claims, settings.OIDC_CLAIMS)

    def update_user(self, user, claims):
        return person_from_claims(claims.get("email"), claims, settings.OIDC_CLAIMS)


class SignInStart(OIDCAuthenticationRequestView):
    """``/oidc/authenticate/``: off to the provider (with state, nonce and PKCE)."""

    def __init__(self, *args, **kwargs):
        # The endpoint is read in get(), so that a provider that is down gives a page.
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not enabled():
            raise Http404("Single sign-on with OpenID Connect is not set up.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = metadata()["authorization_endpoint"]
        except Unavailable as error:
            return refused(request, error, back_url=reverse("identity:login"))
        return super().get(request)


class SignInCallback(OIDCAuthenticationCallbackView):
    """``/oidc/callback/``: the provider's answer; a failure goes back to the sign-in page
    with what went wrong."""

    @property
    def failure_url(self):
        return reverse("identity:login")

    def get(self, request):
        if not enabled():
            raise Http404("Single sign-on with OpenID Connect is not set up.")
        if "oidc_states" in request.session and not isinstance(
            request.session["oidc_states"], dict
        ):
            raise SuspiciousOperation("Unreadable sign-in state.")
        return super().get(request)

    def login_failure(self):
        problem = getattr(self.request, "sign_in_problem", "")
        if not problem and getattr(self, "user", None) is not None:
            problem = gettext("this account is no longer active")
        if not problem and self.request.GET.get("error"):
            problem = gettext("the identity provider did not sign you in")
        provider = settings.OIDC_PROVIDER_NAME
        messages.error(
            self.request,
            gettext("Sign-in with %(provider)s did not complete: %(problem)s.")
            % {"provider": provider, "problem": problem}
            if problem
            else gettext("Sign-in with %(provider)s did not complete.") % {"provider": provider},
        )
        return super().login_failure()


def logout_url(request) -> str | None:
    """Where to end the provider's session too, for a session that signed in through it
    (read before the portal's session ends); None otherwise."""
    id_token = request.session.get(ID_TOKEN_KEY)
    if not enabled() or not id_token:
        return None
    try:
        end_session = metadata().get("end_session_endpoint")
    except Unavailable:
        return None
    if not end_session:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri("/"),
        }
    )
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"
