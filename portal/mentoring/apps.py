from django.apps import AppConfig


class MentoringConfig(AppConfig):
    """Mentors and mentees: opt-in, pairing, object rights that follow it, a live view."""

    name = "portal.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.activity.subscribers import subscribe

        from .services import mentoring_hear

        subscribe("mentoring", mentoring_hear)
