"""Badges (Wagtail snippets that programme admins edit) and awards (Open Badges assertions).

A badge's criteria field holds exactly one block: the kind (from ``badges.criteria``)
and its typed parameters. An award is issued at most once per person and badge, which
the database guarantees; revoking keeps the row, with its reason.
"""

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from portal.people.models import Visibility

from .artwork import artwork_normalise
from .criteria import KINDS, criteria_stream_blocks


class Tier(models.TextChoices):
    BRONZE = "bronze", gettext_lazy("Bronze")
    SILVER = "silver", gettext_lazy("Silver")
    GOLD = "gold", gettext_lazy("Gold")


class BadgeForm(WagtailAdminModelForm):
    """Checks an uploaded artwork and stores it normalised to a square PNG."""

    def clean_artwork(self):
        upload = self.cleaned_data.get("artwork")
        if not upload or not hasattr(upload, "content_type"):
            return upload  # unchanged or cleared
        png = artwork_normalise(upload.read())
        slug = self.cleaned_data.get("slug") or "badge"
        return ContentFile(png, name=f"{slug}.png")


class Badge(TranslatableMixin, index.Indexed, models.Model):
    name = models.CharField(max_length=100)
    # Unique among originals (and within each language's translations).
    slug = models.SlugField(
        max_length=60, help_text=gettext_lazy("Part of the badge's public address; keep it.")
    )
    description = models.TextField(max_length=600)
    criteria_text = models.TextField(
        max_length=1000,
        help_text=gettext_lazy("How to earn it, shown publicly and in the Open Badge."),
    )
    tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.BRONZE)
    artwork = models.FileField(
        upload_to="badges/artwork/",
        blank=True,
        help_text=gettext_lazy(
            "PNG, JPEG or WebP, at least 64 x 64; it becomes a square PNG. "
            "Without one, artwork is drawn from the tier and initials."
        ),
    )
    criteria = StreamField(
        criteria_stream_blocks(),
        min_num=1,
        max_num=1,
        help_text=gettext_lazy("Choose one kind of criteria and its parameters."),
    )
    active = models.BooleanField(
        default=True, help_text=gettext_lazy("Inactive badges are not awarded.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    base_form_class = BadgeForm
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("criteria_text"),
        MultiFieldPanel([FieldPanel("tier"), FieldPanel("artwork")], heading=gettext_lazy("Look")),
        FieldPanel("criteria"),
        FieldPanel("active"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    # Translators translate the words; everything that decides awards stays the original's.
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        TranslatableField("criteria_text"),
        SynchronizedField("slug"),
        SynchronizedField("tier"),
        SynchronizedField("artwork"),
        SynchronizedField("criteria"),
        SynchronizedField("active"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        permissions = [("award_badge", "Can award any badge to anyone")]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="badges_badge_slug_locale")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("badges:detail", args=[self.slug])

    def kind(self):
        """The criteria kind and its parameters."""
        block = self.criteria[0]
        return KINDS[block.block_type], block.value


class AwardVisibility(models.TextChoices):
    DEFAULT = (
        "default",
        gettext_lazy("Like my leaderboard choice (name, alias or no name; not indexed)"),
    )
    PUBLIC = "public", gettext_lazy("Public with my name (for LinkedIn and search engines)")
    PRIVATE = "private", gettext_lazy("Private (only I see the page; verifiers still can)")


class BadgeAward(models.Model):
    """One person's badge: the Open Badges 2.0 assertion, hosted at its id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    badge = models.ForeignKey(Badge, on_delete=models.PROTECT, related_name="awards")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badge_awards"
    )
    awarded_at = models.DateTimeField()
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    automatic = models.BooleanField(default=False)
    evidence_url = models.URLField(max_length=500, blank=True)
    evidence_note = models.TextField(max_length=2000, blank=True)
    # The recipient, as the assertion states it: a salted hash of the email at award time.
    recipient_salt = models.CharField(max_length=32)
    recipient_hash = models.CharField(max_length=80)
    visibility = models.CharField(
        max_length=10, choices=AwardVisibility.choices, default=AwardVisibility.DEFAULT
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-awarded_at"]
        constraints = [
            models.UniqueConstraint(fields=["badge", "user"], name="badge_awarded_once"),
        ]
        indexes = [models.Index(fields=["user", "-awarded_at"], name="award_user_time")]

    def __str__(self):
        return f"{self.badge} for {self.user}"

    def get_absolute_url(self):
        return reverse("badges:assertion_page", args=[self.pk])

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def hidden(self) -> bool:
        return self.visibility == AwardVisibility.PRIVATE

    def public_earner(self) -> str:
        """The earner's name as the public page and title show it: their name when they
        made the award public, else as on leaderboards (name, alias, or none: ""); none
        once they left."""
        profile = self.user.profile
        if not self.user.is_active:
            return ""  # a leaver is hidden everywhere; the assertion stays verifiable
        if self.visibility == AwardVisibility.PUBLIC:
            return profile.name
        if profile.leaderboard_visibility == Visibility.HIDDEN:
            return ""
        return profile.public_name

    def public_evidence_note(self) -> str:
        """Words written about the earner (a recognition message, an awarder's note) are
        published only with their consent to show them on public badge pages."""
        return self.evidence_note if self.user.profile.consent_badge_evidence else ""


class ErasedAssertion(models.Model):
    """The id of an assertion whose earner was erased: verifiers get 410 Gone with a
    neutral reason instead of a 404 (which would look like a forgery). Nothing else."""

    id = models.UUIDField(primary_key=True)

    def __str__(self):
        return f"Erased assertion {self.pk}"
