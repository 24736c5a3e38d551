"""Runs of the daily privacy job: one row per day, reserved before it runs, so several
workers run it once; its report stays for admins to read."""

from django.db import models


class RetentionRun(models.Model):
    day = models.DateField(unique=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self):
        return f"Retention run of {self.day}"
