from django import forms

from .models import PushChoice


class PushChoiceForm(forms.ModelForm):
    """Which kinds of notification reach the person's phone."""

    class Meta:
        model = PushChoice
        fields = ["badges", "recognition", "mentoring", "content"]


class PushSubscriptionForm(forms.Form):
    """What a browser's ``PushSubscription.toJSON()`` holds."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.RegexField(regex=r"^[A-Za-z0-9_-]{80,100}={0,2}$", max_length=200)
    auth = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,30}={0,2}$", max_length=100)
