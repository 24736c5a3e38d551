from django.apps import AppConfig


class ActivityConfig(AppConfig):
    """The append-only activity ledger every point, badge and rank is derived from."""

    name = "portal.activity"
    label = "activity"
    verbose_name = "Activity ledger"

    def ready(self):
        from portal.cache import forget_when_changed

        from .models import Level, PointsRule
        from .selectors import levels
        from .services import points_rules

        # Cache upkeep only: rules and levels are read through a short-lived cache.
        forget_when_changed(points_rules, PointsRule)
        forget_when_changed(levels, Level)
