"""The SQL rank store's running totals: one row per board, window season and person."""

from django.conf import settings
from django.db import models


class BoardScore(models.Model):
    board = models.CharField(max_length=80)
    window = models.CharField(max_length=12)
    # No foreign key in the database: the totals are a projection of the ledger, which
    # the rebuild's check keeps honest, and checking a key for each of millions of rows
    # at commit doubled a rebuild's time. Deleting a person still deletes their totals
    # (Django cascades; leavers are taken off the boards first).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="board_scores",
        db_constraint=False,
        db_index=False,  # ``board_score_user`` below, which a rebuild builds after writing
    )
    points = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "window", "user"], name="board_score_once"),
        ]
        indexes = [
            # "top N" reads this index in order; "my rank" counts a range of it.
            models.Index(fields=["board", "window", "-points", "user"], name="board_rank"),
            # Taking people off every board; deleting a person.
            models.Index(fields=["user"], name="board_score_user"),
        ]

    def __str__(self):
        return f"{self.board}/{self.window}: {self.user_id} {self.points}"


class BoardPointCount(models.Model):
    """How many people have exactly ``points`` on a board season.

    "My rank" sums these counts for the totals above mine: a range over the distinct
    totals (a few hundred) instead of over the people (up to everyone), so it costs the
    same for the first and the hundred-thousandth person.
    """

    board = models.CharField(max_length=80)
    window = models.CharField(max_length=12)
    points = models.IntegerField()
    people = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["board", "window", "points"], name="board_point_count_once"
            ),
        ]

    def __str__(self):
        return f"{self.board}/{self.window}: {self.people} with {self.points}"
