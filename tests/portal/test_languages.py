"""The interface in the person's language: their own choice, else their browser's, else
English; the scripts' words too; what goes to other systems stays in English."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal.activity.services import activity_record
from portal.integrations.xapi import statement_of
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_browsers_language_applies_when_the_person_chose_none(client):
    client.force_login(UserFactory(profile__onboarded=True))
    german = client.get("/me/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="de">' in german
    assert "Ihr nächster Schritt" in german
    assert "Meine Übersicht" in german
    english = client.get("/me/", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "Your next step" in english


def test_the_persons_own_choice_wins_over_the_browser(client):
    person = UserFactory(profile__onboarded=True, profile__language="fr")
    client.force_login(person)
    page = client.get("/me/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="fr">' in page
    assert "Votre prochaine étape" in page


def test_people_pick_their_language_on_their_profile(client):
    person = UserFactory(profile__onboarded=True)
    client.force_login(person)
    form = client.get(reverse("people:profile")).context["form"]
    data = {key: value for key, value in form.initial.items() if value not in (None, False)}
    data.update({"language": "es", "advocacy_style": form.initial["advocacy_style"],
                 "leaderboard_visibility": "name"})  # fmt: skip
    assert client.post(reverse("people:profile"), data).status_code == 302
    person.profile.refresh_from_db()
    assert person.profile.language == "es"
    assert "Tu siguiente paso" in client.get("/me/").content.decode()
    data["language"] = "xx\x00"
    assert client.post(reverse("people:profile"), data).status_code == 400
    person.profile.refresh_from_db()
    assert person.profile.language == "es"


def test_the_scripts_words_come_in_the_pages_language(client):
    client.force_login(UserFactory(profile__onboarded=False))  # open before onboarding too
    catalog = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Auf diesem Ger\\u00e4t eingeschaltet" in catalog or "Benachrichtigungen sind" in catalog


def test_ledger_words_are_translated_for_people_and_english_for_the_lrs():
    person = UserFactory(profile__onboarded=True)
    activity = activity_record(actor=person, verb="quiz.passed", key="q").activity
    with translation.override("de"):
        assert activity.verb_label == "Hat ein Quiz bestanden"
        assert statement_of(activity)["verb"]["display"] == {"en-GB": "passed a quiz"}


def test_dates_follow_the_language(client):
    person = UserFactory(profile__onboarded=True, profile__language="de")
    activity_record(actor=person, verb="points.adjusted", key="d", points=1)
    client.force_login(person)
    page = client.get("/me/").content.decode()
    assert "Hat eine Punktekorrektur erhalten" in page


def test_notifications_are_written_in_the_recipients_language(
    django_capture_on_commit_callbacks,
):
    from portal.notifications.models import Notification
    from tests.badges.factories import badge

    person = UserFactory(profile__onboarded=True, profile__language="es")
    earned = badge(name="Coleccionista")
    with django_capture_on_commit_callbacks(execute=True):
        from badges.services import badge_award

        badge_award(badge=earned, user=person, automatic=True)
    titles = list(Notification.objects.filter(user=person).values_list("title", flat=True))
    assert "Has conseguido la insignia «Coleccionista»" in titles


def test_a_newcomer_picks_their_language_while_onboarding(client):
    from tests.people.test_views import ONBOARDING_FORM

    person = UserFactory(profile__onboarded=False)
    client.force_login(person)
    assert 'name="language"' in client.get("/onboarding/").content.decode()
    response = client.post("/onboarding/", {**ONBOARDING_FORM, "language": "de"})
    assert response.status_code == 302
    assert "Ihr nächster Schritt" in client.get("/me/").content.decode()


@pytest.mark.parametrize(
    ("name", "english", "german"),
    [
        ("identity_admin", "Sign-on and provisioning", "Anmeldung und Bereitstellung"),
        ("background_work", "Background work", "Hintergrundarbeit"),
        ("api_service_tokens", "API tokens", "API-Tokens"),
        ("people_import", "Import people", "Personen importieren"),
        ("privacy_erasure_requests", "Erasure requests", "Löschanträge"),
        ("courses_feedback", "Course feedback", "Kursfeedback"),
    ],
)
def test_the_portals_admin_pages_keep_their_heading_in_every_language(
    client, programme_admin, name, english, german
):
    client.force_login(programme_admin)
    for language, title in (("en-gb", english), ("de", german)):
        programme_admin.profile.language = language
        programme_admin.profile.save(update_fields=["language"])
        page = client.get(reverse(name)).content.decode()
        header = page[page.index('id="header-title"') :]
        assert title in header[: header.index("</h1>")]
