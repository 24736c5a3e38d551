from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "portal.sharing"
    label = "sharing"
    verbose_name = "Content hub and sharing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import published

        from .announce import item_published

        published.connect(item_published, dispatch_uid="sharing.item_published")
