"""The content hub: items worth sharing, people's shares of them, and what came of it.

Items are Wagtail snippets with drafts, revisions and a moderation workflow. A share is
one person's tracked link to one item on one network; clicks arrive through the fast
``/s/<code>`` path (``tracking.py``) and are kept raw for a retention period and as
daily aggregates for good. State changes go through ``portal.sharing.services``.
"""

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

# X counts every link as 23 characters, plus the space before it.
X_LINK_LENGTH = 24
X_MAX_LENGTH = 280


class Kind(models.TextChoices):
    OWN = "own", _("Our own content")
    CURATED = "curated", _("Curated from others")


class Network(models.TextChoices):
    LINKEDIN = "linkedin", _("LinkedIn")
    X = "x", "X"
    FACEBOOK = "facebook", _("Facebook")
    EMAIL = "email", _("Email")


def split_list(text: str) -> list[str]:
    """A comma-separated field as a list of trimmed, non-empty values."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class ContentItemTag(TaggedItemBase):
    content_object = ParentalKey(
        "sharing.ContentItem", related_name="tagged_items", on_delete=models.CASCADE
    )


class ContentItem(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    index.Indexed,
    ClusterableModel,
):
    """Something worth sharing: our own content or a curated piece from elsewhere."""

    title = models.CharField(max_length=200)
    url = models.URLField(
        "link",
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where a click on a shared link takes people. Tracking tags are added."),
    )
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.OWN,
        help_text=_("For the 4-1-1 mix: one piece of our own for every few from others."),
    )
    summary = models.TextField(max_length=500, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    caption_linkedin = models.TextField("suggested LinkedIn caption", max_length=3000, blank=True)
    caption_x = models.TextField(
        "suggested X caption",
        max_length=X_MAX_LENGTH - X_LINK_LENGTH,
        blank=True,
        help_text=f"At most {X_MAX_LENGTH - X_LINK_LENGTH} characters: the link takes the rest.",
    )
    caption_facebook = models.TextField("suggested Facebook caption", max_length=3000, blank=True)
    departments = ParentalManyToManyField(
        "people.Department",
        blank=True,
        related_name="+",
        help_text=_("Only these departments see the item; none for everyone."),
    )
    locations = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("Comma-separated; only people in these locations see the item."),
    )
    job_roles = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("Comma-separated job roles; only people in these roles see the item."),
    )
    tags = ClusterTaggableManager(
        through=ContentItemTag,
        blank=True,
        help_text=_("Topics: people who follow a topic see its items first."),
    )
    show_from = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Offered in the hub from this time (empty: at once)."),
    )
    show_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("No longer offered after this time (empty: no end)."),
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggested_content",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="content_item",
        for_concrete_model=False,
    )
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="content_item",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("url"),
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldPanel("caption_linkedin"),
                FieldPanel("caption_x"),
                FieldPanel("caption_facebook"),
            ],
            heading=_("Suggested captions"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("tags"),
                FieldPanel("departments", widget=forms.CheckboxSelectMultiple),
                FieldPanel("locations"),
                FieldPanel("job_roles"),
            ],
            heading=_("Who it is for"),
        ),
        FieldRowPanel(
            [FieldPanel("show_from"), FieldPanel("show_until")],
            heading=_("Publish window"),
        ),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]
    # Translators translate the words people read and share; who sees the item, when and
    # where its link leads stay the original's (only originals are offered and shared).
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("summary"),
        TranslatableField("caption_linkedin"),
        TranslatableField("caption_x"),
        TranslatableField("caption_facebook"),
        SynchronizedField("url"),
        SynchronizedField("kind"),
        SynchronizedField("image"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = "content item"
        indexes = [models.Index(fields=["live", "show_from"], name="sharing_item_live_from")]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.show_from and self.show_until and self.show_until <= self.show_from:
            raise ValidationError({"show_until": "The window must end after it starts."})

    @property
    def location_list(self) -> list[str]:
        return split_list(self.locations)

    @property
    def job_role_list(self) -> list[str]:
        return split_list(self.job_roles)

    def caption_for(self, network: str) -> str:
        """The suggested caption for ``network`` (email borrows LinkedIn's)."""
        captions: dict[str, str] = {
            Network.LINKEDIN: self.caption_linkedin,
            Network.X: self.caption_x,
            Network.FACEBOOK: self.caption_facebook,
        }
        caption = captions.get(network, self.caption_linkedin)
        return caption or self.caption_linkedin or self.summary or self.title


class Share(models.Model):
    """One person's tracked link to one item on one network, and what it achieved."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares"
    )
    # Items with shares are unpublished rather than deleted: the shares' history stays.
    item = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="shares")
    network = models.CharField(max_length=10, choices=Network.choices)
    caption = models.TextField(max_length=3000)
    code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Quality inputs fixed when the share is made (0..1).
    personal_touch = models.FloatField(default=0)
    balance = models.FloatField(default=0)
    relevance = models.FloatField(default=0)
    # Aggregates, kept for good (raw clicks are deleted after the retention period).
    clicks = models.PositiveIntegerField(default=0, help_text=_("Unique people, once a day each."))
    previews = models.PositiveIntegerField(default=0)
    self_clicks = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0, help_text=_("Every hit, repeats included."))
    conversions = models.PositiveIntegerField(default=0)
    quality = models.PositiveSmallIntegerField(default=0)
    quality_step = models.PositiveSmallIntegerField(
        default=0, help_text=_("The highest quality step rewarded so far.")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item", "network"], name="sharing_share_once_per_network"
            )
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="sharing_share_user_time"),
            # The programme dashboard's top content: the shares made in a period, read
            # from the index alone.
            models.Index(
                fields=["created_at", "item", "clicks", "quality"], name="sharing_share_made"
            ),
        ]

    def __str__(self):
        return f"{self.user} shared {self.item} on {self.get_network_display()}"


class ShareDay(models.Model):
    """A share's figures for one day; kept after the raw clicks are deleted."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    clicks = models.PositiveIntegerField(default=0)
    previews = models.PositiveIntegerField(default=0)
    self_clicks = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    conversions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["share", "day"]
        constraints = [
            models.UniqueConstraint(fields=["share", "day"], name="sharing_shareday_unique")
        ]
        # The programme dashboard: the link previews of a period, from the index alone.
        indexes = [models.Index(fields=["day", "previews"], name="sharing_shareday_previews")]

    def __str__(self):
        return f"{self.share.code} on {self.day}: {self.clicks} clicks"


class ClickKind(models.TextChoices):
    HUMAN = "human", _("Click")
    PREVIEW = "preview", _("Link preview")
    SELF = "self", _("Sharer's own click")


class ShareClick(models.Model):
    """A visitor's first hit of a kind on a share on a day; no IP address is stored.

    ``visitor`` is a hash of the address and browser under a salt that exists for one
    day only, so rows cannot be linked across days or back to an address.
    """

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="raw_clicks")
    day = models.DateField()
    visitor = models.CharField(max_length=32)
    # The visitor's network (IPv4 /24, IPv6 /64), hashed under the same daily salt: one
    # network adds at most ``SHARING_CLICKS_PER_NETWORK`` readers to a share per day.
    network = models.CharField(max_length=32, blank=True, default="")
    kind = models.CharField(max_length=10, choices=ClickKind.choices)
    at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["share", "day", "visitor", "kind"], name="sharing_click_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.day}"


class Conversion(models.Model):
    """A conversion the company's site reported for a share (sign-up, download...)."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="conversion_rows")
    external_id = models.CharField(max_length=100, unique=True)
    label = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"Conversion {self.external_id}"


class VisitorSalt(models.Model):
    """Today's random salt for visitor hashes; deleted after the day (see the purge)."""

    day = models.DateField(primary_key=True)
    salt = models.CharField(max_length=64)

    def __str__(self):
        return f"Visitor salt of {self.day}"


class ClickBatch(models.Model):
    """A batch of clicks that the tracked-link path handed to the worker, once stored.

    The batch's task may run twice (its worker died after the commit but before it could
    say so); the second run finds this row and adds nothing, so request counts stay exact.
    Rows go with the daily purge.
    """

    id = models.UUIDField(primary_key=True)
    stored_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"Click batch {self.id}"


class ContentSource(models.Model):
    """An RSS or Atom feed (the newsroom, a trusted third-party source) whose new entries
    become draft hub items in moderation, tagged with the source's topics."""

    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(
        "feed address", max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.CURATED,
        help_text=_("Our own content (the newsroom) or curated from others (for the 4-1-1 mix)."),
    )
    topics = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Comma-separated topics every new item gets."),
    )
    active = models.BooleanField(default=True)
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    ok_at = models.DateTimeField(null=True, blank=True, editable=False)
    problem = models.CharField(max_length=300, blank=True, editable=False)
    items_made = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def status(self) -> str:
        if self.checked_at is None:
            return "Not checked yet"
        return self.problem or "OK"


class SourceEntry(models.Model):
    """An entry a source already gave: never turned into a second item."""

    source = models.ForeignKey(ContentSource, on_delete=models.CASCADE, related_name="entries")
    guid = models.CharField(max_length=64)  # SHA-256 of the entry's id (or link)
    item = models.ForeignKey(ContentItem, null=True, on_delete=models.SET_NULL, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="sharing_source_entry_once")
        ]

    def __str__(self):
        return self.guid
