import pytest
from django.contrib.auth.models import Group

from portal.activity.models import Activity
from portal.activity.verbs import ONBOARDING_COMPLETED
from portal.people.consent import FEATURE_CONSENT_VERSION
from portal.people.models import ConsentRecord, Profile, Visibility
from portal.people.services import (
    Role,
    consent_set,
    invitation_tokens,
    onboarding_complete,
    profile_update,
)

PROFILE = {
    "display_name": "Ada",
    "interests": ["Sustainability", "careers", "sustainability "],
    "advocacy_style": "creator",
    "leaderboard_visibility": Visibility.ALIAS,
    "alias": "Spark",
    "feature_consent": True,
    "mentor_opt_in": False,
}


@pytest.mark.django_db
class TestConsent:
    def test_grant_and_withdraw_are_recorded_with_time_and_version(self, user):
        assert consent_set(user=user, granted=True) is True
        assert consent_set(user=user, granted=True) is False  # no change, no new record
        profile = Profile.objects.get(user=user)
        assert profile.feature_consent is True
        assert profile.feature_consent_version == FEATURE_CONSENT_VERSION
        assert profile.feature_consent_at is not None

        assert consent_set(user=user, granted=False) is True
        profile.refresh_from_db()
        assert (profile.feature_consent, profile.feature_consent_at) == (False, None)
        history = list(ConsentRecord.objects.filter(user=user).order_by("recorded_at"))
        assert [(r.granted, r.text_version) for r in history] == [
            (True, FEATURE_CONSENT_VERSION),
            (False, FEATURE_CONSENT_VERSION),
        ]

    def test_a_new_text_version_asks_for_a_new_record(self, user):
        consent_set(user=user, granted=True, version="2025-01")
        assert consent_set(user=user, granted=True, version="2026-11") is True
        assert Profile.objects.get(user=user).feature_consent_version == "2026-11"


@pytest.mark.django_db
class TestOnboarding:
    def test_completes_once_and_is_in_the_ledger(self, user):
        onboarding_complete(user=user, **PROFILE)
        first_time = Profile.objects.get(user=user).onboarded_at
        onboarding_complete(user=user, **PROFILE)

        profile = Profile.objects.get(user=user)
        assert profile.onboarded_at == first_time
        assert sorted(tag.name for tag in profile.interests.all()) == ["careers", "sustainability"]
        assert profile.public_name == "Spark"
        assert Activity.objects.filter(actor=user, verb=ONBOARDING_COMPLETED.id).count() == 1
        assert user.groups.filter(name=Role.ADVOCATE).exists()

    def test_mentor_opt_in_adds_the_mentor_role(self, user):
        profile_update(user=user, **{**PROFILE, "mentor_opt_in": True})
        assert Group.objects.get(name=Role.MENTOR).user_set.filter(pk=user.pk).exists()


@pytest.mark.django_db
def test_invitation_tokens_stop_working_once_a_password_is_set(user):
    user.set_unusable_password()
    user.save()
    token = invitation_tokens.make_token(user)
    assert invitation_tokens.check_token(user, token)
    user.set_password("a-brand-new-password")
    user.save()
    assert not invitation_tokens.check_token(user, token)
