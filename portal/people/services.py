"""Writes about people: profiles, onboarding, consent, roles and invitations."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
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


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for "set your password" invitations; invalid once a password is set."""

    key_salt = "portal.people.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def profile_get_or_create(*, user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def role_add(*, user: User, role: str) -> None:
    if role not in Role.ALL:
        raise ValueError(f"Unknown role {role!r}.")
    user.groups.add(Group.objects.get(name=role))


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
    profile.save()
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


def person_invite(*, user: User) -> str:
    """Email ``user`` a link to set their password; returns the link."""
    url = invitation_url(user=user)
    context = {"user": user, "url": url, "site_name": settings.WAGTAIL_SITE_NAME}
    send_mail(
        subject=f"You're invited to {settings.WAGTAIL_SITE_NAME}",
        message=render_to_string("people/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return url
