from django import forms
from django.utils.translation import gettext_lazy

from portal.people.admin_forms import UsersByEmailField


class AwardForm(forms.Form):
    recipient = UsersByEmailField(
        multiple=False, required=True, label=gettext_lazy("Email of the person")
    )
    evidence_url = forms.URLField(
        required=False,
        max_length=500,
        label=gettext_lazy("Evidence link (optional)"),
        assume_scheme="https",
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Why they earned it"),
        help_text=gettext_lazy("Published with the badge as its evidence."),
    )

    def clean_recipient(self):
        people = self.cleaned_data["recipient"]
        return people[0] if isinstance(people, list) else people


class RevokeForm(forms.Form):
    reason = forms.CharField(max_length=1000, strip=True)


class VisibilityForm(forms.Form):
    visibility = forms.CharField(max_length=20)
