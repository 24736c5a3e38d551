"""Admin screens: webhooks, chat channels, and the delivery log (with "Send again")."""

from django import forms
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .delivery import delivery_retry
from .models import ChatChannel, Delivery, DeliveryState, Event, Webhook, XapiCursor


class SecretKeepingForm(WagtailAdminModelForm):
    """The secret field (a webhook's secret, a channel's address) is never shown back;
    left empty on an edit, it keeps its value."""

    secret_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[self.secret_field]
        field.widget = forms.PasswordInput(render_value=False)
        field.required = self.instance.pk is None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not cleaned.get(self.secret_field):
            cleaned[self.secret_field] = getattr(
                type(self.instance).objects.get(pk=self.instance.pk), self.secret_field
            )
            self.errors.pop(self.secret_field, None)
        return cleaned


class WebhookForm(SecretKeepingForm):
    secret_field = "secret"  # noqa: S105 (a field's name)
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    def clean_secret(self):
        secret = self.cleaned_data.get("secret", "")
        if secret and len(secret) < 16:
            raise forms.ValidationError("Use at least 16 characters.")
        return secret


class ChatChannelForm(SecretKeepingForm):
    secret_field = "url"  # noqa: S105 (a field's name)


class DeliveryForm(WagtailAdminModelForm):
    """A delivery is only ever sent again ("Waiting") or given up ("Failed")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            (DeliveryState.PENDING, "Send again now"),
            (DeliveryState.FAILED, "Give up"),
        ]
        self.fields["state"].label = "What to do"

    def save(self, commit=True):
        delivery = super().save(commit=commit)
        if commit and delivery.state == DeliveryState.PENDING:
            delivery_retry(delivery)
        return delivery


class WebhookViewSet(ModelViewSet):
    model = Webhook
    icon = "link-external"
    url_prefix = "integrations/webhooks"
    list_display = ["name", "address", "active"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("secret"),
            FieldPanel("events"),
            FieldPanel("include_email"),
            FieldPanel("active"),
        ],
        base_form_class=WebhookForm,
    )


class ChatChannelViewSet(ModelViewSet):
    model = ChatChannel
    icon = "comment"
    url_prefix = "integrations/chat"
    menu_label = "Slack and Teams channels"
    list_display = ["name", "kind", "address", "active"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("kind"),
            FieldPanel("url"),
            FieldPanel("recognitions"),
            FieldPanel("badges"),
            FieldPanel("weekly_highlight"),
            FieldPanel("topics"),
            FieldPanel("active"),
        ],
        base_form_class=ChatChannelForm,
    )


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    icon = "list-ul"
    url_prefix = "integrations/deliveries"
    menu_label = "Delivery log"
    list_display = ["event", "target", "state", "attempts", "status_code", "error", "created_at"]
    list_filter = ["state", "event"]
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "event", "state", "attempts", "status_code", "error", "created_at", "sent_at",
        "next_attempt_at", "payload",
    ]  # fmt: skip
    edit_handler = ObjectList([FieldPanel("state")], base_form_class=DeliveryForm)

    def get_queryset(self, request):
        return Delivery.objects.select_related("webhook", "channel")


class XapiCursorViewSet(ModelViewSet):
    """How far the push to the Learning Record Store has come, and its last problem."""

    model = XapiCursor
    icon = "doc-full"
    url_prefix = "integrations/lrs"
    menu_label = "Learning record store"
    list_display = ["name", "sent", "sent_at", "problem", "problem_at"]
    add_view_enabled = False
    edit_view_enabled = False
    copy_view_enabled = False
    delete_view_enabled = False
    form_fields: list[str] = []


class IntegrationsGroup(ModelViewSetGroup):
    menu_label = "Integrations"
    menu_icon = "link-external"
    menu_order = 920
    items = (WebhookViewSet, ChatChannelViewSet, DeliveryViewSet, XapiCursorViewSet)


@hooks.register("register_admin_viewset")
def register_integrations():
    return IntegrationsGroup()
