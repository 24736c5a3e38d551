"""What provisioning keeps beside the people app's records."""

from django.db import models
from django.utils import timezone

from portal.people.models import User
from portal.signatures import token_new

TOKEN_PREFIX = "scim_"  # noqa: S105 (a prefix, not a secret)


class ScimTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ScimToken(models.Model):
    """A bearer token a provisioning client (Entra ID, Okta, ...) calls /scim/v2/ with.
    Only its digest is kept; the token is shown once, when it is made."""

    name = models.CharField(max_length=100, unique=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScimTokenQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "SCIM token"

    def __str__(self):
        return self.name

    @classmethod
    def issue(cls, name: str) -> tuple["ScimToken", str]:
        token, digest = token_new(TOKEN_PREFIX)
        return cls.objects.create(name=name, digest=digest), token


class Provisioned(models.Model):
    """A person as a provisioning client knows them: the userName and externalId it
    chose, and whether it deleted them (they are then deactivated, and gone for it)."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="provisioned"
    )
    user_name = models.CharField(max_length=254, unique=True)
    external_id = models.CharField(max_length=254, blank=True)
    deleted = models.BooleanField(default=False)

    def __str__(self):
        return self.user_name


class ProvisionedGroup(models.Model):
    """The externalId a provisioning client gave a group (a department or team), by the
    group's SCIM id (``d12``, ``t7``)."""

    group_id = models.CharField(max_length=24, primary_key=True)
    external_id = models.CharField(max_length=254, blank=True)

    def __str__(self):
        return self.group_id
