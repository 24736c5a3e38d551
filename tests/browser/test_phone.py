"""On a phone the main navigation folds behind "Menu": the page starts at the top of the
first screen, the menu works by touch and by keyboard, nothing scrolls sideways."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_training import sign_in
from tests.conftest import screenshot, serious_accessibility_violations
from tests.people.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_the_menu_folds_on_a_phone_and_opens_by_touch_and_keyboard(page):
    UserFactory(email="phone@example.com", first_name="Pia", profile__onboarded=True)
    sign_in(page, "phone@example.com")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Leaderboard", exact=True)).to_be_hidden()
    # The page's own heading is near the top of the first screen, not below the menu.
    heading = page.locator("main h1").first.bounding_box()
    assert heading["y"] < 200
    screenshot(page, "menu-closed-phone")

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Leaderboard", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="My dashboard")).to_be_focused()
    screenshot(page, "menu-open-phone")
    assert serious_accessibility_violations(page) == []
    page.keyboard.press("Escape")
    expect(menu).to_be_focused()
    expect(page.get_by_role("link", name="Leaderboard", exact=True)).to_be_hidden()

    page.keyboard.press("Enter")  # the keyboard alone: open, then follow a link
    page.get_by_role("link", name="Hub").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Content hub")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_on_a_desktop_the_navigation_shows_without_a_menu(page):
    UserFactory(email="desk@example.com", first_name="Dee", profile__onboarded=True)
    sign_in(page, "desk@example.com")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Leaderboard", exact=True)).to_be_visible()


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_badge_progress_stays_inside_its_cards(page):
    from tests.badges.factories import badge

    badge("points", name="Point collector", count=1_000_000)
    badge("mentees_onboarded", name="Mentor of many", count=100_000)
    badge("streak", name="A year of streaks", count=52)
    UserFactory(email="badges@example.com", first_name="Bo", profile__onboarded=True)
    sign_in(page, "badges@example.com")
    page.goto("/me/badges/")
    expect(page.locator(".progress-label").first).to_be_visible()
    outside = page.evaluate(
        """() => [...document.querySelectorAll('.progress-label')].filter(label => {
               const card = label.closest('.card, .badge-card').getBoundingClientRect();
               return label.getBoundingClientRect().right > card.right + 1;
           }).map(label => label.textContent)"""
    )
    assert outside == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _fits_and_is_accessible(page, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    assert serious_accessibility_violations(page) == [], name
    # The page's own heading is on the first screen, under the folded menu.
    assert page.locator("main h1").first.bounding_box()["y"] < 200, name


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_the_advocates_pages_on_a_phone_in_german(page):
    """Dashboard, hub, share, lesson, leaderboard and notifications on a 390 x 844 phone in
    German: each starts on the first screen, nothing scrolls sideways, no serious
    accessibility violation; the dashboard's next step and rank are above the fold, and
    the keyboard alone reaches them."""
    from wagtail.models import Site

    from courses.models import TrainingSettings
    from tests.courses.factories import course_with_lessons
    from tests.sharing.factories import content_item

    course, [_lesson] = course_with_lessons(title="Richtlinien für soziale Medien")
    training = TrainingSettings.for_site(Site.objects.get(is_default_site=True))
    training.onboarding_courses = [("course", course)]
    training.save()
    item = content_item(title="Unser Windpark ist in Betrieb", tags=["wind"])
    UserFactory(email="de@example.com", first_name="Dora", profile__onboarded=True,
                profile__language="de")  # fmt: skip
    sign_in(page, "de@example.com")

    page.goto("/me/")
    assert page.evaluate("document.documentElement.lang") == "de"
    expect(page.get_by_role("heading", name="Ihr nächster Schritt")).to_be_visible()
    next_step = page.get_by_role("link", name="Beginnen: Lesson 1")
    rank = page.get_by_text("diese Woche", exact=False).first
    for above in (next_step, rank):
        box = above.bounding_box()
        assert box["y"] + box["height"] <= 844, "below the first screen"
    _fits_and_is_accessible(page, "dashboard")
    screenshot(page, "dashboard-phone-de")
    # The keyboard alone: skip to the content, then the next step is the first stop.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(next_step).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Lesson 1")).to_be_visible()
    _fits_and_is_accessible(page, "lesson")
    screenshot(page, "lesson-phone-de")

    page.goto("/hub/")
    expect(page.get_by_role("heading", name="Content-Hub")).to_be_visible()
    _fits_and_is_accessible(page, "hub")
    page.get_by_role("link", name="„Unser Windpark ist in Betrieb“ teilen").click()
    expect(page.get_by_role("button", name="Meinen Link holen")).to_be_visible()
    _fits_and_is_accessible(page, "share")
    page.get_by_role("button", name="Meinen Link holen").click()
    expect(page.get_by_role("heading", name="Bereit zum Posten auf LinkedIn")).to_be_visible()
    _fits_and_is_accessible(page, "share ready")
    screenshot(page, "share-ready-phone-de")
    assert item.shares.count() == 1

    page.goto("/leaderboards/")
    expect(page.get_by_role("heading", name="Bestenliste")).to_be_visible()
    _fits_and_is_accessible(page, "leaderboard")
    screenshot(page, "leaderboard-phone-de")

    page.goto("/me/notifications/")
    expect(page.get_by_role("heading", name="Benachrichtigungen")).to_be_visible()
    _fits_and_is_accessible(page, "notifications")
    page.get_by_role("link", name="Wann wir Sie erreichen").click()
    _fits_and_is_accessible(page, "when we reach you")
    screenshot(page, "reach-settings-phone-de")
