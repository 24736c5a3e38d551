from django.apps import AppConfig


class MeasurementConfig(AppConfig):
    """The programme's figures: milestones per person kept from the ledger, and the
    programme dashboard (/programme/)."""

    name = "portal.measurement"
    label = "measurement"
    verbose_name = "Measurement"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .services import milestone_signed_in

        user_logged_in.connect(milestone_signed_in, dispatch_uid="measurement-signed-in")
