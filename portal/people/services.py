"""Writes about people: profiles, onboarding, consent, roles and invitations."""

from datetime import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from portal.activity.services import activity_record
from portal.activity.verbs import ONBOARDING_COMPLETED
from portal.errors import InvalidInput
from portal.events import PeopleSessionsEnded
from portal.realtime import broadcast, group_name

from .consent import PURPOSES, Purpose
from .models import ConsentRecord, ConsentText, PrivacySettings, Profile, User, Visibility
from .selectors import language_of
from .signals import consent_changed, people_left, people_returned
from .worktime import zone_valid


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
    """The person's profile; in works-council mode a new person starts hidden."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    defaults = {}
    if PrivacySettings.load().works_council_mode:
        defaults["leaderboard_visibility"] = Visibility.HIDDEN
    profile, _ = Profile.objects.get_or_create(user=user, defaults=defaults)
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


def consent_wording(purpose: Purpose) -> ConsentText:
    """The stored words of ``purpose``'s current version (stored on first use)."""
    wording, _ = ConsentText.objects.get_or_create(
        purpose=purpose.id,
        version=purpose.version,
        defaults={"label": purpose.label, "text": purpose.text},
    )
    return wording


@transaction.atomic
def consent_set(*, user: User, answers: dict[str, bool], record_unchanged: bool = False) -> set:
    """Record the person's answers per consent purpose (``{"feed": True, ...}``).

    A change is recorded with the words shown (a grant, or a withdrawal); with
    ``record_unchanged`` every answer is recorded, declines included (the first answer, at
    onboarding). Returns the purposes whose answer changed; surfaces that show the person
    hear of them after commit (``consent_changed``), so a withdrawal takes effect at once.
    """
    unknown = set(answers) - set(PURPOSES)
    if unknown:
        raise ValueError(f"Unknown consent purposes: {sorted(unknown)}")
    profile_get_or_create(user=user)
    profile = Profile.objects.select_for_update().get(user=user)
    now = timezone.now()
    changed = set()
    records = []
    for purpose_id, granted in answers.items():
        purpose = PURPOSES[purpose_id]
        before = getattr(profile, purpose.field)
        if before != granted:
            changed.add(purpose_id)
            setattr(profile, purpose.field, granted)
        if before != granted or record_unchanged:
            records.append(
                ConsentRecord(
                    user=user,
                    purpose=purpose_id,
                    granted=granted,
                    wording=consent_wording(purpose),
                    recorded_at=now,
                )
            )
    if changed:
        profile.save(update_fields=[PURPOSES[purpose].field for purpose in changed])
    ConsentRecord.objects.bulk_create(records)
    if changed:
        transaction.on_commit(
            lambda: consent_changed.send(sender=Profile, user=user, purposes=changed)
        )
    return changed


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    interests: list[str],
    advocacy_style: str,
    leaderboard_visibility: str,
    alias: str,
    consent_feed: bool,
    consent_badge_evidence: bool,
    consent_material: bool,
    mentor_opt_in: bool,
    share_progress_with_manager: bool | None = None,
    learning_record_email: bool | None = None,
    language: str | None = None,
    first_answer: bool = False,
) -> Profile:
    """Save what a person tells about themselves (the onboarding and profile forms)."""
    profile_get_or_create(user=user)
    profile = Profile.objects.select_for_update().get(user=user)
    profile.display_name = display_name.strip()
    profile.advocacy_style = advocacy_style
    profile.leaderboard_visibility = leaderboard_visibility
    profile.alias = alias.strip()
    profile.mentor_opt_in = mentor_opt_in
    if language is not None:
        if language and language not in dict(settings.LANGUAGES):
            raise InvalidInput(gettext("Choose a language from the list."), field="language")
        profile.language = language
    if share_progress_with_manager is not None:  # offered only in works-council mode
        profile.share_progress_with_manager = share_progress_with_manager
    if learning_record_email is not None:  # offered only where records go to an LRS
        profile.learning_record_email = learning_record_email
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise AliasTakenError(f"The alias {alias!r} is taken.") from None
    profile.interests.set(sorted({tag.strip().lower() for tag in interests if tag.strip()}))
    consent_set(
        user=user,
        answers={
            "feed": consent_feed,
            "badge_evidence": consent_badge_evidence,
            "material": consent_material,
        },
        record_unchanged=first_answer,
    )
    if mentor_opt_in:
        role_add(user=user, role=Role.MENTOR)
    return profile


@transaction.atomic
def onboarding_complete(*, user: User, **profile_fields) -> Profile:
    """Finish a person's first-login onboarding; recorded in the ledger once.

    Every consent answer is recorded, declines included: the first answer to each question.
    """
    already = Profile.objects.filter(user=user, onboarded_at__isnull=False).exists()
    profile = profile_update(user=user, first_answer=not already, **profile_fields)
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
    """Email each person a link to set their password, over one mail connection, in their
    language (their own choice, else the portal's)."""
    site_name = settings.WAGTAIL_SITE_NAME
    messages = []
    for user in users:
        with translation.override(language_of(user)):
            messages.append(
                EmailMessage(
                    subject=gettext("You're invited to %(site)s") % {"site": site_name},
                    body=render_to_string(
                        "people/email/invitation.txt",
                        {"user": user, "url": invitation_url(user=user), "site_name": site_name},
                    ),
                    to=[user.email],
                )
            )
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def sessions_end(*, user_ids: set[int]) -> int:
    """End every sign-in session of these people (database sessions); returns how many."""
    from django.contrib.sessions.models import Session

    wanted = {str(user_id) for user_id in user_ids}
    ended = [
        session.pk
        for session in Session.objects.iterator(chunk_size=2000)
        if str(session.get_decoded().get("_auth_user_id", "")) in wanted
    ]
    Session.objects.filter(pk__in=ended).delete()
    sockets_check(user_ids=user_ids)
    return len(ended)


# --- live sockets follow the sign-in session ------------------------------------------


def signin_group(user_id: int) -> str:
    """Every socket of one person follows this group (``portal.consumers``)."""
    return group_name("signin", user_id)


def sockets_check(*, user_ids, ended: str = "") -> None:
    """Ask these people's open sockets to check their sign-in session now: a socket whose
    session ``ended`` (a sign-out), was ended, or no longer matches the password or an
    active account closes (4401)."""
    for user_id in user_ids:
        broadcast(
            signin_group(user_id), PeopleSessionsEnded(type="people.sessions_ended", ended=ended)
        )


def session_signed_in(*, session_key: str | None, user_id: int) -> bool:
    """Whether the session ``session_key`` still signs ``user_id`` in, as Django would
    decide on their next page (the session exists, the password hash in it matches, the
    account is active)."""
    if not session_key:  # a socket without a session (tests build such scopes)
        return User.objects.filter(pk=user_id, is_active=True).exists()
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return get_user(request).pk == user_id


def user_password_after(sender, instance: User, created: bool, **kwargs) -> None:
    """``post_save`` of a user whose password changed (a reset, the admin, a change):
    their other sessions no longer sign them in; their sockets there close now."""
    if not created and getattr(instance, "_password", None) is not None:
        transaction.on_commit(lambda: sockets_check(user_ids={instance.pk}))


def user_signed_out(sender, request, user: User, **kwargs) -> None:
    """``user_logged_out``: this session's sockets close (other devices stay)."""
    if user is not None and request is not None and hasattr(request, "session"):
        sockets_check(user_ids={user.pk}, ended=request.session.session_key or "")


@transaction.atomic
def person_deactivate(*, user: User) -> bool:
    """A leaver: signed out, hidden everywhere (off every board), data kept until erased
    (``PrivacySettings.retain_leavers_days`` later, or by an admin). Returns whether the
    person was active."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.is_active:
        return False
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    user.is_active = False
    return True


@transaction.atomic
def person_reactivate(*, user: User) -> bool:
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active:
        return False
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    user.is_active = True
    return True


def user_active_before(sender, instance: User, update_fields=None, **kwargs) -> None:
    """``pre_save`` of a user: note whether they were active, however they are saved (the
    services above, Wagtail's user editor, an import)."""
    if update_fields is not None and "is_active" not in update_fields:
        vars(instance)["_was_active"] = None  # a sign-in's last_login, say: nothing to compare
        return
    vars(instance)["_was_active"] = (
        User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
        if instance.pk
        else None
    )


def user_active_after(sender, instance: User, created: bool, **kwargs) -> None:
    """``post_save`` of a user: a leaver leaves every surface now; a returner comes back."""
    before = getattr(instance, "_was_active", None)
    if created or before is None or before == instance.is_active:
        return
    now = timezone.now()
    if instance.is_active:
        Profile.objects.filter(user=instance).update(left_at=None)
        people_returned.send(sender=User, user_ids=[instance.pk])
    else:
        Profile.objects.filter(user=instance).update(left_at=now)
        people_left.send(sender=User, user_ids=[instance.pk])
        transaction.on_commit(lambda: sessions_end(user_ids={instance.pk}))


@transaction.atomic
def working_time_update(
    *,
    user: User,
    time_zone: str,
    work_days: str,
    work_start: time | None,
    work_end: time | None,
    hourly: bool,
) -> Profile:
    """A person's own working time; empty values take the programme's defaults."""
    if time_zone and not zone_valid(time_zone):
        raise InvalidInput(gettext("Choose a time zone from the list."), field="time_zone")
    if work_days and not set(work_days) <= set("1234567"):
        raise InvalidInput(gettext("Choose working days from the list."), field="work_days")
    if (work_start is None) != (work_end is None):
        raise InvalidInput(
            gettext("Give both the start and the end, or neither."), field="work_end"
        )
    profile_get_or_create(user=user)
    profile = Profile.objects.select_for_update().get(user=user)
    profile.time_zone = time_zone
    profile.work_days = work_days
    profile.work_start = work_start
    profile.work_end = work_end
    profile.hourly = hourly
    profile.save(update_fields=["time_zone", "work_days", "work_start", "work_end", "hourly"])
    return profile
