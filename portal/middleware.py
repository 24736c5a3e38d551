"""Project-wide middleware."""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from django.conf import settings


class AdminFramingMiddleware:
    """Let the Wagtail admin frame its own pages (the live preview panel).

    Everything else keeps ``X-Frame-Options: DENY``: Django's clickjacking middleware
    leaves a header that is already set, and this one sits inside it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the admins' exception: under ``CSP_ADMIN_PREFIXES``
    the directives in ``CSP_ADMIN_REPLACE`` replace the portal's (Wagtail's editors use
    inline scripts and styles, and its live preview frames the admin itself)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path.startswith(settings.CSP_ADMIN_PREFIXES):
            parts.replace = {**settings.CSP_ADMIN_REPLACE, **(parts.replace or {})}
        if settings.OIDC_ISSUER:
            # Signing out posts a form that redirects to the identity provider (to end its
            # session too); browsers hold that redirect to the page's form-action.
            issuer = urlsplit(settings.OIDC_ISSUER)
            update = dict(parts.update or {})
            update["form-action"] = [
                *update.get("form-action", []),
                f"{issuer.scheme}://{issuer.netloc}",
            ]
            parts.update = update
        return parts
