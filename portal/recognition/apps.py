from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    """Managers' budgeted recognition, peer kudos, and the public recognition feed."""

    name = "portal.recognition"
    label = "recognition"
    verbose_name = "Recognition"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.people.signals import consent_changed, people_left

        from .services import feed_retract

        consent_changed.connect(feed_retract, dispatch_uid="recognition-retract-consent")
        people_left.connect(feed_retract, dispatch_uid="recognition-retract-left")
