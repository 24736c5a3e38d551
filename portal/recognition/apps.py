from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    """Managers' budgeted recognition, peer kudos, and the public recognition feed."""

    name = "portal.recognition"
    label = "recognition"
    verbose_name = "Recognition"
    default_auto_field = "django.db.models.BigAutoField"
