import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StructBlockValidationError
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from cms.models import (
    BrandingSettings,
    GuidelinesPage,
    HomePage,
    StandardPage,
    validate_readable_on_white,
)
from courses.models import CourseIndexPage, WorkshopPage
from portal.blocks import CallToActionBlock, DoDontBlock


class TestPageRules(WagtailPageTestCase):
    def test_home_page_children(self):
        self.assertAllowedSubpageTypes(
            HomePage, {StandardPage, GuidelinesPage, CourseIndexPage, WorkshopPage}
        )
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_guidelines_have_no_children(self):
        self.assertAllowedSubpageTypes(GuidelinesPage, set())
        self.assertAllowedParentPageTypes(GuidelinesPage, {HomePage, StandardPage})

    def test_the_site_root_is_the_portal_home_page(self):
        site = Site.objects.get(is_default_site=True)
        assert isinstance(site.root_page.specific, HomePage)


@pytest.mark.django_db
class TestRendering:
    def test_home_page_uses_branding(self, client):
        site = Site.objects.get(is_default_site=True)
        branding = BrandingSettings.for_site(site)
        branding.organisation_name = "Acme Wind"
        branding.programme_name = "Acme Voices"
        branding.primary_colour = "#0b6e4f"
        branding.save()
        response = client.get("/")
        assert response.status_code == 200
        assert "<title>Acme Voices</title>" in response.text
        assert "--brand: #0b6e4f" in response.text
        assert "Acme Wind" in response.text
        assert "Sign in to get started" in response.text

    def test_guidelines_page_renders_do_and_dont(self, client):
        home = HomePage.objects.get()
        page = GuidelinesPage(
            title="Guidelines",
            slug="guidelines",
            summary="Be yourself.",
            body=[("do_dont", {"do": ["Say you work here"], "dont": ["Share secrets"]})],
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        response = client.get("/guidelines/")
        assert response.status_code == 200
        assert "Say you work here" in response.text
        assert "Share secrets" in response.text
        assert "Version 1.0" in response.text

    def test_unknown_page_is_a_friendly_404(self, client, db):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "We can't find that page" in response.text


class TestValidation:
    def test_primary_colour_must_be_hex_and_readable(self):
        validate_readable_on_white("#1f5fbf")
        with pytest.raises(ValidationError, match="six hex digits"):
            validate_readable_on_white("blue")
        with pytest.raises(ValidationError, match="contrast"):
            validate_readable_on_white("#ffee00")

    def test_call_to_action_needs_exactly_one_target(self):
        block = CallToActionBlock()
        base = {"audience": "A", "title": "T", "text": "x", "link_label": "Go", "page": None}
        with pytest.raises(StructBlockValidationError):
            block.clean(block.to_python({**base, "url": ""}))
        with pytest.raises(StructBlockValidationError):
            block.clean(block.to_python({**base, "url": "javascript:alert(1)"}))
        assert block.clean(block.to_python({**base, "url": "/me/"}))["url"] == "/me/"

    def test_do_dont_needs_an_item(self):
        block = DoDontBlock()
        with pytest.raises(ValidationError, match="at least one"):
            block.clean(block.to_python({"do": [], "dont": []}))
