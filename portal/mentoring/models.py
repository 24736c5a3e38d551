"""Mentoring: who offers and wants help, pairings, and what mentor and mentee keep.

Pairings change only through ``portal.mentoring.services``, which also grants and
removes the mentor's object permission to view the mentee's progress.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

NETWORKS = [
    ("linkedin", "LinkedIn"),
    ("x", "X"),
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
]


def split_list(text: str) -> list[str]:
    return [part.strip().lower() for part in (text or "").split(",") if part.strip()]


class DepartmentPreference(models.TextChoices):
    SAME = "same", gettext_lazy("Prefer a mentor from the same department")
    OTHER = "other", gettext_lazy("Prefer a mentor from another department")
    NONE = "none", gettext_lazy("No preference")


@register_setting(icon="group")
class MentoringSettings(BaseGenericSetting):
    department_preference = models.CharField(
        max_length=10, choices=DepartmentPreference.choices, default=DepartmentPreference.OTHER
    )
    checkin_every_days = models.PositiveSmallIntegerField(
        default=14, help_text=gettext_lazy("A check-in is due this many days after the last one.")
    )

    class Meta:
        verbose_name = "mentoring settings"


class MentoringProfile(models.Model):
    """A person's mentoring side: offering to mentor, and wanting a mentor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring"
    )
    is_mentor = models.BooleanField("I offer to mentor", default=False)
    capacity = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=gettext_lazy("How many mentees at once (1 to 5)."),
    )  # fmt: skip
    networks = models.JSONField(
        default=list, blank=True, help_text=gettext_lazy("Networks I know well.")
    )
    topics = models.CharField(
        max_length=300, blank=True, help_text=gettext_lazy("Comma-separated.")
    )
    languages = models.CharField(
        max_length=200, blank=True, default="english", help_text=gettext_lazy("Comma-separated.")
    )
    wants_mentor = models.BooleanField("I would like a mentor", default=False)
    growth_networks = models.JSONField(
        default=list, blank=True, help_text=gettext_lazy("Networks I want to grow on.")
    )

    def __str__(self):
        return f"Mentoring profile of {self.user}"

    @property
    def topic_list(self) -> list[str]:
        return split_list(self.topics)

    @property
    def language_list(self) -> list[str]:
        return split_list(self.languages)


class Pairing(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", gettext_lazy("Active")
        ENDED = "ended", gettext_lazy("Ended")

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee_pairings"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_pairings"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    score = models.IntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    change_requested_at = models.DateTimeField(null=True, blank=True)
    change_reason = models.CharField(max_length=300, blank=True)
    nudged_at = models.DateTimeField(null=True, blank=True)

    # A mentor nudges a mentee at most once in this long.
    NUDGE_EVERY = timedelta(days=1)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status="active"),
                name="mentoring_one_active_mentor",
            ),
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="mentoring_not_oneself"
            ),
        ]
        permissions = [("manage_pairings", "Can propose, override and apply mentor pairings")]

    def __str__(self):
        return f"{self.mentor} mentors {self.mentee} ({self.get_status_display()})"

    @property
    def nudged_recently(self) -> bool:
        """Whether the mentor nudged within ``NUDGE_EVERY`` (the button says so)."""
        return bool(self.nudged_at and self.nudged_at > timezone.now() - self.NUDGE_EVERY)


class CheckIn(models.Model):
    """A private note of a mentoring conversation: mentor and mentee only."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="checkins")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Check-in on {self.created_at:%Y-%m-%d}"


class Goal(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    due_date = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_date", "created_at"]

    def __str__(self):
        return self.title
