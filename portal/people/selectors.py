"""Reads about people that pages share."""

from django.conf import settings

from .models import PrivacySettings, Profile, User, Visibility


def profile_of(*, user: User) -> Profile:
    """The person's profile; before they have one (nothing is saved on reading), the one
    ``services.profile_get_or_create`` would make: in works-council mode, hidden."""
    profile = Profile.objects.filter(user=user).select_related("team__department").first()
    if profile is not None:
        profile.user = user  # the person in hand, not read again for their name
        return profile
    hidden = PrivacySettings.load().works_council_mode
    return (
        Profile(user=user, leaderboard_visibility=Visibility.HIDDEN)
        if hidden
        else Profile(user=user)
    )


def language_of(user) -> str:
    """The language to write to ``user`` in when they are not at a page: their own
    choice, else the portal's default (their browser is not there to ask)."""
    profile = getattr(user, "profile", None) if user is not None else None
    return (profile.language if profile is not None else "") or settings.LANGUAGE_CODE
