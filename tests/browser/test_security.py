"""Two-step sign-in as a programme admin does it the first time, on a phone, and the
security headers every page answers with."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.conftest import PASSWORD, screenshot, serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def code_for(secret: str) -> str:
    """What an authenticator app shows for the key the page printed."""
    return f"{TOTP(b32decode(secret.replace(' ', ''))).token():06d}"


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_a_new_programme_admin_sets_up_two_step_sign_in_on_a_phone(page, programme_admin):
    page.goto("/admin/")
    page.get_by_label("Email address").fill(programme_admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign-in security")).to_be_visible()
    expect(page.get_by_text("need two-step sign-in before you continue")).to_be_visible()
    page.get_by_role("button", name="Set up two-step sign-in").click()

    expect(page.locator(".qr svg")).to_be_visible()
    screenshot(page, "two-factor-setup-phone")
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    secret = page.locator("code.secret").inner_text()
    page.get_by_label("Code from the app").fill(code_for(secret))
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    assert page.locator(".backup-codes li").count() == 10
    screenshot(page, "two-factor-backup-codes-phone")
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("h1").first).to_contain_text("Advocate Portal")  # the dashboard


def test_pages_answer_with_a_strict_policy_and_admin_pages_with_theirs(page, onboarded_user):
    answer = page.goto("/accounts/login/")
    headers = answer.headers
    policy = headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert re.search(r"style-src 'self' 'nonce-[^']+'", policy)
    assert "camera=()" in headers["permissions-policy"]
    assert "geolocation=()" in headers["permissions-policy"]
    # The programme's colour still applies (its <style> carries the nonce).
    brand = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()"
    )
    assert brand.startswith("#")

    admin = page.goto("/admin/login/")
    assert "frame-ancestors 'self'" in admin.headers["content-security-policy"]
