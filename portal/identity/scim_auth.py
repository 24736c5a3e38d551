"""The bearer token every SCIM request carries (django-scim2's AUTH_CHECK_MIDDLEWARE; a
module of its own, which django-scim2 imports while it loads its views)."""

import json

from django.http import HttpResponse
from django.utils import timezone
from django_scim import constants
from django_scim.middleware import SCIMAuthCheckMiddleware

from portal.signatures import token_digest

from .models import ScimToken


class BearerTokenCheck(SCIMAuthCheckMiddleware):
    """Every SCIM request carries ``Authorization: Bearer <token>``; a missing, unknown or
    revoked token gets 401. Nothing of a request's body is logged (it is personal data)."""

    def process_request(self, request):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        found = None
        if scheme.lower() == "bearer" and token.strip():
            found = ScimToken.objects.active().filter(digest=token_digest(token.strip())).first()
        if found is None:
            response = _error(401, "A valid bearer token is required.")
            response["WWW-Authenticate"] = 'Bearer realm="scim"'
            return response
        if found.last_used_at is None or (timezone.now() - found.last_used_at).seconds > 60:
            ScimToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.scim_token = found
        return None

    def process_response(self, request, response):
        return response


def _error(status: int, detail: str, scim_type: str = "") -> HttpResponse:
    body = {"schemas": [constants.SchemaURI.ERROR], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return HttpResponse(json.dumps(body), content_type=constants.SCIM_CONTENT_TYPE, status=status)
