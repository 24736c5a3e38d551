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
