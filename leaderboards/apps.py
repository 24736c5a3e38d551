from django.apps import AppConfig


class LeaderboardsConfig(AppConfig):
    """Leaderboards per company, department and team, kept from the ledger."""

    name = "leaderboards"

    def ready(self):
        from django.db.models.signals import post_save, pre_save

        from portal.people.models import Profile
        from portal.people.signals import people_left, people_moved, people_returned

        from .services import (
            leaderboards_forget,
            profile_shown_after,
            profile_shown_before,
            reseat_moved_people,
        )

        pre_save.connect(profile_shown_before, sender=Profile, dispatch_uid="leaderboards-shown")
        post_save.connect(profile_shown_after, sender=Profile, dispatch_uid="leaderboards-shown")
        people_moved.connect(reseat_moved_people, dispatch_uid="leaderboards-reseat")
        people_returned.connect(reseat_moved_people, dispatch_uid="leaderboards-returned")
        people_left.connect(leaderboards_forget, dispatch_uid="leaderboards-left")
