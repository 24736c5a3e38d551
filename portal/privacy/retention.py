"""Retention: each kind of personal data is kept only as long as the privacy settings say.

``retention_apply`` runs daily (``portal.privacy.daily``) and by hand with
``python manage.py apply_retention [--dry-run]``; it returns what it removed (or would).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from courses.models import Reflection
from courses.services import workshop_contributions_credit
from portal.notifications.models import Notification
from portal.people.audit import security_entries_before
from portal.people.models import PrivacySettings, User
from portal.sharing.services import clicks_past_retention

from .erasure import person_erase


@dataclass
class RetentionReport:
    dry_run: bool
    removed: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        verb = "would remove" if self.dry_run else "removed"
        return [f"{what}: {verb} {count}" for what, count in self.removed.items()]


def retention_apply(*, now: datetime | None = None, dry_run: bool = False) -> RetentionReport:
    now = now or timezone.now()
    config = PrivacySettings.load()
    report = RetentionReport(dry_run=dry_run)

    def cut(days: int) -> datetime:
        return now - timedelta(days=max(1, days))

    clicks, salts = clicks_past_retention(now=now)
    batches = {
        "raw tracked-link clicks (with their visitor hashes)": clicks,
        "visitor salts of past days": salts,
        "notifications": Notification.objects.filter(
            created_at__lt=cut(config.retain_notifications_days)
        ),
        # A session's expiry is its last use plus SESSION_COOKIE_AGE: one last used more
        # than the limit ago expires before now + age - limit (an ended one before now).
        "sessions (ended, or unused for longer than the limit)": Session.objects.filter(
            expire_date__lt=max(
                now, now + _session_age() - timedelta(days=max(1, config.retain_sessions_days))
            )
        ),
        "reflections": Reflection.objects.filter(
            updated_at__lt=cut(config.retain_reflections_days)
        ),
        # django-axes: failed sign-ins and lockouts (a network pseudonym, no address).
        "failed sign-in records": AccessFailureLog.objects.filter(
            attempt_time__lt=cut(settings.SECURITY_LOG_DAYS)
        ),
        "sign-in attempt counters": AccessAttempt.objects.filter(
            attempt_time__lt=cut(settings.SECURITY_LOG_DAYS)
        ),
        "sign-in entries of the audit log": security_entries_before(
            cut(settings.SECURITY_LOG_DAYS)
        ),
    }
    with transaction.atomic():
        for what, rows in batches.items():
            report.removed[what] = rows.count() if dry_run else rows.delete()[0]
    leavers = User.objects.filter(
        is_active=False,
        profile__left_at__isnull=False,
        profile__left_at__lt=cut(config.retain_leavers_days),
    )
    report.removed["leavers erased"] = leavers.count()
    if not dry_run:
        for leaver in leavers:
            person_erase(user=leaver)
        # Batched workshop credit: a waiting contribution is credited with at least four
        # others, or when its workshop has closed (see courses.services).
        workshop_contributions_credit()
    return report


def _session_age() -> timedelta:
    return timedelta(seconds=settings.SESSION_COOKIE_AGE)
