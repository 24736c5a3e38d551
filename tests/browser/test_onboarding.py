"""What a person sees: signing in, onboarding, and the home page on desktop and phone."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from portal.people.models import Profile
from tests.conftest import PASSWORD, screenshot, serious_accessibility_violations
from tests.people.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_sign_in_and_complete_onboarding(page, request):
    viewport = request.node.callspec.params["page"]
    person = UserFactory(email="new.advocate@example.com", first_name="Noor", password=PASSWORD)

    page.goto("/me/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/me/$"))
    page.get_by_label("Email address").fill("New.Advocate@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Welcome, Noor")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    screenshot(page, f"onboarding-{viewport}")
    page.get_by_label("What topics do you care about?").fill("sustainability, careers")
    page.get_by_label("Curator: I share good things I find").check()
    page.get_by_label("Show an alias instead of my name").check()
    page.get_by_role("textbox", name="Alias").fill("Green Spark")
    page.get_by_label("Name me in the recognition feed").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_text("Welcome aboard! Your profile is set up.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_text("Completed onboarding")).to_be_visible()
    screenshot(page, f"dashboard-{viewport}")
    assert serious_accessibility_violations(page) == []
    profile = Profile.objects.get(user=person)
    assert profile.onboarded_at is not None
    assert profile.public_name == "Green Spark"
    assert profile.consent_feed is True


def test_onboarding_shows_field_errors(page):
    UserFactory(email="careless@example.com", password=PASSWORD)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("careless@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Show an alias instead of my name").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Choose an alias to appear under.")).to_be_visible()
    assert serious_accessibility_violations(page) == []


def test_wrong_password_says_so(page):
    UserFactory(email="someone@example.com", password=PASSWORD)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("someone@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Please enter a correct email address and password")).to_be_visible()


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_home_page_is_accessible(page, request):
    call_command("seed_demo", "--password", "demo-pass-1", stdout=io.StringIO())
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Speak for Northwind")
    expect(page.get_by_role("link", name="Read the guidelines")).to_be_visible()
    viewport = request.node.callspec.params["page"]
    screenshot(page, f"home-{viewport}")
    assert serious_accessibility_violations(page) == []
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.get_by_role("link", name="Read the guidelines").click()
    expect(page.get_by_role("heading", name="Social media guidelines")).to_be_visible()
    screenshot(page, f"guidelines-{viewport}")
    assert serious_accessibility_violations(page) == []


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_account_pages_are_accessible_on_a_phone(page):
    for path, name in [
        ("/accounts/login/", "login"),
        ("/accounts/password-reset/", "password-reset"),
        ("/no-such-page/", "not-found"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        screenshot(page, f"{name}-phone")
        assert serious_accessibility_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    UserFactory(email="settled@example.com", password=PASSWORD, profile__onboarded=True)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("settled@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Menu").click()  # on a phone the navigation folds
    page.get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    screenshot(page, "profile-phone")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
