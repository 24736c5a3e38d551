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
        from django.db.models.signals import post_delete, post_save, pre_delete

        from courses.models import CoursePage, LessonPage
        from courses.signals import learning_recorded
        from portal.people.models import Profile, User
        from portal.people.signals import (
            people_joined,
            people_left,
            people_moved,
            people_returned,
        )
        from portal.sharing.models import Share
        from portal.sharing.signals import previews_changed, shares_changed

        from .rollups import (
            people_leaving,
            people_made,
            people_moved_in_bulk,
            people_returning,
            profile_saved,
            user_deleting,
            user_saved,
        )
        from .services import (
            learning_heard,
            milestone_signed_in,
            page_deleted,
            page_deleting,
            previews_figures_changed,
            share_saved,
            shares_figures_changed,
        )

        user_logged_in.connect(milestone_signed_in, dispatch_uid="measurement-signed-in")
        learning_recorded.connect(learning_heard, dispatch_uid="measurement-learning")
        for page in (CoursePage, LessonPage):  # their records go with them
            pre_delete.connect(page_deleting, sender=page, dispatch_uid=f"measurement-{page}")
            post_delete.connect(page_deleted, sender=page, dispatch_uid=f"measurement-{page}")
        post_save.connect(share_saved, sender=Share, dispatch_uid="measurement-share")
        shares_changed.connect(shares_figures_changed, dispatch_uid="measurement-shares")
        previews_changed.connect(previews_figures_changed, dispatch_uid="measurement-previews")
        # A person's statements move with their profile and leave with them.
        post_save.connect(profile_saved, sender=Profile, dispatch_uid="measurement-profile")
        pre_delete.connect(user_deleting, sender=User, dispatch_uid="measurement-erase")
        people_moved.connect(people_moved_in_bulk, dispatch_uid="measurement-moved")
        # Everyone invited is in the funnel until they leave.
        post_save.connect(user_saved, sender=User, dispatch_uid="measurement-invited")
        people_joined.connect(people_made, dispatch_uid="measurement-joined")
        people_left.connect(people_leaving, dispatch_uid="measurement-left")
        people_returned.connect(people_returning, dispatch_uid="measurement-returned")
