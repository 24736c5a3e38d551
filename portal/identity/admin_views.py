"""The "Sign-on and provisioning" screen in the Wagtail admin: how single sign-on is set
up (and whether the provider answers), and the SCIM tokens, made and revoked here or with
``python manage.py scim_token``."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from portal.audit import audit
from portal.errors import Unavailable

from . import oidc, saml
from .models import ScimToken

PERMISSION = "people.import_people"  # who may import people may provision them


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label=gettext_lazy("Name of a new token"),
        help_text=gettext_lazy("Who will use it, for example entra-id or okta."),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].replace("\x00", "").split())
        if not name:
            raise forms.ValidationError(gettext("Give the token a name."))
        return name


def identity_view(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and "revoke" in request.POST:
        return _revoke(request)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                token, new_token = ScimToken.issue(form.cleaned_data["name"])
                audit(token, "identity.scim_token_create", by=request.user, title=token.name)
            form = TokenForm()  # made: the field is empty for the next one
        except IntegrityError:
            form.add_error("name", gettext("A token with this name exists already."))
    provider = None
    if oidc.enabled() and request.GET.get("check") == "1":
        try:
            document = oidc.metadata()
            provider = {"ok": True, "end_session": bool(document.get("end_session_endpoint"))}
        except Unavailable as error:
            provider = {"ok": False, "message": error.message}
    saml_check = None
    if saml.enabled() and request.GET.get("check") == "1":
        try:
            found = saml.config_loader(request).metadata.identity_providers()
            saml_check = (
                {"ok": True}
                if found
                else {"ok": False, "message": "The metadata names no identity provider."}
            )
        except Unavailable as error:
            saml_check = {"ok": False, "message": error.message}
        except Exception as error:  # pysaml2 refusing the metadata: say so, not a 500
            saml_check = {
                "ok": False,
                "message": f"The metadata was refused: {type(error).__name__}.",
            }
    context = {
        "oidc": {
            "enabled": oidc.enabled(),
            "issuer": settings.OIDC_ISSUER,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "name": settings.OIDC_PROVIDER_NAME,
            "claims": [
                (name.replace("_", " "), claim) for name, claim in settings.OIDC_CLAIMS.items()
            ],
            "password_sign_in": settings.PASSWORD_SIGN_IN,
            "redirect_uri": settings.SITE_URL + reverse("oidc_authentication_callback"),
        },
        "provider": provider,
        "saml": {
            "enabled": saml.enabled(),
            "metadata": settings.SAML_IDP_METADATA_URL or settings.SAML_IDP_METADATA_FILE,
            "name": settings.SAML_PROVIDER_NAME,
            "sp_metadata": settings.SITE_URL + reverse("saml2_metadata"),
            "attributes": [
                (name.replace("_", " "), attribute)
                for name, attribute in {
                    "email": settings.SAML_ATTRIBUTE_EMAIL,
                    **settings.SAML_ATTRIBUTES,
                }.items()
            ],
            "signing": bool(settings.SAML_SP_KEY_FILE and settings.SAML_SP_CERT_FILE),
        },
        "saml_check": saml_check,
        "scim_url": settings.SITE_URL + reverse("scim:root"),
        "tokens": ScimToken.objects.all(),
        "form": form,
        "new_token": new_token,
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return TemplateResponse(request, "identity/admin/identity.html", context, status=status)


def _revoke(request):
    value = request.POST.get("revoke", "")
    token = (
        ScimToken.objects.active().filter(pk=int(value)).first()
        if value.isdigit() and len(value) < 18
        else None
    )
    if token is None:
        messages.warning(request, gettext("That token was revoked already."))
    else:
        ScimToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit(token, "identity.scim_token_revoke", by=request.user, title=token.name)
        messages.success(
            request,
            gettext("Token “%(name)s” revoked: clients using it are refused now.")
            % {"name": token.name},
        )
    return redirect("identity_admin")
