"""The SQL rank store's running totals: one row per board, window season and person."""

from django.conf import settings
from django.db import models


class BoardScore(models.Model):
    board = models.CharField(max_length=80)
    window = models.CharField(max_length=12)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_scores"
    )
    points = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "window", "user"], name="board_score_once"),
        ]
        indexes = [
            # "top N" reads this index in order; "my rank" counts a range of it.
            models.Index(fields=["board", "window", "-points", "user"], name="board_rank"),
        ]

    def __str__(self):
        return f"{self.board}/{self.window}: {self.user_id} {self.points}"
