"""Forms for recognition and kudos: what people typed; services decide the rest."""

from django import forms
from django.utils.translation import gettext, gettext_lazy

from badges.models import Badge
from portal.locales import originals
from portal.people.models import User, Visibility, normalise_email
from portal.submissions import OnceForm

from .models import Category
from .services import MESSAGE_LIMIT


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User):
        team = user.profile.team
        return f"{user.profile.name}{f' ({team.name})' if team else ''}"


class RecognitionForm(OnceForm):
    recipient = PersonChoiceField(queryset=None, label=gettext_lazy("Who"))
    category = forms.ModelChoiceField(queryset=Category.objects.filter(active=True))
    message = forms.CharField(
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What did they do, and why did it matter?"),
    )
    points = forms.IntegerField(min_value=0, initial=20)
    badge = forms.ModelChoiceField(
        queryset=originals(Badge.objects.filter(active=True)),
        required=False,
        empty_label=gettext_lazy("No badge"),
        help_text=gettext_lazy("Optional: a badge to award with it."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = people


class PublicPersonChoiceField(forms.ModelChoiceField):
    """Colleagues as everyone may see them: their public name (an alias when chosen)."""

    def label_from_instance(self, user: User):
        team = user.profile.team
        return f"{user.profile.public_name}{f' ({team.name})' if team else ''}"


class KudosForm(OnceForm):
    """Anyone thanks anyone. The list shows people under their public name and leaves out
    those who chose not to be listed; they can still be thanked by their exact email."""

    recipient = PublicPersonChoiceField(
        queryset=None, label=gettext_lazy("Who are you thanking?"), required=False
    )
    email = forms.EmailField(
        required=False,
        label=gettext_lazy("Or their work email"),
        help_text=gettext_lazy("For colleagues who are not listed."),
    )
    message = forms.CharField(
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Your thanks"),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["recipient"].queryset = people.exclude(
            profile__leaderboard_visibility=Visibility.HIDDEN
        ).order_by("profile__alias", "first_name", "last_name")

    def clean(self):
        cleaned = super().clean()
        email = normalise_email(cleaned.pop("email", "") or "")
        if cleaned.get("recipient") is None and email:
            cleaned["recipient"] = self.people.filter(email=email).first()
            if cleaned["recipient"] is None:
                self.add_error("email", gettext("Nobody you can thank has this email address."))
        elif cleaned.get("recipient") is None and not self.errors:
            self.add_error("recipient", gettext("Choose whom to thank, or give their work email."))
        return cleaned
