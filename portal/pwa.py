"""The portal as an installable web app: the manifest, icons drawn in the programme's
branding, the service worker and the page it shows offline.

The service worker caches the shell (styles, scripts, icons, the offline page) and
nothing personal: pages are always fetched from the network, so a shared or lost phone
keeps no one's dashboard in its cache. When the network is gone, a page request gets
the offline page. It also shows Web Push notifications (``portal.notifications.push``).
"""

import hashlib
import io
import json
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET
from PIL import Image, ImageColor, ImageDraw, UnidentifiedImageError
from wagtail.models import Site

from cms.models import BrandingSettings
from cms.sites import site_for

ICON_SIZES = (192, 512)
# The files every page needs; the worker keeps them for offline use.
SHELL_STATIC = ("css/portal.css", "js/menu.js", "js/app.js", "img/favicon.svg")
DEFAULT_COLOUR = "#1f5fbf"


def _branding(request) -> BrandingSettings:
    if site_for(request) is not None:
        return BrandingSettings.for_request(request)
    return BrandingSettings.for_site(Site.objects.filter(is_default_site=True).first())


@require_GET
def manifest(request):
    branding = _branding(request)
    colour = branding.primary_colour or DEFAULT_COLOUR
    name = branding.programme_name
    icons = [
        {"src": reverse("app_icon", args=[size]), "sizes": f"{size}x{size}",
         "type": "image/png", "purpose": purpose}
        for size in ICON_SIZES
        for purpose in ("any", "maskable")
    ]  # fmt: skip
    body = {
        "name": name,
        "short_name": name if len(name) <= 12 else name.split()[0][:12],
        "description": f"{name}: training, content to share and recognition.",
        "id": "/me/",
        "start_url": "/me/",
        "scope": "/",
        "display": "standalone",
        "theme_color": colour,
        "background_color": "#ffffff",
        "icons": icons,
    }
    response = HttpResponse(json.dumps(body), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


def icon_png(*, size: int, colour: str, logo=None) -> bytes:
    """A square icon: the programme's logo on white where it has one that Pillow reads,
    otherwise the portal's mark in white on the programme's colour. The picture stays in
    the middle 60%, so launchers that mask icons to a circle keep all of it."""
    logo_image = None
    if logo is not None:
        try:
            with logo.open_file() as handle:
                logo_image = Image.open(handle)
                logo_image.load()
        except (OSError, UnidentifiedImageError, ValueError):
            logo_image = None
    if logo_image is not None:
        canvas = Image.new("RGB", (size, size), "white")
        fitted = logo_image.convert("RGBA")
        fitted.thumbnail((int(size * 0.6), int(size * 0.6)))
        canvas.paste(fitted, ((size - fitted.width) // 2, (size - fitted.height) // 2), mask=fitted)
    else:
        # Drawn four times larger and scaled down: smooth edges without an SVG renderer.
        large = Image.new("RGB", (size * 4, size * 4), ImageColor.getrgb(colour))
        _draw_mark(ImageDraw.Draw(large), size * 4)
        canvas = large.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _draw_mark(draw: ImageDraw.ImageDraw, size: int) -> None:
    """static/img/favicon.svg's "P" and dot (a 32-unit grid), scaled into the middle."""
    unit = size * 0.6 / 16
    left, top = size / 2 - 15.5 * unit, size / 2 - 16 * unit

    def at(x: float, y: float) -> tuple[float, float]:
        return (left + x * unit, top + y * unit)

    width = max(2, round(2.5 * unit))
    outline = [at(15, 19), at(13, 19), at(13, 21), at(9, 21), at(9, 11), at(15, 11)]
    draw.line(outline, fill="white", width=width, joint="curve")
    x0, y0 = at(11, 11)
    x1, y1 = at(19, 19)
    draw.arc([x0, y0, x1, y1], start=-90, end=90, fill="white", width=width)
    cx, cy = at(22.5, 21)
    radius = 2.5 * unit
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill="white")


@require_GET
def app_icon(request, size: int):
    if size not in ICON_SIZES:
        raise Http404("No icon of that size.")
    branding = _branding(request)
    colour = branding.primary_colour or DEFAULT_COLOUR
    logo = branding.logo
    version = f"{colour}:{logo.pk}:{logo.file.name}" if logo else colour
    key = "app-icon:" + hashlib.sha256(f"{size}:{version}".encode()).hexdigest()[:32]
    png = cache.get(key)
    if png is None:
        png = icon_png(size=size, colour=colour, logo=logo)
        cache.set(key, png, 24 * 3600)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@lru_cache(maxsize=1)
def _shell_version() -> str:
    """Changes whenever a shell file or the worker itself changes, so phones fetch the
    new shell once and drop the old one."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    digest.update(
        render_to_string("pwa/service-worker.js", {"version": "", "shell": "[]"}).encode()
    )
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    shell = [static(name) for name in SHELL_STATIC]
    shell += [reverse("offline"), *(reverse("app_icon", args=[size]) for size in ICON_SIZES)]
    body = render_to_string(
        "pwa/service-worker.js", {"version": _shell_version(), "shell": json.dumps(shell)}
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker on every visit; never let a cache hide one.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request):
    """The page the worker shows without a network. It names nobody: it is cached on the
    phone and shown to whoever holds it."""
    branding = _branding(request)
    return render(request, "pwa/offline.html", {"branding": branding})
