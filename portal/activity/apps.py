from django.apps import AppConfig


class ActivityConfig(AppConfig):
    """The append-only activity ledger every point, badge and rank is derived from."""

    name = "portal.activity"
    label = "activity"
    verbose_name = "Activity ledger"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Level, PointsRule
        from .selectors import levels
        from .services import points_rules

        # Cache upkeep only: rules and levels are read through a short-lived cache.
        for model, kept, uid in ((PointsRule, points_rules, "rules"), (Level, levels, "levels")):
            post_save.connect(kept.forget, sender=model, dispatch_uid=f"{uid}-forget")
            post_delete.connect(kept.forget, sender=model, dispatch_uid=f"{uid}-forget")
