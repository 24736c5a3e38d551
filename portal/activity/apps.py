from django.apps import AppConfig


class ActivityConfig(AppConfig):
    """The append-only activity ledger every point, badge and rank is derived from."""

    name = "portal.activity"
    label = "activity"
    verbose_name = "Activity ledger"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import PointsRule
        from .services import points_rules_forget

        # Cache upkeep only: the rules are read through a short-lived cache.
        post_save.connect(points_rules_forget, sender=PointsRule, dispatch_uid="rules-forget")
        post_delete.connect(points_rules_forget, sender=PointsRule, dispatch_uid="rules-forget")
