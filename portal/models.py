"""Models of the project package itself (what every app may use)."""

from django.conf import settings
from django.db import models


class Submission(models.Model):
    """A form with a side effect that was carried out, by its one-time token: a double
    click or a retry after a lost response carries the same token and does nothing more
    (``portal.submissions``). Kept a day."""

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.token} by {self.user_id}"


class Export(models.Model):
    """A file someone asked the worker to prepare (``portal.exports``): built by a task,
    downloadable by the person who asked, deleted after ``EXPORT_KEEP_HOURS``."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True)
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file_name = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} for {self.requested_by_id} ({self.status})"
