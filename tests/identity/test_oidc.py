"""Single sign-on with OpenID Connect, end to end in Chromium against a real OpenID
Provider (npm ``oidc-provider``) started on 127.0.0.1, and what the portal does when the
provider is down."""

import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from portal.people.models import User
from tests.conftest import PASSWORD, _start_daphne, _stop_daphne, screenshot
from tests.people.factories import TeamFactory, UserFactory
from tests.servers import OpenIDProvider, free_port

BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    "portal.identity.oidc.Backend",
]
ACCOUNTS = {
    "ada@example.com": {
        "email": "ada@example.com",
        "email_verified": True,
        "given_name": "Ada",
        "family_name": "Lovelace",
        "department": "Sales",
        "team": "North",
        "job_title": "Account manager",
        "location": "Lyon",
        "manager_email": "boss@example.com",
    },
    "bo@example.com": {
        "email": "Bo@Example.com",
        "given_name": "Bo",
        "family_name": "Berg",
        "department": "Marketing",
        "team": "Brand",
    },
}


def oidc_settings(issuer: str, **extra):
    return override_settings(
        OIDC_ISSUER=issuer,
        OIDC_RP_CLIENT_ID="advocate-portal",
        OIDC_RP_CLIENT_SECRET="tests-only-client-secret",
        OIDC_PROVIDER_NAME="Example Corp",
        AUTHENTICATION_BACKENDS=BACKENDS,
        **extra,
    )


@pytest.fixture
def sso_portal(django_db_blocker, chromium):
    """The portal (a daphne of its own, forked with these settings) and the provider."""
    provider = OpenIDProvider(
        accounts=ACCOUNTS, client_id="advocate-portal", client_secret="tests-only-client-secret"
    )
    with oidc_settings(provider.issuer, PASSWORD_SIGN_IN=False):
        process, url = _start_daphne(django_db_blocker)
        provider.start(portal_url=url)
        context = chromium.new_context(base_url=url, viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.set_default_timeout(15_000)
        # The provider's own pages ask for web fonts; nothing leaves this machine.
        page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
        try:
            yield page, provider
        finally:
            context.close()
            provider.stop()
            _stop_daphne(process)


def sign_in_at_provider(page, login: str):
    page.get_by_role("link", name="Sign in with Example Corp").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("anything")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent


@pytest.mark.browser
@pytest.mark.counterpart
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_people_sign_in_with_the_company_provider_and_out_of_it(sso_portal):
    page, _ = sso_portal
    boss = UserFactory(email="boss@example.com")
    old_team = TeamFactory(name="Old team", department__name="Old department")
    bo = UserFactory(
        email="bo@example.com",
        profile__department=old_team.department,
        profile__team=old_team,
        profile__onboarded=True,
    )

    # The sign-in page offers the company's provider; the password form is hidden.
    page.goto("/accounts/login/")
    expect(page.get_by_role("link", name="Sign in with Example Corp")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_count(0)
    screenshot(page, "sign-in-with-provider")

    # A new person: made at first sign-in, from the provider's claims, then onboarding.
    sign_in_at_provider(page, "ada@example.com")
    expect(page).to_have_url(re.compile(r"/onboarding/"))
    ada = User.objects.select_related("profile__team__department", "profile__manager").get(
        email="ada@example.com"
    )
    assert (ada.first_name, ada.last_name) == ("Ada", "Lovelace")
    profile = ada.profile
    assert (profile.department.name, profile.team.name) == ("Sales", "North")
    assert (profile.job_role, profile.location, profile.manager) == (
        "Account manager",
        "Lyon",
        boss,
    )
    assert not ada.has_usable_password()

    # Signing out ends the provider's session too (RP-initiated logout).
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign out of the identity provider?")).to_be_visible()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/$"))
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()

    # So the next sign-in asks the provider for a login again; an existing person is
    # matched by email (whatever its case) and updated from the claims.
    page.goto("/accounts/login/")
    sign_in_at_provider(page, "bo@example.com")
    expect(page).to_have_url(re.compile(r"/me/$"))
    bo.refresh_from_db()
    bo.profile.refresh_from_db()
    assert (bo.first_name, bo.profile.department.name, bo.profile.team.name) == (
        "Bo",
        "Marketing",
        "Brand",
    )
    assert bo.has_usable_password()  # a password they had stays theirs
    assert User.objects.filter(email__iexact="bo@example.com").count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_password_form_is_still_there_for_administrators(sso_portal, programme_admin):
    page, _ = sso_portal
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with a password instead").click()
    page.get_by_label("Email address").fill(programme_admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    # A programme admin signing in with a password still owes the portal's second step.
    expect(page.get_by_role("heading", name="Sign-in security")).to_be_visible()


# --- without a browser ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_provider_that_is_down_stops_only_single_sign_on(client, onboarded_user):
    closed = f"http://127.0.0.1:{free_port()}"
    with oidc_settings(closed):
        page = client.get("/accounts/login/")
        assert b"Sign in with Example Corp" in page.content
        answer = client.get("/oidc/authenticate/")
        assert answer.status_code == 503
        assert b"Sign-in with Example Corp is unavailable" in answer.content
        assert b"tests-only-client-secret" not in answer.content
        # Password sign-in does not touch the provider.
        signed_in = client.post(
            "/accounts/login/", {"username": onboarded_user.email, "password": PASSWORD}
        )
        assert signed_in.status_code == 302


@pytest.mark.django_db
def test_a_callback_without_its_state_goes_back_to_sign_in(client):
    with oidc_settings(f"http://127.0.0.1:{free_port()}"):
        answer = client.get("/oidc/callback/", {"code": "x", "state": "y"}, follow=True)
    assert answer.redirect_chain[-1][0] == "/accounts/login/"
    assert b"Sign-in with Example Corp did not complete" in answer.content


@pytest.mark.django_db
def test_single_sign_on_pages_are_not_found_when_it_is_not_set_up(client):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404
    assert b"Sign in with" not in client.get("/accounts/login/").content
