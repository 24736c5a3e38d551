from django.apps import AppConfig


class LeaderboardsConfig(AppConfig):
    """Leaderboards per company, department and team, kept from the ledger."""

    name = "leaderboards"

    def ready(self):
        from portal.activity.subscribers import subscribe

        from .services import leaderboards_record

        subscribe("leaderboards", leaderboards_record)
