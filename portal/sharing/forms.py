"""Forms of the content hub: check what people typed; services decide the rest."""

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from portal.submissions import OnceForm

from .models import ContentItem, Kind, Network


class ShareForm(forms.Form):
    # One or more networks: one post, a tracked link for each.
    network = forms.MultipleChoiceField(
        choices=Network.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose where you will post it.")},
    )
    caption = forms.CharField(
        label=_("Your post"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Start from the suggestion and make it yours: why does this matter to you?"),
    )


class SuggestForm(OnceForm):
    title = forms.CharField(max_length=ContentItem._meta.get_field("title").max_length)
    url = forms.URLField(
        label=_("Link"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        assume_scheme="https",
    )
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.CURATED, widget=forms.RadioSelect)
    summary = forms.CharField(
        label=_("Why is it worth sharing?"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tags = forms.CharField(
        label=_("Topics"),
        max_length=300,
        required=False,
        help_text=_("Comma-separated, for example: sustainability, careers"),
    )

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]
