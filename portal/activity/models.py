"""The activity ledger: append-only statements of what people did, shaped like xAPI.

Rows are written by ``portal.activity.services.activity_record`` and never changed;
corrections are new rows (negative points). ``PointsTotal`` is a projection of the
ledger, rebuilt by ``python manage.py rebuild_points``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .verbs import VERBS


class AppendOnlyError(RuntimeError):
    pass


class Activity(models.Model):
    # Erasing a person (data protection) erases their statements with them; short of
    # that, rows are never changed or deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities"
    )
    verb = models.CharField(max_length=60, db_index=True)
    # The object of the statement: any model row (a course, a badge, a share...), or none.
    object_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object = GenericForeignKey("object_type", "object_id")
    object_label = models.CharField(max_length=255, blank=True)
    points = models.IntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    context = models.JSONField(default=dict, blank=True)
    timestamp = models.DateTimeField(default=timezone.now, db_index=True)
    key = models.CharField(
        max_length=200,
        unique=True,
        help_text="Idempotency key: the same thing is recorded at most once.",
    )

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["actor", "-timestamp"], name="activity_actor_time"),
            models.Index(fields=["verb", "-timestamp"], name="activity_verb_time"),
        ]

    def __str__(self):
        return f"{self.actor} {self.verb} {self.object_label}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Ledger rows are never changed; record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Ledger rows are never deleted; record a correction instead.")

    @property
    def verb_label(self) -> str:
        """What this statement says happened, for lists: "Reached share quality 25 of
        100", "Was recognised"."""
        verb = VERBS.get(self.verb)
        return _first_upper(verb.said(self.result)) if verb else self.verb

    @property
    def you_label(self) -> str:
        """The same, said to the person: "were recognised"."""
        verb = VERBS.get(self.verb)
        return verb.said(self.result, to_you=True) if verb else ""

    def as_statement(self) -> dict:
        """The row as an xAPI-like statement, for exports and the learning record."""
        verb = VERBS.get(self.verb)
        return {
            "id": self.pk,
            "actor": {"mbox": f"mailto:{self.actor.email}", "name": str(self.actor)},
            "verb": {"id": verb.iri if verb else self.verb, "display": {"en": self.verb}},
            "object": {
                "type": self.object_type.model if self.object_type else None,
                "id": self.object_id or None,
                "name": self.object_label,
            },
            "result": {**self.result, "points": self.points},
            "context": self.context,
            "timestamp": self.timestamp.isoformat(),
        }


class PointsTotal(models.Model):
    """Each person's all-time points: a projection of the ledger, kept in step with it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="points_total",
    )
    points = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.user}: {self.points}"


def verb_choices() -> list[tuple[str, str]]:
    return [(verb.id, _first_upper(str(verb.label))) for verb in VERBS.values()]


def _first_upper(text: str) -> str:
    """Sentence case that keeps the rest as written (German nouns stay capitalised)."""
    return text[:1].upper() + text[1:]


class PointsRule(models.Model):
    """Points for a verb of the ledger, with a daily cap so nothing can be farmed.

    A change applies from then on; statements already recorded keep their points.
    """

    verb = models.CharField(
        max_length=60,
        unique=True,
        choices=verb_choices,
        help_text="Course completions give the points set on each course; a rule for them "
        "is not used.",
    )
    points = models.PositiveIntegerField(default=0, help_text="Points for each statement.")
    score_bonus = models.PositiveIntegerField(
        default=0,
        help_text="Extra points at a score of 100%, scaled by the score (scenarios, quizzes).",
    )
    daily_cap = models.PositiveIntegerField(
        default=0,
        help_text="The most points one person can get from this verb per day; 0 for no cap.",
    )

    class Meta:
        ordering = ["verb"]
        verbose_name = "points rule"

    def __str__(self):
        return f"{self.get_verb_display()}: {self.points} points"


class Level(models.Model):
    name = models.CharField(max_length=40, unique=True)
    threshold = models.PositiveIntegerField(
        unique=True, help_text="Points needed to reach this level."
    )

    class Meta:
        ordering = ["threshold"]

    def __str__(self):
        return f"{self.name} ({self.threshold}+ points)"


class Delivery(models.Model):
    """A statement that a subscriber has yet to apply (a transactional outbox).

    Written in the transaction that records the statement, deleted in the transaction
    that applies it; so a projection in the database hears each statement exactly once,
    whatever process dies when. ``portal.activity.deliveries`` applies them: at once
    after the commit, and by the worker's sweep when that did not happen.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.CharField(max_length=40)
    # Subscribers that read only committed state apply one statement for all the pending
    # ones of a group (``subscriber.coalesce``); "" for subscribers that need each one.
    group = models.CharField(max_length=200, blank=True)
    due = models.DateTimeField(help_text="When the sweep may apply it.")
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "subscriber"], name="delivery_once"),
        ]
        indexes = [
            models.Index(fields=["due"], name="delivery_due"),
            models.Index(fields=["subscriber", "group"], name="delivery_group"),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.subscriber} ← {self.activity_id}"
