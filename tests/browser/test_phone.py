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
    expect(page.get_by_role("link", name="Leaderboard")).to_be_hidden()
    # The page's own heading is near the top of the first screen, not below the menu.
    heading = page.locator("main h1").first.bounding_box()
    assert heading["y"] < 200
    screenshot(page, "menu-closed-phone")

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Leaderboard")).to_be_visible()
    expect(page.get_by_role("link", name="My dashboard")).to_be_focused()
    screenshot(page, "menu-open-phone")
    assert serious_accessibility_violations(page) == []
    page.keyboard.press("Escape")
    expect(menu).to_be_focused()
    expect(page.get_by_role("link", name="Leaderboard")).to_be_hidden()

    page.keyboard.press("Enter")  # the keyboard alone: open, then follow a link
    page.get_by_role("link", name="Hub").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Content hub")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_on_a_desktop_the_navigation_shows_without_a_menu(page):
    UserFactory(email="desk@example.com", first_name="Dee", profile__onboarded=True)
    sign_in(page, "desk@example.com")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Leaderboard")).to_be_visible()


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
