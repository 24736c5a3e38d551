"""Forms people fill in about themselves."""

from django import forms
from django.conf import settings
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .consent import BADGE_EVIDENCE, FEED, MATERIAL, Purpose
from .models import (
    WEEKDAYS,
    AdvocacyStyle,
    PrivacySettings,
    Profile,
    User,
    Visibility,
    WorkingTimeSettings,
)
from .worktime import zone_names

SUGGESTED_INTERESTS = [
    "sustainability",
    "product news",
    "careers",
    "engineering",
    "customer stories",
    "events",
    "diversity and inclusion",
    "research",
]


def _consent_field(purpose: Purpose) -> forms.BooleanField:
    return forms.BooleanField(
        required=False,
        template_name="includes/checkbox_field.html",
        label=purpose.label,
        help_text=purpose.text,
    )


class ProfileForm(forms.Form):
    ALIAS_TAKEN = "Someone already uses this alias; please pick another."

    language = forms.ChoiceField(
        choices=[("", _("Your browser's language")), *settings.LANGUAGES],
        required=False,
        label=_("Language"),
    )
    display_name = forms.CharField(
        max_length=120,
        required=False,
        label=_("What should we call you?"),
        help_text=_("Leave empty to use your full name."),
    )
    interests = forms.CharField(
        max_length=500,
        required=False,
        label=_("What topics do you care about?"),
        help_text="Separate topics with commas. We use them to suggest content you'd enjoy "
        "sharing, for example: " + ", ".join(SUGGESTED_INTERESTS[:4]) + ".",
    )
    advocacy_style = forms.ChoiceField(
        choices=AdvocacyStyle.choices,
        widget=forms.RadioSelect,
        label=_("How do you like to take part?"),
        help_text=_("There is no wrong answer; you can change it any time."),
    )
    leaderboard_visibility = forms.ChoiceField(
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        label=_("How should you appear on leaderboards?"),
    )
    alias = forms.CharField(
        max_length=40,
        required=False,
        label=_("Alias"),
        help_text=_("Shown instead of your name when you choose to appear under an alias."),
    )
    # One box per consent purpose, with the purpose's own words (see consent.py).
    consent_feed = _consent_field(FEED)
    consent_badge_evidence = _consent_field(BADGE_EVIDENCE)
    consent_material = _consent_field(MATERIAL)
    share_progress_with_manager = forms.BooleanField(
        required=False,
        template_name="includes/checkbox_field.html",
        label=_("Let my manager see my individual progress"),
        help_text=_(
            "Your courses, points and last activity on your manager's team page. "
            "Without this your manager sees only what the whole team does."
        ),
    )
    mentor_opt_in = forms.BooleanField(
        required=False,
        template_name="includes/checkbox_field.html",
        label=_("I'd like to mentor colleagues who are newer to social media"),
    )
    learning_record_email = forms.BooleanField(
        required=False,
        template_name="includes/checkbox_field.html",
        label=_("Name me by my email address in the company's learning records"),
        help_text=_(
            "The portal sends your training records (courses, scenarios, badges) to "
            "the company's learning record store. Without this they carry only your portal "
            "number."
        ),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not PrivacySettings.load().works_council_mode:
            # Outside works-council mode managers see their team's progress anyway, so the
            # choice would change nothing: it is not offered.
            del self.fields["share_progress_with_manager"]
        if not settings.XAPI_LRS_URL:
            del self.fields["learning_record_email"]  # no records go anywhere

    @classmethod
    def initial_for(cls, profile: Profile) -> dict:
        return {
            "language": profile.language,
            "display_name": profile.display_name,
            "interests": ", ".join(sorted(tag.name for tag in profile.interests.all()))
            if profile.pk
            else "",
            "advocacy_style": profile.advocacy_style,
            "leaderboard_visibility": profile.leaderboard_visibility,
            "alias": profile.alias,
            "consent_feed": profile.consent_feed,
            "consent_badge_evidence": profile.consent_badge_evidence,
            "consent_material": profile.consent_material,
            "share_progress_with_manager": profile.share_progress_with_manager,
            "mentor_opt_in": profile.mentor_opt_in,
            "learning_record_email": profile.learning_record_email,
        }

    def clean_interests(self) -> list[str]:
        raw = self.cleaned_data["interests"]
        tags = [tag.strip() for tag in raw.split(",") if tag.strip()]
        too_long = [tag for tag in tags if len(tag) > 100]
        if too_long:
            raise forms.ValidationError(gettext("Each topic must be at most 100 characters."))
        if len(tags) > 20:
            raise forms.ValidationError(gettext("Choose at most 20 topics."))
        return tags

    def clean_alias(self) -> str:
        alias = self.cleaned_data["alias"].strip()
        if alias and (
            Profile.objects.annotate(alias_lower=Lower("alias"))
            .filter(alias_lower=alias.lower())
            .exclude(user=self.user)
            .exists()
        ):
            raise forms.ValidationError(self.ALIAS_TAKEN)
        return alias

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("leaderboard_visibility") == Visibility.ALIAS
            and not cleaned.get("alias")
            and "alias" not in self.errors  # a taken alias says so, once
        ):
            self.add_error("alias", gettext("Choose an alias to appear under."))
        return cleaned


class ConfirmCodeForm(forms.Form):
    """The first code from a newly scanned authenticator app: proves the scan worked."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if self.device is not None and not self.device.verify_is_allowed()[0]:
            raise forms.ValidationError(
                gettext("Too many wrong codes in a row: wait a minute and retry.")
            )
        if self.device is None or not code.isdigit() or not self.device.verify_token(code):
            raise forms.ValidationError(
                gettext(
                    "That code did not match. Check the time on your phone and enter the "
                    "current code."
                )
            )
        return code


class PasswordCheckForm(forms.Form):
    """Your password again, before a change to how you sign in."""

    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(gettext("That is not your password."))
        return self.cleaned_data["password"]


class WorkingTimeForm(forms.Form):
    """When a person works: messages wait for these hours (portal/people/worktime.py)."""

    time_zone = forms.ChoiceField(label=_("Your time zone"), required=False)
    work_days = forms.MultipleChoiceField(
        label=_("Your working days"),
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    work_start = forms.TimeField(
        label=_("You start at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    work_end = forms.TimeField(
        label=_("You finish at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("A finish before the start means a shift past midnight."),
    )
    hourly = forms.BooleanField(
        required=False,
        template_name="includes/checkbox_field.html",
        label=_("I am paid by the hour"),
        help_text=_("The programme gives no points for anything you do here outside your hours."),
    )

    def __init__(self, *args, defaults: WorkingTimeSettings, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        zone_field = self.fields["time_zone"]
        assert isinstance(zone_field, forms.ChoiceField)
        zone_field.choices = [
            ("", _("The programme's (%(zone)s)") % {"zone": defaults.time_zone}),
            *((name, name.replace("_", " ")) for name in sorted(zone_names())),
        ]
        days = ", ".join(str(label) for value, label in WEEKDAYS if value in defaults.work_days)
        self.fields["work_days"].help_text = _("None ticked: the programme's (%(days)s).") % {
            "days": days
        }
        self.fields["work_start"].help_text = _(
            "Empty: the programme's hours (%(start)s to %(end)s)."
        ) % {"start": f"{defaults.work_start:%H:%M}", "end": f"{defaults.work_end:%H:%M}"}

    @classmethod
    def initial_for(cls, profile: Profile) -> dict:
        return {
            "time_zone": profile.time_zone,
            "work_days": list(profile.work_days),
            "work_start": profile.work_start,
            "work_end": profile.work_end,
            "hourly": profile.hourly,
        }

    def clean_work_days(self) -> str:
        return "".join(sorted(self.cleaned_data["work_days"]))
