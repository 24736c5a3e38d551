"""The Wagtail site a request is for, and its branding, kept in the process.

Every page's header shows the site's branding (Wagtail's settings context processor),
and Wagtail finds the site for each request anew: two queries on every page, about 7%
of a worker's time under load (docs/PERFORMANCE.md). Sites and their branding change
when an editor saves them, rarely; each process keeps them for ``KEPT_SECONDS`` and
forgets them at once when a site, its root page or the branding is saved or deleted in
that process (``cms.apps``), so other processes see a change within those seconds. Each
request gets instances of its own, built from the kept rows.
"""

from django.utils.deprecation import MiddlewareMixin
from wagtail.models import Site
from wagtail.views import serve

from portal.cache import KeptRows

KEPT_SECONDS = 5

sites = KeptRows(KEPT_SECONDS)
brandings = KeptRows(KEPT_SECONDS)


def site_for(request) -> Site | None:
    """``Site.find_for_request``, from the process's copy. Keyed, as Wagtail matches,
    by the host the request names and its port; every caller runs after
    CommonMiddleware, which has refused a host that ALLOWED_HOSTS does not name."""
    if not hasattr(request, "_wagtail_site"):
        key = (request._get_raw_host(), request.get_port())
        # Where Wagtail's own lookup keeps its answer for the rest of the request.
        request._wagtail_site = sites.get(key, lambda: Site.find_for_request(request))
    return request._wagtail_site


class SiteMiddleware(MiddlewareMixin):
    """Wagtail's page views find their site from the process's copy. Only those: the
    other pages ask ``site_for`` when they need a site, and the liveness check and the
    tracked links need none (and no database)."""

    def process_view(self, request, view_func, view_args, view_kwargs) -> None:
        if view_func is serve:
            site_for(request)
