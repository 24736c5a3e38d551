"""Programme targets in the Wagtail admin (Settings → Programme targets); the earned
media value's figures are a site setting (Settings → Measurement)."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Target
from .objectives import objectives


class TargetForm(WagtailAdminModelForm):
    """The objective is picked from the published ones (or kept as it was)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = objectives()
        current = self.instance.objective
        if current and current not in choices:
            choices.append(current)
        if choices:
            self.fields["objective"] = forms.ChoiceField(
                choices=[(choice, choice) for choice in choices],
                help_text="The objectives published by the purpose workshop.",
            )


class TargetViewSet(SnippetViewSet):
    model = Target
    icon = "crosshairs"
    menu_label = "Programme targets"
    menu_name = "programme-targets"
    add_to_settings_menu = True
    list_display = ["objective", "kpi", "value", "cadence", "due"]
    edit_handler = ObjectList(
        [FieldPanel(name) for name in ("objective", "kpi", "value", "cadence", "starts", "due")],
        base_form_class=TargetForm,
    )


register_snippet(TargetViewSet)
