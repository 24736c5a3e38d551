"""Milestones: when each person reached each step of the recruitment funnel.

A projection of the ledger (and of sign-ins), kept up to date by a ledger subscriber
(``services.measurement_hear``) and rebuildable from scratch
(``python manage.py rebuild_rollups [--check]``). The programme dashboard counts these
rows, never the raw ledger. ``MeasurementSettings`` holds what the earned media value
counts a click and an impression as.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

STEPS = [
    # (field, what the dashboard calls the step)
    ("invited_at", gettext_lazy("Invited")),
    ("signed_in_at", gettext_lazy("Signed in")),
    ("onboarded_at", gettext_lazy("Onboarded")),
    ("training_started_at", gettext_lazy("Started training")),
    ("sharing_unlocked_at", gettext_lazy("Completed the onboarding path (sharing unlocked)")),
    ("first_share_at", gettext_lazy("First share")),
    ("first_quality_share_at", gettext_lazy("First quality share")),
]


class Milestones(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="milestones",
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    signed_in_at = models.DateTimeField(null=True, blank=True)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    training_started_at = models.DateTimeField(null=True, blank=True)
    sharing_unlocked_at = models.DateTimeField(null=True, blank=True)
    first_share_at = models.DateTimeField(null=True, blank=True)
    first_quality_share_at = models.DateTimeField(null=True, blank=True)
    last_active_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Where the person's statements are counted in the rollups (their profile's place when
    # they were last counted, as ``rollups.place`` makes it): when the profile moves, their
    # history moves with it. ``counted`` is false until their first statement.
    counted = models.BooleanField(default=False)
    department_key = models.BigIntegerField(default=0)
    team_key = models.BigIntegerField(default=0)
    location_key = models.CharField(max_length=120, blank=True)
    job_role_key = models.CharField(max_length=120, blank=True)
    # Whether the person's funnel facts are counted in the rollups (``tallies``): true
    # while they are here; people who left are taken out of the funnel.
    in_funnel = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "milestones"

    def __str__(self):
        return f"Milestones of {self.user}"

    @property
    def counted_in(self) -> tuple | None:
        """The place the person's statements are counted at, or None."""
        if not self.counted:
            return None
        return (self.department_key, self.team_key, self.location_key, self.job_role_key)

    def as_tuple(self) -> tuple:
        return (*(getattr(self, field) for field, _ in STEPS), self.last_active_at,
                self.in_funnel, self.counted_in)  # fmt: skip


class Grain(models.IntegerChoices):
    """What a rollup row is a total of: the whole programme, one value of one of the
    dashboard's filters, or one combination of all four (for combined filters)."""

    PROGRAMME = 0
    DEPARTMENT = 1
    TEAM = 2
    LOCATION = 3
    JOB_ROLE = 4
    GROUP = 5  # department, team, location and job role together


class Rollup(models.Model):
    """The ledger's statements of one day, counted by measure (a verb, or a verb and a
    network) at one grain. A projection of the ledger kept by ``rollups_hear`` and
    rebuilt by ``rebuild_rollups``; the dashboard's motivation figures and trends read
    these rows, never the ledger. A dimension that is not part of the grain holds 0 or
    ""; at its grain, 0 or "" means "none" (people with no department, say)."""

    day = models.DateField()
    grain = models.PositiveSmallIntegerField(choices=Grain.choices)
    department = models.BigIntegerField(default=0)
    team = models.BigIntegerField(default=0)
    location = models.CharField(max_length=120, blank=True)  # lower case
    job_role = models.CharField(max_length=120, blank=True)  # lower case
    # Compared byte by byte on PostgreSQL (collation "C", set by migration 0009): the
    # dashboard reads ranges of measures. A migration that alters this field must set
    # it again.
    measure = models.CharField(max_length=200)
    statements = models.IntegerField(default=0)
    points = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "grain", "department", "team", "location", "job_role", "measure"],
                name="rollup_once",
            )
        ]
        indexes = [
            models.Index(fields=["grain", "day"], name="rollup_grain_day"),
            models.Index(fields=["grain", "team", "day"], name="rollup_team_day"),
            models.Index(fields=["grain", "department", "day"], name="rollup_department_day"),
            # The facts' and details' reads: one measure, or a range of them, over days;
            # covering for the funnel by department or team.
            models.Index(
                fields=["grain", "measure", "day", "department", "team", "statements"],
                name="rollup_measure_day",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.get_grain_display()} {self.measure}: {self.statements}"


@register_setting(icon="table")
class MeasurementSettings(BaseGenericSetting):
    """What a click and an impression are worth, for the earned media value."""

    currency = models.CharField(
        max_length=3, default="EUR", help_text=gettext_lazy("e.g. EUR, GBP, USD")
    )
    cost_per_click = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("1.50"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=gettext_lazy("What a visit from paid social would cost (your media team knows)."),
    )  # fmt: skip
    linkedin_impressions = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=gettext_lazy("Estimated impressions of one share on LinkedIn."),
    )
    linkedin_cpm = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True,
        help_text=gettext_lazy("Cost per thousand impressions on LinkedIn."),
    )  # fmt: skip
    x_impressions = models.PositiveIntegerField(
        null=True, blank=True, help_text=gettext_lazy("Estimated impressions of one share on X.")
    )
    x_cpm = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True,
        help_text=gettext_lazy("Cost per thousand impressions on X."),
    )  # fmt: skip
    facebook_impressions = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=gettext_lazy("Estimated impressions of one share on Facebook."),
    )
    facebook_cpm = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True,
        help_text=gettext_lazy("Cost per thousand impressions on Facebook."),
    )  # fmt: skip

    class Meta:
        verbose_name = "measurement"

    def impressions_pricing(self) -> dict[str, tuple[int, Decimal]]:
        """Per network with both figures set: (impressions per share, cost per thousand)."""
        pricing = {}
        for network in ("linkedin", "x", "facebook"):
            impressions = getattr(self, f"{network}_impressions")
            cpm = getattr(self, f"{network}_cpm")
            if impressions and cpm is not None:
                pricing[network] = (impressions, cpm)
        return pricing


class Kpi(models.TextChoices):
    """What a target measures. People counts are the programme's state on the day; the
    others count what happened (per month, or since the target's start)."""

    ACTIVE = "active", gettext_lazy("Active advocates (did something in the last 30 days)")
    ONBOARDED = "onboarded", gettext_lazy("People onboarded")
    UNLOCKED = "unlocked", gettext_lazy("People who unlocked sharing")
    SHARERS = "sharers", gettext_lazy("People who have shared")
    SHARES = "shares", gettext_lazy("Shares")
    CLICKS = "clicks", gettext_lazy("Unique readers (clicks)")
    CONVERSIONS = "conversions", gettext_lazy("Conversions")
    QUALITY = "quality", gettext_lazy("Quality shares")
    COURSES = "courses", gettext_lazy("Courses completed")


PEOPLE_KPIS = {Kpi.ACTIVE, Kpi.ONBOARDED, Kpi.UNLOCKED, Kpi.SHARERS}


class Target(models.Model):
    """A KPI target for one of the programme's objectives: "150 active advocates by 31
    March", "10,000 clicks a month". Programme admins keep them in the Wagtail admin; the
    dashboard shows the programme's progress toward each."""

    class Cadence(models.TextChoices):
        BY_DATE = "by_date", gettext_lazy("Reach it by the date")
        MONTHLY = "monthly", gettext_lazy("Every month")

    objective = models.CharField(
        max_length=300,
        help_text=gettext_lazy(
            "One of the objectives published by the purpose workshop (or your own words)."
        ),
    )
    kpi = models.CharField("KPI", max_length=20, choices=Kpi.choices)
    value = models.PositiveIntegerField("target", validators=[MinValueValidator(1)])
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.BY_DATE)
    starts = models.DateField(
        help_text=gettext_lazy(
            "Events (shares, clicks...) count from this day for a target by a date."
        )
    )
    due = models.DateField(null=True, blank=True, help_text=gettext_lazy("For a target by a date."))

    class Meta:
        ordering = ["objective", "due", "kpi"]

    def __str__(self):
        when = f"by {self.due:%d %b %Y}" if self.cadence == self.Cadence.BY_DATE and self.due \
            else "a month"  # fmt: skip
        return f"{self.value:,} {self.get_kpi_display().split(' (')[0].lower()} {when}"

    def clean(self):
        if self.cadence == self.Cadence.BY_DATE:
            if not self.due:
                raise ValidationError({"due": "A target by a date needs the date."})
            if self.starts and self.due < self.starts:
                raise ValidationError({"due": "The date is before the start."})


class SummarySent(models.Model):
    """A month's summary email reserved for (then sent to) one programme admin: a second
    run of the same month, or two at once, never sends it twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text=gettext_lazy("The first day of the month summarised."))
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="measurement_summary_once")
        ]

    def __str__(self):
        return f"Summary of {self.month:%B %Y} to {self.user}"
