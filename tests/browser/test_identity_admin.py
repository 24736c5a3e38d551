"""The Sign-on and provisioning screen as a programme admin uses it: a SCIM token made,
shown once, revoked."""

import re

import pytest
from playwright.sync_api import expect

from portal.identity.models import ScimToken
from tests.browser.test_training import sign_in
from tests.conftest import screenshot, serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_programme_admin_makes_and_revokes_a_scim_token(page, programme_admin):
    sign_in(page, programme_admin.email)
    page.goto("/admin/identity/")
    expect(page.get_by_role("heading", name="Sign-on and provisioning")).to_be_visible()
    page.get_by_label("Name of a new token").fill("entra-id")
    page.get_by_role("button", name="Make a token").click()

    token = page.locator("code.scim-token").inner_text()
    assert re.fullmatch(r"scim_[\w-]{40,}", token)
    expect(page.get_by_label("Name of a new token")).to_have_value("")
    screenshot(page, "identity-admin-token")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Token “entra-id” revoked")).to_be_visible()
    assert token not in page.content()  # shown once only
    assert ScimToken.objects.active().count() == 0
