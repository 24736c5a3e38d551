"""Reads about people that pages share."""

from .models import PrivacySettings, Profile, User, Visibility


def profile_of(*, user: User) -> Profile:
    """The person's profile; before they have one (nothing is saved on reading), the one
    ``services.profile_get_or_create`` would make: in works-council mode, hidden."""
    profile = Profile.objects.filter(user=user).select_related("team__department").first()
    if profile is not None:
        return profile
    hidden = PrivacySettings.load().works_council_mode
    return (
        Profile(user=user, leaderboard_visibility=Visibility.HIDDEN)
        if hidden
        else Profile(user=user)
    )
