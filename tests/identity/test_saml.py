"""Single sign-on with SAML 2.0, end to end in Chromium against pysaml2's identity
provider started on 127.0.0.1 (signed assertions, checked with xmlsec1)."""

import re
import urllib.request

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from portal.people.models import User
from tests.conftest import _start_daphne, _stop_daphne
from tests.identity.test_oidc import BACKENDS
from tests.people.factories import UserFactory
from tests.servers import SamlIdentityProvider, free_port

ACCOUNTS = {
    "ada@example.com": {
        "mail": ["ada@example.com"],
        "givenName": ["Ada"],
        "sn": ["Lovelace"],
        "departmentNumber": ["Sales"],
        "ou": ["North"],
        "title": ["Account manager"],
        "l": ["Lyon"],
        "manager": ["boss@example.com"],
    },
}


def saml_settings(**extra):
    return override_settings(
        SAML_PROVIDER_NAME="Example Corp",
        AUTHENTICATION_BACKENDS=[*BACKENDS[:3], "portal.identity.saml.Backend"],
        **extra,
    )


@pytest.fixture
def saml_portal(django_db_blocker, chromium):
    provider = SamlIdentityProvider(accounts=ACCOUNTS).start()
    with saml_settings(SAML_IDP_METADATA_URL=provider.metadata_url):
        process, url = _start_daphne(django_db_blocker)
        # The provider trusts the portal by its metadata, as an IT team would set it up.
        with urllib.request.urlopen(f"{url}/saml2/metadata/") as answer:  # noqa: S310
            provider.sp_metadata_file.write_bytes(answer.read())
        context = chromium.new_context(base_url=url, viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            _stop_daphne(process)
            provider.stop()


@pytest.mark.browser
@pytest.mark.counterpart
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_people_sign_in_with_the_company_saml_provider(saml_portal):
    page = saml_portal
    boss = UserFactory(email="boss@example.com")
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Example Corp").click()
    expect(page.get_by_role("heading", name="Sign in at the identity provider")).to_be_visible()
    page.get_by_label("Login").fill("ada@example.com")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/onboarding/"))
    ada = User.objects.select_related("profile__team__department", "profile__manager").get(
        email="ada@example.com"
    )
    profile = ada.profile
    assert (ada.first_name, ada.last_name) == ("Ada", "Lovelace")
    assert (profile.department.name, profile.team.name) == ("Sales", "North")
    assert (profile.job_role, profile.location, profile.manager) == (
        "Account manager",
        "Lyon",
        boss,
    )


@pytest.mark.django_db
def test_an_unreachable_saml_provider_stops_only_single_sign_on(client):
    with saml_settings(SAML_IDP_METADATA_URL=f"http://127.0.0.1:{free_port()}/metadata"):
        assert b"Sign in with Example Corp" in client.get("/accounts/login/").content
        answer = client.get("/saml2/login/")
    assert answer.status_code == 503
    assert b"Sign-in with Example Corp is unavailable" in answer.content


@pytest.mark.django_db
def test_a_forged_answer_goes_back_to_sign_in(client, tmp_path):
    provider = SamlIdentityProvider(accounts=ACCOUNTS).start()
    try:
        with saml_settings(SAML_IDP_METADATA_URL=provider.metadata_url):
            answer = client.post("/saml2/acs/", {"SAMLResponse": "PHNhbWxwOlJlc3BvbnNlLz4="})
    finally:
        provider.stop()
    assert answer.status_code in (302, 400, 403)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_admin_screen_checks_the_saml_provider(client, programme_admin):
    client.force_login(programme_admin)
    session = client.session
    session["two_factor"] = {"device": False, "required": False}
    session.save()
    provider = SamlIdentityProvider(accounts=ACCOUNTS).start()
    try:
        with saml_settings(SAML_IDP_METADATA_URL=provider.metadata_url):
            page = client.get("/admin/identity/?check=1")
    finally:
        provider.stop()
    assert page.status_code == 200
    assert b"metadata loaded and was accepted" in page.content
    with saml_settings(SAML_IDP_METADATA_URL=f"http://127.0.0.1:{free_port()}/metadata"):
        page = client.get("/admin/identity/?check=1")
    assert b"did not load from" in page.content


@pytest.mark.django_db
def test_metadata_that_is_not_metadata_gives_a_page_not_a_500(client, tmp_path):
    broken = tmp_path / "idp.xml"
    broken.write_text("<html>this is a login page, not metadata</html>")
    with saml_settings(SAML_IDP_METADATA_FILE=str(broken)):
        answer = client.get("/saml2/login/")
    assert answer.status_code == 503
    assert b"were refused" in answer.content
