from django.apps import AppConfig


class LeaderboardsConfig(AppConfig):
    """Rank stores, boards and live leaderboard sockets (built in a later issue)."""

    name = "leaderboards"
