"""Writes about people: profiles, onboarding, consent, roles and invitations."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.activity.services import activity_record
from portal.activity.verbs import ONBOARDING_COMPLETED

from .consent import FEATURE_CONSENT_VERSION
from .models import ConsentRecord, Profile, User


class Role:
    """The names of the role groups created by migration ``people.0002``."""

    ADVOCATE = "Advocate"
    MENTOR = "Mentor"
    MANAGER = "Manager"
    PROGRAMME_ADMIN = "Programme admin"

    ALL = (ADVOCATE, MENTOR, MANAGER, PROGRAMME_ADMIN)


class AliasTakenError(ValueError):
    """Someone else took the alias first (the database's unique constraint decided)."""


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for "set your password" invitations; invalid once a password is set."""

    key_salt = "portal.people.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def profile_get_or_create(*, user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def role_add(*, user: User, role: str) -> None:
    role_add_many(user_ids=[user.pk], role=role)


def role_add_many(*, user_ids: list[int], role: str, chunk: int = 500) -> None:
    """Give ``role`` to many people, in chunks under SQLite's limit on query parameters."""
    if role not in Role.ALL:
        raise ValueError(f"Unknown role {role!r}.")
    group = Group.objects.get(name=role)
    for start in range(0, len(user_ids), chunk):
        group.user_set.add(*user_ids[start : start + chunk])


@transaction.atomic
def consent_set(*, user: User, granted: bool, version: str = FEATURE_CONSENT_VERSION) -> bool:
    """Grant or withdraw consent to be featured; returns whether anything changed."""
    profile_get_or_create(user=user)
    profile = Profile.objects.select_for_update().get(user=user)
    if profile.feature_consent == granted and (
        not granted or profile.feature_consent_version == version
    ):
        return False
    now = timezone.now()
    profile.feature_consent = granted
    profile.feature_consent_at = now if granted else None
    profile.feature_consent_version = version if granted else ""
    profile.save(update_fields=["feature_consent", "feature_consent_at", "feature_consent_version"])
    ConsentRecord.objects.create(
        user=user, purpose="feature", granted=granted, text_version=version, recorded_at=now
    )
    return True


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    interests: list[str],
    advocacy_style: str,
    leaderboard_visibility: str,
    alias: str,
    feature_consent: bool,
    mentor_opt_in: bool,
) -> Profile:
    """Save what a person tells about themselves (the onboarding and profile forms)."""
    profile_get_or_create(user=user)
    profile = Profile.objects.select_for_update().get(user=user)
    profile.display_name = display_name.strip()
    profile.advocacy_style = advocacy_style
    profile.leaderboard_visibility = leaderboard_visibility
    profile.alias = alias.strip()
    profile.mentor_opt_in = mentor_opt_in
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise AliasTakenError(f"The alias {alias!r} is taken.") from None
    profile.interests.set(sorted({tag.strip().lower() for tag in interests if tag.strip()}))
    consent_set(user=user, granted=feature_consent)
    if mentor_opt_in:
        role_add(user=user, role=Role.MENTOR)
    return profile


@transaction.atomic
def onboarding_complete(*, user: User, **profile_fields) -> Profile:
    """Finish a person's first-login onboarding; recorded in the ledger once."""
    profile = profile_update(user=user, **profile_fields)
    if profile.onboarded_at is None:
        profile.onboarded_at = timezone.now()
        profile.save(update_fields=["onboarded_at"])
        activity_record(
            actor=user, verb=ONBOARDING_COMPLETED.id, key=f"onboarding.completed:{user.pk}"
        )
    role_add(user=user, role=Role.ADVOCATE)
    return profile


def invitation_url(*, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_tokens.make_token(user)
    return settings.SITE_URL + reverse("people:invitation", args=[uid, token])


def people_invite(*, users: list[User]) -> int:
    """Email each person a link to set their password, over one mail connection."""
    site_name = settings.WAGTAIL_SITE_NAME
    messages = [
        EmailMessage(
            subject=f"You're invited to {site_name}",
            body=render_to_string(
                "people/email/invitation.txt",
                {"user": user, "url": invitation_url(user=user), "site_name": site_name},
            ),
            to=[user.email],
        )
        for user in users
    ]
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
