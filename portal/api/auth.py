"""Bearer tokens for the API, and what each scope needs of the token's owner."""

from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from portal.measurement.selectors import scope_for
from portal.signatures import token_digest

from .models import ApiToken, Scope


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        token = (token or "").strip()
        if not token or len(token) > 200:
            return None
        found = (
            ApiToken.objects.active()
            .select_related("owner__profile")
            .filter(digest=token_digest(token))
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.api_token = found
        request.user = found.owner
        return found


def owner_may(token: ApiToken, scope: str) -> bool:
    """Whether the token's owner, with their rights now, may use ``scope``."""
    owner = token.owner
    if scope == Scope.PROGRESS_READ:
        return not token.service
    if scope == Scope.FIGURES_READ:
        return scope_for(viewer=owner, filters={}) is not None
    if scope == Scope.CONTENT_READ:
        return owner.has_perm("sharing.change_contentitem")
    return scope == Scope.CONTENT_WRITE


def require(request, scope: str) -> ApiToken:
    token: ApiToken = request.auth
    if scope not in token.scopes:
        raise HttpError(403, f"This token does not have the {scope} scope.")
    if not owner_may(token, scope):
        raise HttpError(403, f"The token's owner may not use {scope}.")
    return token
