"""Editor-managed pages: the home page, standard pages, guidelines, and branding settings."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from courses.selectors import purpose_published
from portal.blocks import BaseStreamBlock, CallToActionBlock
from portal.locales import LocalisedPage

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def validate_hex_colour(value: str) -> None:
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError("Enter a colour as # followed by six hex digits, e.g. #1f5fbf.")


def _relative_luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def validate_readable_on_white(value: str) -> None:
    """White text on the primary colour must be readable (WCAG AA, 4.5:1)."""
    validate_hex_colour(value)
    contrast = 1.05 / (_relative_luminance(value) + 0.05)
    if contrast < 4.5:
        raise ValidationError(
            f"White text on this colour has a contrast of {contrast:.1f}:1; choose a darker "
            "colour (at least 4.5:1) so buttons stay readable."
        )


@register_setting(icon="site")
class BrandingSettings(BaseSiteSetting):
    organisation_name = models.CharField(max_length=120, default="Our company")
    programme_name = models.CharField(max_length=120, default="Advocate Portal")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        max_length=7,
        default="#1f5fbf",
        validators=[validate_readable_on_white],
        help_text="Used for buttons and the header; white text must be readable on it.",
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("programme_name"),
        FieldPanel("logo"),
        FieldPanel("primary_colour"),
    ]

    class Meta:
        verbose_name = "branding"

    @classmethod
    def for_request(cls, request):
        """The request's site's branding, from the process's copy (``cms.sites``); the
        admin edits the stored row (``for_site``)."""
        from .sites import brandings, site_for

        attr = cls.get_cache_attr_name()
        if not hasattr(request, attr):
            site = site_for(request)
            if site is None:
                raise cls.DoesNotExist(f"{cls} does not exist for site None.")
            setattr(request, attr, brandings.get(site.pk, lambda: cls.for_site(site)))
        return getattr(request, attr)


class HomePage(LocalisedPage, Page):
    hero_title = models.CharField(max_length=120, default="Speak for us, in your own voice")
    hero_text = models.TextField(max_length=400, blank=True)
    purpose_heading = models.CharField(max_length=120, default="Why we do this")
    purpose = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="The programme's purpose: what it does for the business and for each of us.",
    )
    calls_to_action = StreamField(
        [("call_to_action", CallToActionBlock())],
        blank=True,
        max_num=4,
        help_text="One card each for advocates, mentors and managers works well.",
    )
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text")], heading="Hero"),
        MultiFieldPanel([FieldPanel("purpose_heading"), FieldPanel("purpose")], heading="Purpose"),
        FieldPanel("calls_to_action"),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.StandardPage",
        "cms.GuidelinesPage",
        "courses.CourseIndexPage",
        "courses.WorkshopPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The purpose a workshop's facilitators published, shown above the editor's text.
        context["published_purpose"] = purpose_published()
        return context


class StandardPage(LocalisedPage, Page):
    introduction = models.TextField(max_length=500, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage", "cms.GuidelinesPage"]


class GuidelinesPage(LocalisedPage, Page):
    """The programme's simple social media guidelines, with do/don't lists."""

    summary = models.TextField(
        max_length=500, help_text="The guidelines in two or three sentences."
    )
    body = StreamField(BaseStreamBlock(), blank=True)
    version = models.CharField(
        max_length=20, default="1.0", help_text="Shown to readers; raise it when rules change."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("version"),
        FieldPanel("body"),
    ]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "guidelines page"
