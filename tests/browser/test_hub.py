"""The content hub on a phone: share in your own words, the tracked link, the gate."""

import re
import time
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Enrolment
from portal.sharing.models import Kind, Share
from tests.browser.test_training import sign_in
from tests.conftest import screenshot, serious_accessibility_violations
from tests.courses.factories import course_with_lessons
from tests.people.factories import UserFactory
from tests.sharing.factories import content_item

PHONE = {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1"}
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def figures_soon(share, expected, seconds=3.0):
    """The server writes a click just after its reply: give it a moment."""
    deadline = time.monotonic() + seconds
    while True:
        share.refresh_from_db()
        figures = (share.clicks, share.self_clicks, share.previews)
        if figures == expected or time.monotonic() > deadline:
            return figures
        time.sleep(0.05)


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_a_trained_advocate_shares_from_a_phone(page, live_daphne, chromium):
    course, _ = course_with_lessons(title="Social media guidelines", unlocks_sharing=True)
    trained = UserFactory(email="trained@example.com", first_name="Ada", profile__onboarded=True)
    trained.profile.interests.set(["wind"])
    Enrolment.objects.create(
        user=trained, course=course, started_at=timezone.now(), completed_at=timezone.now()
    )
    UserFactory(email="newcomer@example.com", first_name="Nico", profile__onboarded=True)
    item = content_item(
        title="Our wind farm is live",
        tags=["wind"],
        summary="Forty turbines, power for 200,000 homes.",
    )
    content_item(title="Batteries, explained", kind=Kind.CURATED, url="https://news.example.org/b")

    sign_in(page, "trained@example.com")
    page.goto("/hub/")
    card = page.locator(".hub-card", has_text="Our wind farm is live")
    expect(card.locator(".hub-reason")).to_have_text("Because you follow #wind")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "hub-phone")
    card.get_by_role("link", name="Share “Our wind farm is live”").click()

    expect(page.get_by_role("heading", name="Share “Our wind farm is live”")).to_be_visible()
    caption = page.get_by_label("Your post")
    expect(caption).to_have_value(item.caption_linkedin)
    expect(page.locator("[data-touch-hint]")).to_contain_text("Same as the suggestion")
    caption.fill("My team spent two years on this & it shows. " + item.caption_linkedin)
    expect(page.locator("[data-touch-hint]")).to_contain_text("your own voice")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "hub-share-form-phone")
    page.get_by_role("button", name="Get my link").click()

    expect(page.get_by_role("heading", name="Ready to post on LinkedIn")).to_be_visible()
    made = Share.objects.get(user=trained)
    share_url = page.get_by_role("link", name=re.compile("Open LinkedIn")).get_attribute("href")
    parts = urlsplit(share_url)
    assert (parts.netloc, parts.path) == ("www.linkedin.com", "/sharing/share-offsite/")
    tracked = parse_qs(parts.query)["url"][0]
    assert tracked == f"http://testserver/s/{made.code}"
    expect(page.locator("[data-share-text]")).to_have_value(re.compile("it shows"))
    assert made.caption.startswith("My team spent two years on this & it shows.")
    screenshot(page, "hub-share-ready-phone")

    # The sharer's own visit is not a click; a reader's is, and lands with UTM tags.
    # (Headless Chromium names itself in its user agent, which counts as a preview.)
    own = page.request.get(f"{live_daphne}/s/{made.code}", max_redirects=0, headers=PHONE)
    reader = chromium.new_context(base_url=live_daphne)
    visit = reader.request.get(f"/s/{made.code}", max_redirects=0, headers=PHONE)
    assert own.status == visit.status == 302
    landing = urlsplit(visit.headers["location"])
    assert (landing.netloc, landing.path) == ("www.example.com", "/news/wind")
    assert parse_qs(landing.query)["utm_source"] == ["linkedin"]
    assert parse_qs(landing.query)["utm_medium"] == ["advocacy"]
    assert parse_qs(landing.query)["utm_content"] == [made.code]
    preview = reader.request.get(
        f"/s/{made.code}", max_redirects=0, headers={"User-Agent": "LinkedInBot/1.0"}
    )
    assert preview.status == 302
    reader.close()
    assert figures_soon(made, (1, 1, 1)) == (1, 1, 1)  # clicks, own clicks, previews

    page.goto("/hub/mine/")
    card = page.locator(".share-card", has_text="Our wind farm is live")
    expect(card.locator(".facts")).to_contain_text("Clicks")
    card.get_by_text(re.compile("Why it scored")).click()
    expect(card.locator(".score-table")).to_contain_text("1 person clicked")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "hub-my-shares-phone")

    missing = page.request.get(f"{live_daphne}/s/nosuchcd", max_redirects=0)
    assert missing.status == 404
    assert "This link has expired" in missing.text()

    # Someone who has not taken the training is shown the way to it.
    newcomer = chromium.new_context(
        base_url=live_daphne, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    other = newcomer.new_page()
    sign_in(other, "newcomer@example.com")
    other.goto("/hub/")
    expect(other.get_by_text("Sharing unlocks after the training.")).to_be_visible()
    expect(other.get_by_role("link", name="Share “Our wind farm is live”")).to_have_count(0)
    other.locator(".hub-card", has_text="Our wind farm is live").get_by_role(
        "link", name="Unlock sharing"
    ).click()
    expect(other.get_by_role("heading", name="Social media guidelines")).to_be_visible()
    assert unquote(other.url).endswith(course.url)
    newcomer.close()


# Headless Chromium on Linux has no system share sheet (the Web Share API exists on
# Android, iOS, Windows, macOS and ChromeOS), so this page gets one that records what it
# was handed, as the phone's sheet would receive it.
SHARE_SHEET = """
window.__shared = [];
navigator.share = (data) => { window.__shared.push(data); return Promise.resolve(); };
navigator.canShare = (data) => typeof data.text === "string";
"""


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_one_post_goes_to_several_networks_and_the_phones_share_sheet(page):
    UserFactory(email="multi@example.com", first_name="Mo", profile__onboarded=True)
    item = content_item(title="Our new plant opens")
    page.add_init_script(SHARE_SHEET)
    sign_in(page, "multi@example.com")
    page.goto(f"/hub/items/{item.pk}/share/")
    page.get_by_label("X").check()  # LinkedIn is ticked already
    caption = page.get_by_label("Your post")
    caption.fill("Proud of the people who built this. " + item.caption_x)
    page.get_by_role("button", name="Get my link").click()

    expect(page.get_by_role("heading", name="Ready to post on LinkedIn and X")).to_be_visible()
    shares = {share.network: share for share in Share.objects.filter(item=item)}
    assert set(shares) == {"linkedin", "x"}
    x_card = page.locator("[data-share-card]", has_text="Your post for X")
    x_card.get_by_role("button", name="Share with an app").click()
    expect(x_card.get_by_role("status")).to_have_text("Shared.")
    handed = page.evaluate("window.__shared")
    assert len(handed) == 1
    assert handed[0]["text"].startswith("Proud of the people who built this.")
    assert handed[0]["text"].endswith(f"/s/{shares['x'].code}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "share-several-networks-phone")


def test_without_a_share_sheet_the_network_links_remain(page):
    UserFactory(email="desk@example.com", first_name="Di", profile__onboarded=True)
    item = content_item(title="Quarterly results")
    page.add_init_script("delete Navigator.prototype.share; delete Navigator.prototype.canShare;")
    sign_in(page, "desk@example.com")
    page.goto(f"/hub/items/{item.pk}/share/")
    page.get_by_role("button", name="Get my link").click()
    expect(page.get_by_role("heading", name="Ready to post on LinkedIn")).to_be_visible()
    assert page.evaluate("typeof navigator.share") == "undefined"
    expect(page.get_by_role("button", name="Share with an app")).to_be_hidden()
    expect(page.get_by_role("link", name=re.compile("Open LinkedIn"))).to_be_visible()
