"""Forms for recognition and kudos: what people typed; services decide the rest."""

from django import forms

from badges.models import Badge

from .models import Category
from .services import MESSAGE_LIMIT


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        team = user.profile.team
        return f"{user.profile.name}{f' ({team.name})' if team else ''}"


class RecognitionForm(forms.Form):
    recipient = PersonChoiceField(queryset=None, label="Who")
    category = forms.ModelChoiceField(queryset=Category.objects.filter(active=True))
    message = forms.CharField(
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What did they do, and why did it matter?",
    )
    points = forms.IntegerField(min_value=0, initial=20)
    badge = forms.ModelChoiceField(
        queryset=Badge.objects.filter(active=True),
        required=False,
        empty_label="No badge",
        help_text="Optional: a badge to award with it.",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = people


class KudosForm(forms.Form):
    recipient = PersonChoiceField(queryset=None, label="Who are you thanking?")
    message = forms.CharField(
        max_length=MESSAGE_LIMIT, widget=forms.Textarea(attrs={"rows": 3}), label="Your thanks"
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = people
