"""API tokens: a person's own (personal), or one a programme admin makes for a system
(service). Either acts with its owner's rights and no more, within its scopes; only a
digest of the token is kept."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.signatures import token_new

TOKEN_PREFIX = "apt_"  # noqa: S105 (a prefix, not a secret)


class Scope(models.TextChoices):
    PROGRESS_READ = "progress:read", "Read my own progress (personal tokens)"
    FIGURES_READ = "figures:read", "Read programme figures (programme admins, managers)"
    CONTENT_READ = "content:read", "Read hub content items (programme admins)"
    CONTENT_WRITE = "content:write", "Suggest hub content items (they land in moderation)"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, owner__is_active=True)


class ApiToken(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_api_tokens"
    )
    name = models.CharField(max_length=100)
    service = models.BooleanField(
        default=False, help_text="Made by a programme admin for another system."
    )
    scopes = models.JSONField(default=list)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="api_token_name_once")
        ]

    def __str__(self):
        return self.name

    @classmethod
    def issue(cls, *, owner, name: str, scopes: list[str], service: bool = False):
        token, digest = token_new(TOKEN_PREFIX)
        made = cls.objects.create(
            owner=owner, name=name, scopes=sorted(set(scopes)), service=service,
            digest=digest,
        )  # fmt: skip
        return made, token
