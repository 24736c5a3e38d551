"""Privacy as a person meets it: the notice, their privacy page and what others see of
them, on a phone and a desktop; a withdrawal that retracts a live feed entry elsewhere."""

import pytest
from playwright.sync_api import expect

from portal.people.models import Visibility
from tests.browser.test_training import sign_in
from tests.conftest import screenshot, serious_accessibility_violations
from tests.people.factories import UserFactory
from tests.recognition.factories import recognise, team_with_manager

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_the_notice_my_privacy_and_what_others_see(page, request):
    viewport = request.node.callspec.params["page"]
    UserFactory(
        email="ada@example.com",
        first_name="Ada",
        profile__onboarded=True,
        profile__leaderboard_visibility=Visibility.ALIAS,
        profile__alias="Countess",
    )
    page.goto("/privacy/")  # public: no sign-in needed
    expect(page.get_by_role("heading", name="Privacy notice", level=1)).to_be_visible()
    expect(page.get_by_text("No IP address is stored or logged.")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    assert _no_sideways_scroll(page)
    screenshot(page, f"privacy-notice-{viewport}")

    sign_in(page, "ada@example.com")
    page.goto("/me/")
    page.get_by_role("link", name="Your privacy and data").click()
    expect(page.get_by_role("heading", name="Your privacy and data")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    assert _no_sideways_scroll(page)
    screenshot(page, f"privacy-mine-{viewport}")

    page.get_by_role("link", name="See what others see of me").click()
    expect(page.get_by_role("heading", name="What others see of me")).to_be_visible()
    expect(page.get_by_text("Leaderboards list you as “Countess”.")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    assert _no_sideways_scroll(page)
    screenshot(page, f"privacy-seen-{viewport}")

    with page.expect_download() as download:
        page.goto("/me/privacy/")
        page.get_by_role("link", name="Download my data").click()
    assert download.value.suggested_filename.startswith("my-advocate-portal-data-")


def test_withdrawing_consent_retracts_a_live_entry_in_another_browser(page, live_daphne, chromium):
    _team, manager, [proud] = team_with_manager(consent=True, team_name="Support")
    proud.email = "proud@example.com"
    proud.first_name, proud.last_name = "Priya", "Proud"
    proud.save()
    proud.set_password("correct horse battery staple")
    proud.save()
    UserFactory(email="watcher@example.com", profile__onboarded=True)
    recognise(manager, proud, message="Priya fixed the outage")

    sign_in(page, "watcher@example.com")
    page.goto("/recognition/")
    entry = page.locator(".recognition-entry").first
    expect(entry).to_contain_text("Priya Proud")
    expect(entry).to_contain_text("Priya fixed the outage")
    expect(page.locator("#recognition-status")).to_have_text("Live: new recognition appears here.")

    other = chromium.new_context(base_url=live_daphne)
    own = other.new_page()
    sign_in(own, "proud@example.com")
    own.goto("/me/profile/")
    own.get_by_label("Name me in the recognition feed").uncheck()
    own.get_by_role("button", name="Save").click()
    expect(own.get_by_text("Your profile is saved.")).to_be_visible()
    # Without a reload, the watcher's open feed stops naming her and hides the message.
    expect(entry).to_contain_text("a colleague in Support", timeout=5000)
    expect(entry).not_to_contain_text("Priya")
    expect(entry.locator('[data-field="message"]')).to_be_hidden()
    screenshot(page, "recognition-retracted")
    other.close()
