from django import forms
from django.utils.translation import gettext, gettext_lazy

from .selectors import GROUPINGS, PERIODS


class DashboardFilters(forms.Form):
    """The dashboard's period and filters, from the query string."""

    period = forms.ChoiceField(
        choices=[*PERIODS.items(), ("custom", "Custom")], required=False, initial="month"
    )
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    team = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    by = forms.ChoiceField(
        choices=[(key, key.capitalize()) for key in GROUPINGS], required=False,
        label=gettext_lazy("Funnel by"),
    )  # fmt: skip
    location = forms.CharField(required=False, max_length=120)
    job_role = forms.CharField(required=False, max_length=120, label=gettext_lazy("Job role"))

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(
                    gettext("A custom period needs a start and an end date.")
                )
            if end < start:
                raise forms.ValidationError(gettext("The period ends before it starts."))
            if (end - start).days > 3 * 366:
                raise forms.ValidationError(gettext("Choose a period of at most three years."))
        return data
