"""What an earner and a verifier see: a badge appearing, its public page on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.badges.factories import badge
from tests.browser.test_training import sign_in
from tests.conftest import screenshot, serious_accessibility_violations
from tests.courses.factories import block, course_with_lessons
from tests.people.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_completing_a_course_earns_a_badge_that_anyone_can_view(page, live_daphne, chromium):
    course, [lesson] = course_with_lessons(
        title="Sharing well", lessons=[[block("paragraph", "<p>Mix your feed.</p>")]]
    )
    badge(
        "course_completed",
        course=course,
        name="Well shared",
        criteria_text="Complete the Sharing well course.",
    )
    UserFactory(email="earner@example.com", first_name="Ada", profile__onboarded=True)
    sign_in(page, "earner@example.com")
    # A second tab of the same person stays on the dashboard and gets a live toast.
    watcher = page.context.new_page()
    watcher.goto("/me/")
    page.goto(lesson.url)
    page.get_by_role("button", name="Mark this lesson complete").click()
    expect(page.get_by_text("Course complete: Sharing well.")).to_be_visible()
    toast = watcher.locator(".toast", has_text="You earned the badge “Well shared”")
    expect(toast).to_be_visible(timeout=3000)
    screenshot(watcher, "badge-toast")
    watcher.close()

    page.get_by_role("link", name=re.compile("^Notifications")).click()
    expect(page.get_by_role("link", name="You earned the badge “Well shared”")).to_be_visible()
    page.goto("/me/badges/")
    card = page.locator(".badge-card", has_text="Well shared")
    expect(card).to_contain_text("Earned")
    art = card.locator("img.badge-art")
    expect(art).to_be_visible()
    assert art.evaluate("img => img.decode().then(() => img.naturalWidth)") == 512
    screenshot(page, "my-badges")
    assert serious_accessibility_violations(page) == []
    card.get_by_role("link", name="Well shared").click()
    public_url = page.url

    phone = chromium.new_context(
        base_url=live_daphne, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    verifier = phone.new_page()
    verifier.goto(public_url)
    expect(verifier.get_by_role("heading", name="Well shared")).to_be_visible()
    expect(verifier.get_by_text("Earned by Ada")).to_be_visible()
    linkedin = verifier.get_by_role("link", name="Add to LinkedIn profile")
    assert "startTask=CERTIFICATION_NAME" in linkedin.get_attribute("href")
    with verifier.expect_download() as download:
        verifier.get_by_role("link", name="Download the badge (PNG)").click()
    assert download.value.suggested_filename.endswith("-badge.png")
    screenshot(verifier, "badge-public-phone")
    assert serious_accessibility_violations(verifier) == []
    phone.close()
