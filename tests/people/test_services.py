import pytest
from django.contrib.auth.models import Group

from portal.activity.models import Activity
from portal.activity.verbs import ONBOARDING_COMPLETED
from portal.people.consent import BADGE_EVIDENCE, FEED, MATERIAL
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
    "consent_feed": True,
    "consent_badge_evidence": False,
    "consent_material": True,
    "mentor_opt_in": False,
}


@pytest.mark.django_db
class TestConsent:
    def test_grant_and_withdraw_are_recorded_with_the_words_shown(self, user):
        assert consent_set(user=user, answers={"feed": True}) == {"feed"}
        assert consent_set(user=user, answers={"feed": True}) == set()  # no change, no record
        profile = Profile.objects.get(user=user)
        assert profile.consent_feed is True
        assert profile.consent_badge_evidence is False

        assert consent_set(user=user, answers={"feed": False, "material": True}) == {
            "feed",
            "material",
        }
        profile.refresh_from_db()
        assert (profile.consent_feed, profile.consent_material) == (False, True)
        history = list(ConsentRecord.objects.filter(user=user).order_by("recorded_at", "id"))
        assert [(r.purpose, r.granted) for r in history] == [
            ("feed", True),
            ("feed", False),
            ("material", True),
        ]
        # The record keeps the exact words the person was shown, not only a version.
        assert history[0].wording.text == FEED.text
        assert history[0].wording.version == FEED.version
        assert history[2].wording.text == MATERIAL.text

    def test_purposes_are_separate_and_unknown_ones_refused(self, user):
        consent_set(user=user, answers={"badge_evidence": True})
        profile = Profile.objects.get(user=user)
        assert (profile.consent_feed, profile.consent_badge_evidence) == (False, True)
        with pytest.raises(ValueError, match="Unknown"):
            consent_set(user=user, answers={"newsletter": True})

    def test_onboarding_records_declines_too(self, user):
        onboarding_complete(user=user, **PROFILE)
        answers = {
            (record.purpose, record.granted, record.wording.text)
            for record in ConsentRecord.objects.filter(user=user)
        }
        assert answers == {
            ("feed", True, FEED.text),
            ("badge_evidence", False, BADGE_EVIDENCE.text),
            ("material", True, MATERIAL.text),
        }
        # Saving the profile again records nothing new when nothing changed.
        profile_update(user=user, **PROFILE)
        assert ConsentRecord.objects.filter(user=user).count() == 3

    def test_withdrawal_tells_the_surfaces_after_commit(
        self, user, django_capture_on_commit_callbacks
    ):
        from portal.people.signals import consent_changed

        heard = []

        def listener(sender, user, purposes, **kwargs):
            heard.append((user.pk, purposes))

        consent_changed.connect(listener)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                consent_set(user=user, answers={"feed": True})
            assert heard == [(user.pk, {"feed"})]
        finally:
            consent_changed.disconnect(listener)


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
