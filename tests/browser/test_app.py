"""The portal installs as an app: the service worker takes over, a page asked for
without a network shows the offline page, and Chromium's install offer appears as
"Install the app" in the menu."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_training import sign_in
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS, screenshot
from tests.people.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def installable(chromium, live_daphne, tmp_path):
    """A phone page in an ordinary (not incognito) browser profile: Chromium offers to
    install web apps only there."""
    context = chromium.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--bypass-app-banner-engagement-checks"],
        base_url=live_daphne,
        viewport=VIEWPORTS["phone"],
        is_mobile=True,
        has_touch=True,
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(10_000)
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    yield page
    context.close()
    assert refused == [], "the Content-Security-Policy refused: " + "; ".join(refused)


def test_the_app_works_offline_and_offers_to_install(installable):
    page = installable
    UserFactory(email="app@example.com", first_name="Ana", profile__onboarded=True)
    sign_in(page, "app@example.com")
    assert page.evaluate(
        "navigator.serviceWorker.ready.then(registration => registration.active.state)"
    ) in ("activating", "activated")
    page.reload()  # now under the worker's control
    assert page.evaluate("!!navigator.serviceWorker.controller")
    # Chromium's own verdict: the manifest, icons and worker make an installable app.
    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

    page.get_by_role("button", name="Menu").click()
    install = page.get_by_role("button", name="Install the app")
    expect(install).to_be_visible()
    screenshot(page, "install-offer-phone")

    page.context.set_offline(True)
    page.goto("/leaderboards/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    assert "Ana" not in page.content()
    screenshot(page, "offline-phone")
    page.context.set_offline(False)
    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_role("heading", name="You are offline")).to_be_hidden()
    expect(page.get_by_role("heading", name="Leaderboard")).to_be_visible()
