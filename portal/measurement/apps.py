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
        from django.db.models.signals import post_save, pre_delete

        from portal.people.models import Profile, User
        from portal.people.signals import people_moved

        from .rollups import people_moved_in_bulk, profile_saved, user_deleting
        from .services import milestone_signed_in

        user_logged_in.connect(milestone_signed_in, dispatch_uid="measurement-signed-in")
        # A person's statements move with their profile and leave with them.
        post_save.connect(profile_saved, sender=Profile, dispatch_uid="measurement-profile")
        pre_delete.connect(user_deleting, sender=User, dispatch_uid="measurement-erase")
        people_moved.connect(people_moved_in_bulk, dispatch_uid="measurement-moved")
