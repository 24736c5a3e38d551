"""People: a user who logs in by email, their profile, departments and teams.

State changes go through ``portal.people.services``; these classes hold data only.
"""

from datetime import time

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField


def normalise_email(email: str) -> str:
    """Emails are matched without regard to case or surrounding spaces."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=normalise_email(username))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields.get("is_staff") is not True or extra_fields.get("is_superuser") is not True:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)


# The Django plugin cannot see reverse managers of Wagtail-based models (untyped).
class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    """A person who signs in with their work email address."""

    email = models.EmailField("email address", max_length=254, unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(
        default=False, help_text=_("Whether the person may sign in to the admin.")
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="people_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Team(models.Model):
    """A team belongs to one department; managers manage teams."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    managers = models.ManyToManyField(User, blank=True, related_name="managed_teams")

    class Meta:
        ordering = ["department__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="people_team_name_unique"),
        ]
        permissions = [("recognise_team", "Can recognise members of this team")]

    def __str__(self):
        return f"{self.name} ({self.department.name})"

    @admin.display(description="Managers")
    def manager_list(self) -> str:
        return ", ".join(str(manager) for manager in self.managers.all()) or "None"


class AdvocacyStyle(models.TextChoices):
    LISTENER = "listener", _("Listener: I mostly read and learn")
    CURATOR = "curator", _("Curator: I share good things I find")
    COMMENTER = "commenter", _("Commenter: I join conversations")
    CREATOR = "creator", _("Creator: I write my own posts")


class Visibility(models.TextChoices):
    NAME = "name", _("Show my name")
    ALIAS = "alias", _("Show an alias instead of my name")
    HIDDEN = "hidden", _("Don't list me (I still see my own rank)")


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=120, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    manager = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    location = models.CharField(max_length=120, blank=True)
    job_role = models.CharField(max_length=120, blank=True)
    # The wave someone was invited in ("Pilot", "Wave 2"), from the import; the programme
    # dashboard groups its funnel by it (by the month people joined where it is empty).
    cohort = models.CharField(max_length=60, blank=True)
    interests = TaggableManager(blank=True, help_text=_("Topics this person cares about."))
    advocacy_style = models.CharField(
        max_length=20, choices=AdvocacyStyle.choices, default=AdvocacyStyle.LISTENER
    )
    leaderboard_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.NAME
    )
    alias = models.CharField(max_length=40, blank=True)
    # Current answers per consent purpose (``portal.people.consent``); every answer, with
    # the words shown, is kept in ConsentRecord.
    consent_feed = models.BooleanField(default=False)
    consent_badge_evidence = models.BooleanField(default=False)
    consent_material = models.BooleanField(default=False)
    # The person lets their manager see their individual progress (works-council mode
    # keeps managers to aggregates otherwise).
    share_progress_with_manager = models.BooleanField(default=False)
    mentor_opt_in = models.BooleanField(default=False)
    # How the company's learning record store names this person in the training records
    # the portal sends it (xAPI): by email only when they choose, else by portal number.
    learning_record_email = models.BooleanField(default=False)
    # The interface's language; empty: the browser's.
    language = models.CharField(max_length=10, blank=True, choices=settings.LANGUAGES)
    # Working time (portal/people/worktime.py): empty values take the programme's
    # defaults. Messages wait for these hours; hourly workers may earn nothing outside
    # them (WorkingTimeSettings).
    time_zone = models.CharField(max_length=64, blank=True)
    work_days = models.CharField(max_length=7, blank=True)  # ISO weekdays: "12345"
    work_start = models.TimeField(null=True, blank=True)
    work_end = models.TimeField(null=True, blank=True)
    hourly = models.BooleanField(default=False)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    # When the person left (deactivated): hidden everywhere, data kept until erased.
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("alias"),
                condition=~models.Q(alias=""),
                name="people_profile_alias_ci_unique",
            ),
        ]
        permissions = [
            ("import_people", "Can import people from a CSV file"),
            ("view_progress", "Can view this person's training and sharing progress"),
        ]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self):
        return f"Profile of {self.user}"

    @property
    def email(self) -> str:
        return self.user.email

    @admin.display(description="Onboarding")
    def onboarding_state(self) -> str:
        return "Onboarded" if self.onboarded_at else "Not yet"

    @property
    def name(self) -> str:
        """The name others see of this person, before leaderboard visibility applies."""
        return self.display_name or self.user.get_full_name() or self.user.email.split("@")[0]

    @property
    def public_name(self) -> str:
        """The name shown on public lists: the alias when the person chose one."""
        if self.leaderboard_visibility == Visibility.ALIAS and self.alias:
            return self.alias
        return self.name

    @property
    def initials(self) -> str:
        parts = [part for part in self.public_name.replace("-", " ").split() if part]
        return "".join(part[0] for part in parts[:2]).upper() or "?"


class ConsentText(models.Model):
    """The exact words of one version of one consent purpose, as people were shown them."""

    purpose = models.CharField(max_length=40)
    version = models.CharField(max_length=20)
    label = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["purpose", "version"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="consent_text_once"),
        ]

    def __str__(self):
        return f"{self.purpose} v{self.version}"


class ConsentRecord(models.Model):
    """Every answer to a consent question (a grant, a decline or a withdrawal), with the
    words the person was shown."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consent_records")
    purpose = models.CharField(max_length=40)
    granted = models.BooleanField()
    wording = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        verb = "granted" if self.granted else "declined"
        return f"{self.user} {verb} {self.purpose} consent"


class ErasureRequest(models.Model):
    """A person asked for their data to be erased (GDPR Art. 17); programme admins act on it.

    Erasing the person deletes this row with them; a declined request keeps its reason.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="erasure_request")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(max_length=1000, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["requested_at"]
        permissions = [("erase_person", "Can erase a person's data")]

    def __str__(self):
        return f"Erasure request of {self.user}"


# The programme's working time starts from the deployment's settings (WORK_DAYS,
# WORK_HOURS, TIME_ZONE) until an admin changes it.
def default_time_zone() -> str:
    return settings.TIME_ZONE


def default_work_days() -> str:
    return settings.WORK_DAYS


def default_work_start() -> time:
    return settings.WORK_START


def default_work_end() -> time:
    return settings.WORK_END


WEEKDAYS = [
    ("1", _("Monday")), ("2", _("Tuesday")), ("3", _("Wednesday")), ("4", _("Thursday")),
    ("5", _("Friday")), ("6", _("Saturday")), ("7", _("Sunday")),
]  # fmt: skip


def validate_work_days(value: str) -> None:
    if not value or any(day not in "1234567" for day in value) or len(set(value)) != len(value):
        raise ValidationError(
            gettext("Give the working days as ISO weekday digits, such as 12345.")
        )


@register_setting(icon="time")
class WorkingTimeSettings(BaseGenericSetting):
    """The programme's working time: the default for people who set none, and whether
    hourly workers earn anything outside their hours (*Settings → Working time*)."""

    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        help_text=_("The time zone of people who choose none, such as Europe/Berlin."),
    )
    work_days = models.CharField(
        max_length=7,
        default=default_work_days,
        validators=[validate_work_days],
        help_text=_("Working days as ISO weekday digits: 1 is Monday, 7 is Sunday."),
    )
    work_start = models.TimeField(default=default_work_start)
    work_end = models.TimeField(
        default=default_work_end,
        help_text=_("An end before the start means a shift past midnight."),
    )
    hourly_unrewarded_outside_hours = models.BooleanField(
        default=True,
        verbose_name=_("No points for hourly workers outside their hours"),
        help_text=_(
            "Training, shares and check-ins by hourly workers outside their working "
            "hours earn no points and no streak, so nobody is rewarded for unpaid work."
        ),
    )

    panels = [
        FieldPanel("time_zone"),
        FieldPanel("work_days"),
        FieldPanel("work_start"),
        FieldPanel("work_end"),
        FieldPanel("hourly_unrewarded_outside_hours"),
    ]

    class Meta:
        verbose_name = "working time"

    def clean(self):
        from .worktime import zone_valid

        if not zone_valid(self.time_zone):
            raise ValidationError({"time_zone": "Unknown time zone."})


@register_setting(icon="lock")
class PrivacySettings(BaseGenericSetting):
    """The programme's privacy choices and notice, edited by programme admins
    (*Settings → Privacy*); defaults suit a works council's first reading."""

    controller = models.CharField(
        max_length=200,
        default="Your employer",
        help_text=_("Who is responsible for the data (the controller), as the notice names it."),
    )
    contact = models.CharField(
        max_length=200,
        default="privacy@example.com",
        help_text=_(
            "Where people ask questions or exercise their rights (the data protection "
            "officer or the programme team)."
        ),
    )
    notice_intro = RichTextField(
        blank=True,
        default="<p>This portal helps colleagues learn to speak for the company on social media "
        "and recognises the people who do. Taking part is voluntary, and you decide how you "
        "appear. This notice says what the portal keeps about you, who sees what, for how "
        "long, and the rights you have.</p>",
        help_text=_(
            "Shown at the top of the privacy notice; the rest of the notice is written "
            "from the settings below, so it always matches what the portal does."
        ),
    )
    works_council_mode = models.BooleanField(
        default=False,
        help_text=_(
            "New people start hidden on leaderboards, and managers see their teams' "
            "participation and aggregates only, unless a person chooses to share their "
            "progress with their manager."
        ),
    )
    individual_boards = models.BooleanField(
        default=True,
        help_text=_("Show boards of individuals. Off: only team and department boards."),
    )
    retain_clicks_days = models.PositiveIntegerField(
        default=30,
        help_text=_(
            "Days to keep raw tracked-link clicks (each with a one-day visitor hash); "
            "daily counts stay."
        ),
    )
    retain_notifications_days = models.PositiveIntegerField(
        default=180, help_text=_("Days to keep in-app notifications.")
    )
    retain_sessions_days = models.PositiveIntegerField(
        default=30,
        help_text=_("Days after which a sign-in session ends and is deleted."),
    )
    retain_reflections_days = models.PositiveIntegerField(
        default=365, help_text=_("Days to keep private reflections written in lessons.")
    )
    retain_leavers_days = models.PositiveIntegerField(
        default=90,
        help_text=_("Days after someone leaves (is deactivated) until their data is erased."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("controller"), FieldPanel("contact"), FieldPanel("notice_intro")],
            heading=_("Privacy notice"),
        ),
        MultiFieldPanel(
            [FieldPanel("works_council_mode"), FieldPanel("individual_boards")],
            heading=_("Programme"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("retain_clicks_days"),
                FieldPanel("retain_notifications_days"),
                FieldPanel("retain_sessions_days"),
                FieldPanel("retain_reflections_days"),
                FieldPanel("retain_leavers_days"),
            ],
            heading=_("Retention"),
        ),
    ]

    class Meta:
        verbose_name = "privacy"

    def clean(self):
        super().clean()
        for field in ("retain_clicks_days", "retain_sessions_days"):
            if getattr(self, field) < 1:
                raise ValidationError({field: "Keep these at least one day."})
