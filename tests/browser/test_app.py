"""The portal installs as an app: the service worker takes over, a page asked for
without a network shows the offline page, and Chromium's install offer appears as
"Install the app" in the menu."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.test_training import sign_in
from tests.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORTS,
    screenshot,
    serious_accessibility_violations,
)
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


@pytest.fixture
def push_service(settings):
    from tests.servers import WebPushService

    service = WebPushService().start()
    yield service
    service.stop()


@pytest.mark.counterpart
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_turning_on_notifications_for_a_phone(page, push_service, live_daphne):
    """The opt-in flow in the browser. Headless Chromium cannot reach its own push service
    (Google's, on the internet), so the page's PushManager hands out a subscription from
    the local push service instead; everything after that is real: the portal keeps the
    subscription, pushes to the service, and the service worker shows what arrives."""
    from portal.notifications import push
    from portal.notifications.models import PushSubscription

    person = UserFactory(email="push@example.com", first_name="Pat", profile__onboarded=True)
    subscription = push_service.subscribe(push.push_key().public_key)
    page.context.grant_permissions(["notifications"])
    page.add_init_script(
        "(() => { const made = "
        + json.dumps(subscription)
        + """;
        const handle = { endpoint: made.endpoint, toJSON: () => made,
                         unsubscribe: () => Promise.resolve(true) };
        let current = null;
        PushManager.prototype.subscribe = () => { current = handle; return handle; };
        PushManager.prototype.getSubscription = () => Promise.resolve(current);
        })();"""
    )
    sign_in(page, "push@example.com")
    page.goto("/me/notifications/settings/")
    page.get_by_label("Badges and levels").check()
    page.get_by_role("button", name="Save these choices").click()
    expect(page.get_by_text("Your choices for your phone are saved.")).to_be_visible()
    page.get_by_role("button", name="Turn on for this device").click()
    expect(page.get_by_text("Notifications are on for this device.")).to_be_visible()
    expect(page.get_by_text("1 device receives your notifications.")).to_be_visible()
    assert PushSubscription.objects.get(user=person).endpoint == subscription["endpoint"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "push-settings-phone")

    # A badge: the portal pushes it (tests run tasks as they are queued).
    from portal.notifications.services import notification_send

    notification_send(user=person, kind="badge", title="You earned Storyteller", url="/me/badges/")
    [payload] = push_service.received(subscription)

    # What the push service delivered, handed to the page's service worker as Chromium
    # would: it shows a notification with the title, which opens the badge page.
    cdp = page.context.new_cdp_session(page)
    workers = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: workers.extend(event["registrations"]))  # fmt: skip
    cdp.send("ServiceWorker.enable")
    registration = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    page.wait_for_timeout(500)
    registration_id = next(w["registrationId"] for w in workers if w["scopeURL"] == registration)
    delivery = {"origin": live_daphne, "registrationId": registration_id, "data": payload}
    cdp.send("ServiceWorker.deliverPushMessage", delivery)
    shown = []
    for _ in range(50):
        shown = page.evaluate(
            "navigator.serviceWorker.ready.then(r => r.getNotifications())"
            ".then(n => n.map(x => ({title: x.title, url: x.data.url})))"
        )
        if shown:
            break
        page.wait_for_timeout(100)
    assert shown == [{"title": "You earned Storyteller", "url": "/me/badges/"}]
