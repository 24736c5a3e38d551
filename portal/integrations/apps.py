from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """Integrations: signed webhooks to other systems (CRM, BI, HR), and messages to
    Slack and Microsoft Teams channels, sent as background tasks with retries and a
    delivery log."""

    name = "portal.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self):
        from wagtail.signals import published

        from .events import hub_item_published

        published.connect(hub_item_published, dispatch_uid="integrations.hub_item_published")
