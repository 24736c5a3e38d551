import re

import pytest
from django.core import mail
from django.http import HttpRequest

from portal.activity.services import points_adjust
from portal.people.models import Profile
from portal.people.services import invitation_url
from tests.people.factories import UserFactory

ONBOARDING_FORM = {
    "display_name": "Ada",
    "interests": "sustainability, careers",
    "advocacy_style": "curator",
    "leaderboard_visibility": "name",
    "alias": "",
    "consent_feed": "on",
}


@pytest.mark.django_db
class TestOnboardingGate:
    def test_first_login_goes_to_onboarding_first(self, client, user):
        client.force_login(user)
        response = client.get("/me/")
        assert response.status_code == 302
        assert response["Location"] == "/onboarding/?next=%2Fme%2F"

    def test_home_page_also_waits_for_onboarding(self, client, user):
        client.force_login(user)
        assert client.get("/").status_code == 302

    def test_completing_onboarding_returns_to_where_the_person_was_going(self, client, user):
        client.force_login(user)
        response = client.post(
            "/onboarding/?next=/me/profile/", {**ONBOARDING_FORM, "next": "/me/profile/"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/me/profile/"
        profile = Profile.objects.get(user=user)
        assert profile.onboarded_at is not None
        assert profile.consent_feed is True
        assert client.get("/me/").status_code == 200

    def test_next_never_leaves_the_site(self, client, user):
        client.force_login(user)
        response = client.post(
            "/onboarding/", {**ONBOARDING_FORM, "next": "https://evil.example.com/"}
        )
        assert response["Location"] == "/me/"

    def test_alias_is_required_for_alias_visibility(self, client, user):
        client.force_login(user)
        response = client.post(
            "/onboarding/", {**ONBOARDING_FORM, "leaderboard_visibility": "alias"}
        )
        assert response.status_code == 200
        assert "Choose an alias to appear under." in response.text
        assert Profile.objects.get(user=user).onboarded_at is None

    def test_taken_alias_is_refused(self, client, user):
        other = UserFactory().profile
        other.alias = "Spark"
        other.save()
        client.force_login(user)
        response = client.post(
            "/onboarding/", {**ONBOARDING_FORM, "leaderboard_visibility": "alias", "alias": "spark"}
        )
        assert "Someone already uses this alias" in response.text
        # One error, not two that contradict each other ("choose an alias").
        assert "Choose an alias to appear under." not in response.text

    def test_alias_taken_between_check_and_save_is_a_field_error(self, client, user, monkeypatch):
        """Two people racing for one alias: the database decides, the loser is told."""
        from portal.people.forms import ProfileForm

        other = UserFactory().profile
        other.alias = "Spark"
        other.save()
        monkeypatch.setattr(ProfileForm, "clean_alias", lambda form: form.cleaned_data["alias"])
        client.force_login(user)
        response = client.post(
            "/onboarding/", {**ONBOARDING_FORM, "leaderboard_visibility": "alias", "alias": "spark"}
        )
        assert response.status_code == 200
        assert "Someone already uses this alias" in response.text
        assert Profile.objects.get(user=user).onboarded_at is None

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("advocacy_style", "influencer", "Select a valid choice"),
            ("leaderboard_visibility", "", "This field is required"),
            ("interests", ",".join(f"t{n}" for n in range(25)), "at most 20 topics"),
            ("display_name", "x" * 500, "at most 120 characters"),
        ],
    )
    def test_bad_input_gets_field_errors(self, client, user, field, value, message):
        client.force_login(user)
        response = client.post("/onboarding/", {**ONBOARDING_FORM, field: value})
        assert response.status_code == 200
        assert message in response.text

    def test_onboarded_people_skip_the_step(self, client, onboarded_user):
        client.force_login(onboarded_user)
        assert client.get("/onboarding/")["Location"] == "/me/"

    def test_anonymous_visitors_are_asked_to_sign_in(self, client, db):
        response = client.get("/me/")
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
class TestProfileAndDashboard:
    def test_dashboard_shows_points_and_history(self, client, onboarded_user):
        points_adjust(user=onboarded_user, points=30, reason="Kick-off workshop")
        points_adjust(user=onboarded_user, points=-5, reason="Duplicate")
        client.force_login(onboarded_user)
        response = client.get("/me/")
        assert '<span class="stat-value">25</span>' in response.text
        assert "Kick-off workshop" in response.text
        assert "+30" in response.text
        assert "-5" in response.text

    def test_withdrawing_consent(self, client, onboarded_user):
        client.force_login(onboarded_user)
        client.post("/me/profile/", ONBOARDING_FORM)
        assert Profile.objects.get(user=onboarded_user).consent_feed is True
        form = {key: value for key, value in ONBOARDING_FORM.items() if key != "consent_feed"}
        response = client.post("/me/profile/", form, follow=True)
        assert "Your profile is saved." in response.text
        assert Profile.objects.get(user=onboarded_user).consent_feed is False


@pytest.mark.django_db
class TestSignIn:
    def test_login_by_email_in_any_case(self, client, onboarded_user, password):
        response = client.post(
            "/accounts/login/", {"username": onboarded_user.email.upper(), "password": password}
        )
        assert response.status_code == 302
        assert response["Location"] == "/me/"

    def test_wrong_password_is_a_clear_error(self, client, onboarded_user):
        response = client.post(
            "/accounts/login/", {"username": onboarded_user.email, "password": "wrong"}
        )
        assert response.status_code == 200
        assert "Please enter a correct email address and password" in response.text

    def test_logout_needs_post(self, client, onboarded_user):
        client.force_login(onboarded_user)
        assert client.post("/accounts/logout/").status_code == 302
        assert client.get("/me/").status_code == 302

    def test_password_reset_sends_a_working_link(self, client, onboarded_user):
        client.post("/accounts/password-reset/", {"email": onboarded_user.email})
        assert len(mail.outbox) == 1
        link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
        response = client.get(link, follow=True)
        assert "Choose a new password" in response.text
        response = client.post(
            response.request["PATH_INFO"],
            {"new_password1": "a-very-new-pass-42", "new_password2": "a-very-new-pass-42"},
        )
        assert response.status_code == 302
        # django-axes needs the request to count attempts (a browser's sign-in has one).
        assert client.login(
            request=HttpRequest(), username=onboarded_user.email, password="a-very-new-pass-42"
        )

    def test_password_reset_for_unknown_email_reveals_nothing(self, client, db):
        response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})
        assert response.status_code == 302
        assert mail.outbox == []


@pytest.mark.django_db
class TestInvitation:
    def test_invited_person_sets_a_password_and_lands_on_onboarding(self, client):
        person = UserFactory()
        person.set_unusable_password()
        person.save()
        path = invitation_url(user=person).removeprefix("http://testserver")
        response = client.get(path, follow=True)
        assert "Choose your password" in response.text
        response = client.post(
            response.request["PATH_INFO"],
            {"new_password1": "first-password-77", "new_password2": "first-password-77"},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == "/onboarding/"
        person.refresh_from_db()
        assert person.has_usable_password()
        # The link works once.
        client.logout()
        assert "This invitation link no longer works" in client.get(path, follow=True).text

    def test_mismatched_passwords_are_field_errors(self, client):
        person = UserFactory()
        path = invitation_url(user=person).removeprefix("http://testserver")
        response = client.get(path, follow=True)
        response = client.post(
            response.request["PATH_INFO"],
            {"new_password1": "first-password-77", "new_password2": "other-password-77"},
        )
        assert response.status_code == 200
        assert "two password fields" in response.text

    def test_tampered_link(self, client, db):
        response = client.get("/accounts/invitation/MQ/not-a-token/", follow=True)
        assert "This invitation link no longer works" in response.text


@pytest.mark.django_db
def test_reading_the_pages_of_someone_without_a_profile_writes_nothing(client):
    person = UserFactory(profile=None)
    client.force_login(person)
    assert client.get("/onboarding/").status_code == 200
    for path in ("/me/", "/me/profile/"):  # the onboarding gate sends them there first
        assert client.get(path).status_code == 302
    assert not Profile.objects.filter(user=person).exists()
