from django.apps import AppConfig


class MentoringConfig(AppConfig):
    """Mentors and mentees: opt-in, pairing, object rights that follow it, a live view."""

    name = "portal.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.people.signals import people_left

        from .services import pairings_end_for_leavers

        people_left.connect(pairings_end_for_leavers, dispatch_uid="mentoring-leavers")
