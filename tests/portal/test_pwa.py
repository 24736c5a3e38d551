"""The installable app: manifest, icons in the programme's branding, the service worker
and the offline page, reachable by anyone (they are not pages about anyone)."""

import io
import json

import pytest
from PIL import Image
from wagtail.models import Site

from cms.models import BrandingSettings
from portal import pwa
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def branding():
    settings = BrandingSettings.for_site(Site.objects.get(is_default_site=True))
    settings.programme_name = "Voices of Acme"
    settings.primary_colour = "#8a1538"
    settings.save()
    return settings


def test_the_manifest_carries_the_programme_name_colour_and_icons(client, branding):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["name"] == "Voices of Acme"
    assert len(body["short_name"]) <= 12
    assert body["theme_color"] == "#8a1538"
    assert body["start_url"] == "/me/"
    assert body["display"] == "standalone"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in body["icons"]}
    assert sizes == {("192x192", "any"), ("192x192", "maskable"),
                     ("512x512", "any"), ("512x512", "maskable")}  # fmt: skip


@pytest.mark.parametrize("size", [192, 512])
def test_icons_are_drawn_in_the_programme_colour(client, branding, size):
    response = client.get(f"/app-icon-{size}.png")
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (size, size)
    assert image.getpixel((2, 2)) == (0x8A, 0x15, 0x38)  # the brand colour at the edge
    assert image.getpixel((size // 2, size // 2 - size // 6)) == (255, 255, 255)  # the mark


def test_a_logo_is_used_when_the_programme_has_one(client, branding):
    from wagtail.images.models import Image as WagtailImage
    from wagtail.images.tests.utils import get_test_image_file

    branding.logo = WagtailImage.objects.create(
        title="Logo", file=get_test_image_file(colour="red", size=(300, 100))
    )
    branding.save()
    image = Image.open(io.BytesIO(client.get("/app-icon-192.png").content))
    assert image.getpixel((2, 2)) == (255, 255, 255)  # white around the logo
    assert image.getpixel((96, 96)) == (255, 0, 0)


def test_other_icon_sizes_do_not_exist(client):
    assert client.get("/app-icon-64.png").status_code == 404
    assert client.get("/app-icon-99999999999999999999.png").status_code == 404


def test_the_worker_lists_the_shell_and_is_never_cached(client):
    response = client.get("/service-worker.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    text = response.content.decode()
    assert '"/offline/"' in text
    assert "/static/css/portal.css" in text
    assert f'"shell-{pwa._shell_version()}"' in text
    assert client.post("/service-worker.js").status_code == 405


def test_the_offline_page_names_nobody(client, branding):
    person = UserFactory(first_name="Zelda", last_name="Quist")
    client.force_login(person)
    html = client.get("/offline/").content.decode()
    assert "You are offline" in html
    assert "Voices of Acme" in html
    assert "Zelda" not in html
    assert "Sign out" not in html


def test_the_app_files_are_open_before_onboarding(client):
    client.force_login(UserFactory(profile__onboarded=False))
    for path in ["/manifest.webmanifest", "/service-worker.js", "/app-icon-192.png", "/offline/"]:
        assert client.get(path).status_code == 200, path


def test_every_page_links_the_manifest(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert "/static/js/app.js" in html
