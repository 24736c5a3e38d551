from django.apps import AppConfig


class MentoringConfig(AppConfig):
    """Mentors and mentees: opt-in, pairing, object rights that follow it, a live view."""

    name = "portal.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.activity.subscribers import subscribe
        from portal.people.signals import people_left

        from .services import mentoring_hear, pairings_end_for_leavers

        subscribe("mentoring", mentoring_hear)
        people_left.connect(pairings_end_for_leavers, dispatch_uid="mentoring-leavers")
