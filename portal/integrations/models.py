"""Where the portal tells other systems what happens, and what it sent them."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Event(models.TextChoices):
    SHARE_MADE = "share.made", "A share was made"
    CLICK_MILESTONE = "share.readers", "A share reached 10, 50, 100, 500 or 1,000 readers"
    BADGE_EARNED = "badge.earned", "A badge was earned"
    COURSE_COMPLETED = "course.completed", "A course was completed"


def web_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError("Give an http or https address.")


def masked(url: str) -> str:
    """A webhook address without its secret path (Slack's and Teams' carry a token)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…" if parts.netloc else ""


class Webhook(models.Model):
    """A system that hears of chosen events, signed with its own secret."""

    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(max_length=500, validators=[web_url])
    secret = models.CharField(
        max_length=200,
        help_text="Agreed with the receiving system, which checks each signature with it "
        "(at least 16 characters). Never shown again: leave empty to keep it.",
    )
    events = models.JSONField(default=list, blank=True)
    include_email = models.BooleanField(
        default=False,
        help_text="Name people by their email address, not only by their portal id "
        "(only where the receiving system has a reason to know who).",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        return masked(self.url)


class ChatKind(models.TextChoices):
    SLACK = "slack", "Slack (incoming webhook)"
    TEAMS = "teams", "Microsoft Teams (incoming webhook or workflow)"


class ChatChannel(models.Model):
    """A Slack or Teams channel and what goes there."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=ChatKind.choices)
    url = models.URLField(
        "webhook address",
        max_length=500,
        validators=[web_url],
        help_text="The channel's incoming webhook. Never shown again: leave empty to keep it.",
    )
    recognitions = models.BooleanField(
        default=True, help_text="Recognitions of people who agreed to be named in the feed."
    )
    badges = models.BooleanField(
        default=False, help_text="Badges earned by people who agreed to be named in the feed."
    )
    weekly_highlight = models.BooleanField(
        default=False,
        help_text="Monday morning: the week's top advocates on the company board (as the "
        "board shows them: aliases, hidden people left out).",
    )
    topics = models.CharField(
        max_length=500,
        blank=True,
        help_text="Comma-separated hub topics: new hub items on them are posted here.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        return masked(self.url)

    def topic_set(self) -> set[str]:
        return {topic.strip().lower() for topic in self.topics.split(",") if topic.strip()}


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (gave up)"


class Delivery(models.Model):
    """One message to one webhook or channel: its payload, attempts and outcome."""

    webhook = models.ForeignKey(Webhook, null=True, blank=True, on_delete=models.CASCADE)
    channel = models.ForeignKey(ChatChannel, null=True, blank=True, on_delete=models.CASCADE)
    event = models.CharField(max_length=40)
    key = models.CharField(max_length=200, unique=True)
    payload = models.JSONField()
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="integrations_delivery_due")
        ]

    def __str__(self):
        return f"{self.event} to {self.target}"

    @property
    def target(self):
        return self.webhook or self.channel


class XapiCursor(models.Model):
    """How far the push to the Learning Record Store has come, per kind of record
    (ledger statements, scenario choices): the last id it sent."""

    name = models.CharField(max_length=20, primary_key=True)
    last_id = models.BigIntegerField(default=0)
    sent = models.PositiveBigIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    problem = models.CharField(max_length=300, blank=True)
    problem_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "learning record store push"

    def __str__(self):
        return self.name
