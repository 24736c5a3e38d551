from django.apps import AppConfig


class ActivityConfig(AppConfig):
    """The append-only activity ledger every point, badge and rank is derived from."""

    name = "portal.activity"
    label = "activity"
    verbose_name = "Activity ledger"
