"""A person's in-app notifications; the live toast reads the same events."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # Made outside the person's working hours: it is in their list at once, but pushed
    # to their pages and phone only from this moment (``notifications_due``).
    push_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["push_due_at"],
                condition=models.Q(push_due_at__isnull=False),
                name="notification_push_due",
            ),
            models.Index(fields=["user", "-created_at"], name="notification_user_time"),
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.title}"


class DigestSubscription(models.Model):
    """Whether a person gets the weekly digest email (on unless they switch it off)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest"
    )
    enabled = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.user}: digest {'on' if self.enabled else 'off'}"


class DigestSent(models.Model):
    """One row per person and ISO week: a digest is never sent twice for the same week."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests_sent"
    )
    week = models.CharField(max_length=8)  # "2026-W48"
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="digest_once_a_week")]

    def __str__(self):
        return f"Digest for {self.user}, {self.week}"


class PushKey(models.Model):
    """The portal's VAPID key pair (Web Push): made on first use, kept in the database so
    every worker signs with the same key and phones' subscriptions stay valid."""

    private_pem = models.TextField()
    public_key = models.CharField(max_length=100)  # base64url, the applicationServerKey
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Web Push key of {self.created_at:%Y-%m-%d}"


class PushSubscription(models.Model):
    """One browser or phone that agreed to receive the person's push notifications."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Push subscription of {self.user}"


class PushChoice(models.Model):
    """Which kinds of notification a person wants on their phone (none until they say)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_choice"
    )
    badges = models.BooleanField(_("Badges and levels"), default=False)
    recognition = models.BooleanField(_("Recognition"), default=False)
    mentoring = models.BooleanField(_("Messages from my mentor or mentee"), default=False)
    content = models.BooleanField(_("New content on my topics"), default=False)

    KINDS = {  # notification kind -> the choice that lets it through
        "badge": "badges",
        "level": "badges",
        "recognition": "recognition",
        "mentoring": "mentoring",
        "nudge": "mentoring",
        "content": "content",
    }

    def __str__(self):
        return f"Push choices of {self.user}"
