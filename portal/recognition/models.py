"""Recognition: managers' awards from a monthly budget, peers' kudos, and the allowances
that keep both within their limits. State changes go through ``services``."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="pick")
class RecognitionSettings(BaseGenericSetting):
    monthly_budget = models.PositiveIntegerField(
        default=200,
        help_text=gettext_lazy("Points each manager may give in recognition per month."),
    )
    programme_monthly_budget = models.PositiveIntegerField(
        default=1000, help_text=gettext_lazy("Points each programme admin may give per month.")
    )
    kudos_points = models.PositiveIntegerField(
        default=5, help_text=gettext_lazy("Points a colleague's kudos gives the person thanked.")
    )
    kudos_daily_limit = models.PositiveIntegerField(
        default=3, help_text=gettext_lazy("Kudos each person may give per day.")
    )

    class Meta:
        verbose_name = "recognition settings"


class Category(models.Model):
    """A kind of recognition managers choose from (an editable list)."""

    name = models.CharField(max_length=60, unique=True)
    description = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "recognition category"
        verbose_name_plural = "recognition categories"

    def __str__(self):
        return self.name


class Kind(models.TextChoices):
    RECOGNITION = "recognition", gettext_lazy("Recognition")
    KUDOS = "kudos", gettext_lazy("Kudos")


class Recognition(models.Model):
    """Who recognised whom, for what, with how many points from which budget."""

    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Erasing the giver keeps the recognition (the recipient's points and history depend
    # on it), with the giver unnamed: "a former colleague".
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="recognitions_given",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recognitions"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(max_length=500)
    points = models.PositiveIntegerField(default=0)
    badge = models.ForeignKey(
        "badges.Badge", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The budget the points came from: "<manager or programme> <giver>, <month>".
    budget = models.CharField(max_length=120, blank=True)
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("view_audit", "Can read and export the recognition audit trail")]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.giver} to {self.recipient}"


class Allowance(models.Model):
    """How much of a limit a person has used in a period: points of a month's budget, or
    kudos of a day. One row per person, limit and period, locked while it is spent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="allowances"
    )
    limit = models.CharField(max_length=20)  # "budget" or "kudos"
    period = models.DateField()  # the month's first day, or the day
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "limit", "period"], name="recognition_allowance_once"
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.used} {self.limit} used in {self.period}"
