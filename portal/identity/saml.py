"""Single sign-on with SAML 2.0 (djangosaml2 on pysaml2; signatures through Debian's
xmlsec1), configured by the identity provider's metadata.

The service provider's configuration is built per request (``config_loader``) from the
environment, with the provider's metadata from a file or a URL (fetched when first
needed and cached), so a provider that is down stops only "Sign in with ...". Attributes
map to the person as OpenID Connect claims do (``SAML_ATTRIBUTES``), through the same
``person_from_claims``.
"""

import logging
from pathlib import Path

import requests
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from djangosaml2.backends import Saml2Backend
from djangosaml2.views import LoginView
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS

from portal.errors import Unavailable, refused

from .claims import UnusableClaims, claim_value, person_from_claims

logger = logging.getLogger(__name__)

METADATA_SECONDS = 3600


def enabled() -> bool:
    return bool(settings.SAML_IDP_METADATA_URL or settings.SAML_IDP_METADATA_FILE)


def idp_metadata() -> str:
    """The identity provider's metadata (XML); raises ``Unavailable`` with the reason."""
    name = settings.SAML_PROVIDER_NAME
    if settings.SAML_IDP_METADATA_FILE:
        try:
            return Path(settings.SAML_IDP_METADATA_FILE).read_text()
        except OSError as error:
            raise Unavailable(
                f"Sign-in with {name} is unavailable: the identity provider's metadata "
                f"file cannot be read ({error.strerror}). Check SAML_IDP_METADATA_FILE."
            ) from None
    url = settings.SAML_IDP_METADATA_URL
    key = f"identity:saml:metadata:{url}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            document = response.text
        except requests.RequestException as error:
            logger.warning("SAML metadata fetch failed at %s: %s", url, type(error).__name__)
            raise Unavailable(
                f"Sign-in with {name} is unavailable: the identity provider's metadata "
                f"did not load from {url}. Try again in a moment, or tell your programme admin."
            ) from None
        cache.set(key, document, METADATA_SECONDS)
    return document


def config_loader(request=None) -> SPConfig:
    """djangosaml2's SP configuration, from the environment (SAML_CONFIG_LOADER)."""
    base = request.build_absolute_uri("/").rstrip("/") if request is not None else settings.SITE_URL
    signing = bool(settings.SAML_SP_KEY_FILE and settings.SAML_SP_CERT_FILE)
    conf: dict = {
        "entityid": settings.SAML_SP_ENTITY_ID or f"{base}/saml2/metadata/",
        "xmlsec_binary": settings.SAML_XMLSEC_BINARY,
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": settings.WAGTAIL_SITE_NAME,
                "name_id_format": NAMEID_FORMAT_EMAILADDRESS,
                "endpoints": {
                    "assertion_consumer_service": [(f"{base}/saml2/acs/", BINDING_HTTP_POST)],
                    "single_logout_service": [
                        (f"{base}/saml2/ls/", BINDING_HTTP_REDIRECT),
                        (f"{base}/saml2/ls/post/", BINDING_HTTP_POST),
                    ],
                },
                "allow_unsolicited": False,
                "authn_requests_signed": signing,
                "logout_requests_signed": signing,
                "want_assertions_signed": True,
                "want_response_signed": False,
            }
        },
        "metadata": {"inline": [idp_metadata()]},
    }
    if signing:
        conf["key_file"] = settings.SAML_SP_KEY_FILE
        conf["cert_file"] = settings.SAML_SP_CERT_FILE
        conf["encryption_keypairs"] = [
            {"key_file": settings.SAML_SP_KEY_FILE, "cert_file": settings.SAML_SP_CERT_FILE}
        ]
    config = SPConfig()
    config.load(conf)
    return config


class Backend(Saml2Backend):
    """Signs in whoever the provider's signed assertion vouches for, made or updated just
    in time by the import's rules."""

    def authenticate(self, request, session_info=None, attribute_mapping=None, **kwargs):
        if not enabled() or not isinstance(session_info, dict) or "ava" not in session_info:
            return None
        attributes = session_info["ava"]
        email = claim_value(attributes, settings.SAML_ATTRIBUTE_EMAIL)
        name_id = session_info.get("name_id")
        if not email and name_id is not None and name_id.format == NAMEID_FORMAT_EMAILADDRESS:
            email = name_id.text
        try:
            user = person_from_claims(email, attributes, settings.SAML_ATTRIBUTES)
        except UnusableClaims as error:
            if request is not None:
                request.sign_in_problem = str(error)
            return None
        return user if self.user_can_authenticate(user) else None


class SignInStart(LoginView):
    """``/saml2/login/``: off to the provider; a page that says why when it cannot be."""

    def get(self, request, *args, **kwargs):
        if not enabled():
            raise Http404("Single sign-on with SAML is not set up.")
        try:
            if not config_loader(request).metadata.identity_providers():
                raise ValueError("no identity provider in the metadata")
        except Unavailable as error:
            return refused(request, error, back_url=reverse("identity:login"))
        except Exception as error:  # pysaml2 refusing the metadata or the settings
            logger.warning("SAML configuration refused: %s", type(error).__name__)
            problem = Unavailable(
                f"Sign-in with {settings.SAML_PROVIDER_NAME} is unavailable: the identity "
                "provider's metadata or the portal's SAML settings were refused. Tell your "
                "programme admin (the admin's Sign-on and provisioning screen checks them)."
            )
            return refused(request, problem, back_url=reverse("identity:login"))
        return super().get(request, *args, **kwargs)


def sign_in_failed(request, exception=None, status=403, **kwargs):
    """djangosaml2's ACS failure (SAML_ACS_FAILURE_RESPONSE_FUNCTION): back to the
    sign-in page with what went wrong, as for OpenID Connect."""
    logger.warning(
        "SAML sign-in refused: %s %s", type(exception).__name__ if exception else "", status
    )
    problem = getattr(request, "sign_in_problem", "") or gettext(
        "the provider's answer was refused"
    )
    messages.error(
        request,
        gettext("Sign-in with %(provider)s did not complete: %(problem)s.")
        % {"provider": settings.SAML_PROVIDER_NAME, "problem": problem},
    )
    return redirect("identity:login")
