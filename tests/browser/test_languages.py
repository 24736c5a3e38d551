"""The rest of an advocate's pages in French and Spanish on a phone, and content in the
reader's language: longer words still fit, headings and buttons are translated, nothing
scrolls sideways and no serious accessibility violation appears."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_phone import _fits_and_is_accessible
from tests.browser.test_training import sign_in
from tests.conftest import screenshot
from tests.people.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Each page and its heading in French and Spanish.
PAGES = [
    ("badges:mine", "Mes badges", "Mis insignias"),
    ("badges:gallery", "Badges", "Insignias"),
    ("recognition:feed", "Reconnaissance", "Reconocimiento"),
    ("recognition:thanks", "Remercier un collègue", "Dar las gracias a un compañero"),
    ("mentoring:mine", "Mon mentorat", "Mi mentoría"),
    ("sharing:mine", "Mes partages", "Mis publicaciones"),
    ("courses:progress", "Ma formation", "Mi formación"),
    ("privacy:mine", "Votre vie privée et vos données", "Tu privacidad y tus datos"),
    ("privacy:seen", "Ce que les autres voient de moi", "Lo que otros ven de mí"),
    ("privacy:notice", "Politique de confidentialité", "Aviso de privacidad"),
    ("people:profile", "Votre profil", "Tu perfil"),
    ("people:security", "Sécurité de connexion", "Seguridad de acceso"),
]


@pytest.mark.parametrize("page", ["phone"], indirect=True)
@pytest.mark.parametrize("language", ["fr", "es"])
def test_an_advocates_other_pages_on_a_phone_in_french_and_spanish(page, language):
    from tests.badges.factories import badge

    badge("points", name="Century", count=100)
    UserFactory(email=f"{language}@example.com", first_name="Lou", profile__onboarded=True,
                profile__language=language)  # fmt: skip
    sign_in(page, f"{language}@example.com")
    for name, french, spanish in PAGES:
        page.goto(reverse(name))
        assert page.evaluate("document.documentElement.lang") == language
        heading = french if language == "fr" else spanish
        expect(page.locator("main h1").first).to_have_text(heading)
        _fits_and_is_accessible(page, f"{name} in {language}")
    page.goto(reverse("badges:mine"))
    expect(page.locator(".progress-label").first).to_have_text(
        "0 sur 100 points" if language == "fr" else "0 de 100 puntos"
    )
    screenshot(page, f"badges-phone-{language}")
    page.goto(reverse("privacy:notice"))
    screenshot(page, f"privacy-notice-phone-{language}")


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_a_german_reader_takes_the_german_lesson_and_shares_the_german_item(page):
    from portal.locales import translate
    from tests.courses.factories import course_with_lessons
    from tests.sharing.factories import content_item

    course, [lesson] = course_with_lessons(
        title="Social media guidelines", lessons=[[]]
    )  # a lesson without interactive blocks: it is marked complete by hand
    lesson.introduction = "Why we share, and how."
    lesson.save_revision().publish()
    translate(course, "de", {"Social media guidelines": "Social-Media-Leitlinien"})
    translate(lesson, "de", {"Lesson 1": "Lektion 1",
                             "Why we share, and how.": "Warum wir teilen, und wie."})  # fmt: skip
    item = content_item(title="Our wind farm is live")
    translate(item, "de", {"Our wind farm is live": "Unser Windpark ist in Betrieb",
                           "Our new wind farm powers 200,000 homes.":
                               "Unser neuer Windpark versorgt 200.000 Haushalte."})  # fmt: skip
    reader = UserFactory(email="leser@example.com", first_name="Lea", profile__onboarded=True,
                         profile__language="de")  # fmt: skip
    sign_in(page, "leser@example.com")

    page.goto(course.url)
    expect(page.get_by_role("heading", name="Social-Media-Leitlinien")).to_be_visible()
    page.get_by_role("link", name="Beginnen: Lektion 1").click()
    expect(page.get_by_role("heading", name="Lektion 1")).to_be_visible()
    expect(page.get_by_text("Warum wir teilen, und wie.")).to_be_visible()
    _fits_and_is_accessible(page, "german lesson")
    screenshot(page, "lesson-content-phone-de")
    page.get_by_role("button", name="Diese Lektion als abgeschlossen markieren").click()
    expect(page.get_by_text("Lektion abgeschlossen: Lektion 1.")).to_be_visible()
    assert lesson.completions.filter(user=reader).exists()

    page.goto(reverse("sharing:hub"))
    expect(page.get_by_role("heading", name="Unser Windpark ist in Betrieb")).to_be_visible()
    page.get_by_role("link", name="„Unser Windpark ist in Betrieb“ teilen").click()
    expect(page.get_by_role("textbox").first).to_have_value(
        "Unser neuer Windpark versorgt 200.000 Haushalte."
    )
    page.get_by_role("button", name="Meinen Link holen").click()
    expect(page.get_by_role("heading", name="Bereit zum Posten auf LinkedIn")).to_be_visible()
    assert item.shares.get().caption == "Unser neuer Windpark versorgt 200.000 Haushalte."
