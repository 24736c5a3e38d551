"""Forms for the privacy pages: posted text is checked by form fields (length, no NUL)."""

from django import forms
from django.utils.translation import gettext


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(max_length=1000, required=False)


class EraseForm(forms.Form):
    email = forms.EmailField(max_length=254)
    confirm = forms.CharField(max_length=254)

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email", "").strip().lower()
        if email and cleaned.get("confirm", "").strip().lower() != email:
            raise forms.ValidationError(gettext("Type the person's email in the confirmation box."))
        cleaned["email"] = email
        return cleaned


class DeclineForm(forms.Form):
    reason = forms.CharField(max_length=1000)
