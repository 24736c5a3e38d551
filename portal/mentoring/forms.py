"""Mentoring forms: what people typed; services decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy

from portal.submissions import OnceForm

from .models import NETWORKS


class MentoringProfileForm(forms.Form):
    is_mentor = forms.BooleanField(
        label=gettext_lazy("I offer to mentor colleagues"), required=False
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=5,
        initial=2,
        help_text=gettext_lazy("How many mentees at once (1 to 5)."),
    )
    networks = forms.MultipleChoiceField(
        choices=NETWORKS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Networks I know well"),
    )
    topics = forms.CharField(
        max_length=300,
        required=False,
        help_text=gettext_lazy("Comma-separated, e.g. careers, renewables"),
    )
    languages = forms.CharField(
        max_length=200,
        initial="english",
        help_text=gettext_lazy("Comma-separated, e.g. english, german"),
    )
    wants_mentor = forms.BooleanField(label=gettext_lazy("I would like a mentor"), required=False)
    growth_networks = forms.MultipleChoiceField(
        choices=NETWORKS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Networks I want to grow on"),
    )


class CheckInForm(OnceForm):
    note = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Check-in note"),
        help_text=gettext_lazy("Only you and your mentoring partner can read it."),
    )


class GoalForm(OnceForm):
    title = forms.CharField(max_length=200, label=gettext_lazy("Goal"))
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
