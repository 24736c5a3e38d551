"""Milestones: when each person reached each step of the recruitment funnel.

A projection of the ledger (and of sign-ins), kept up to date by a ledger subscriber
(``services.milestones_hear``) and rebuildable from scratch
(``python manage.py rebuild_rollups [--check]``). The programme dashboard counts these
rows, never the raw ledger.
"""

from django.conf import settings
from django.db import models

STEPS = [
    # (field, what the dashboard calls the step)
    ("invited_at", "Invited"),
    ("signed_in_at", "Signed in"),
    ("onboarded_at", "Onboarded"),
    ("training_started_at", "Started training"),
    ("sharing_unlocked_at", "Completed the onboarding path (sharing unlocked)"),
    ("first_share_at", "First share"),
    ("first_quality_share_at", "First quality share"),
]


class Milestones(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="milestones",
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    signed_in_at = models.DateTimeField(null=True, blank=True)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    training_started_at = models.DateTimeField(null=True, blank=True)
    sharing_unlocked_at = models.DateTimeField(null=True, blank=True)
    first_share_at = models.DateTimeField(null=True, blank=True)
    first_quality_share_at = models.DateTimeField(null=True, blank=True)
    last_active_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name_plural = "milestones"

    def __str__(self):
        return f"Milestones of {self.user}"

    def as_tuple(self) -> tuple:
        return (*(getattr(self, field) for field, _ in STEPS), self.last_active_at)
