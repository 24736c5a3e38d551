"""Two-step sign-in (django-otp): required for programme admins, optional for everyone,
walked through with real sign-ins (not ``force_login``)."""

import re
from base64 import b32decode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, two_factor_code, two_factor_device
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(REMOTE_ADDR="192.0.2.10")
    answer = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert answer.status_code == 302
    return client


def waited(device) -> None:
    """As if the person waited out django-otp's slow-down after a wrong code (1 s after
    one failure, doubling with each)."""
    type(device).objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)


def app_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_a_programme_admin_must_set_up_an_authenticator_before_anything_else(
    programme_admin,
):
    client = signed_in(programme_admin)
    answer = client.get("/admin/")
    assert answer.status_code == 302
    assert answer["Location"] == "/me/security/?next=%2Fadmin%2F"
    assert client.get("/me/").status_code == 302
    assert client.post("/recognition/give/", {}).status_code == 403  # no posts either
    page = client.get("/me/security/?next=/admin/")
    assert "need two-step sign-in before you continue" in page.text

    client.post("/me/security/?next=/admin/", {"action": "start"})
    page = client.get("/me/security/?next=/admin/")
    assert "<svg" in page.text
    assert "QR code for your authenticator app" in page.text
    device = TOTPDevice.objects.get(user=programme_admin, confirmed=False)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page.text).group(1)
    secret = secret.replace(" ", "")
    assert b32decode(secret) == device.bin_key  # the key, for people who cannot scan

    wrong = client.post("/me/security/", {"action": "confirm", "code": "000000", "next": "/admin/"})
    assert wrong.status_code == 400
    assert "did not match" in wrong.text
    waited(device)
    done = client.post(
        "/me/security/", {"action": "confirm", "code": app_code(device), "next": "/admin/"}
    )
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.text)
    assert len(codes) == 10
    assert 'href="/admin/"' in done.text
    assert client.get("/admin/").status_code == 200  # this session is verified now


def test_signing_in_with_two_step_asks_for_the_code_and_takes_a_backup_code_once():
    person = UserFactory(password=PASSWORD, profile__onboarded=True)
    device = two_factor_device(person)
    from portal.people.twofactor import backup_codes_new

    codes = backup_codes_new(user=person)

    client = signed_in(person)
    answer = client.get("/hub/")
    assert answer["Location"] == "/accounts/two-factor/?next=%2Fhub%2F"
    assert client.post("/accounts/two-factor/", {"code": "123"}).status_code == 400
    assert client.post("/accounts/two-factor/", {"code": "\x00"}).status_code == 400
    waited(device)
    answer = client.post("/accounts/two-factor/", {"code": app_code(device), "next": "/hub/"})
    assert answer["Location"] == "/hub/"
    assert client.get("/hub/").status_code == 200

    other = signed_in(person)
    answer = other.post("/accounts/two-factor/", {"code": codes[0].upper()})
    assert answer.status_code == 302
    assert StaticToken.objects.filter(device__user=person).count() == 9
    third = signed_in(person)
    assert third.post("/accounts/two-factor/", {"code": codes[0]}).status_code == 400


def test_guessing_codes_is_slowed_down():
    person = UserFactory(password=PASSWORD, profile__onboarded=True)
    device = two_factor_device(person)
    client = signed_in(person)
    for guess in ("111111", "222222"):
        client.post("/accounts/two-factor/", {"code": guess})
    # django-otp's throttle: after failures, even the right code waits a little.
    answer = client.post("/accounts/two-factor/", {"code": app_code(device)})
    assert answer.status_code == 400
    assert "Verification temporarily disabled" in answer.text


def test_two_step_is_optional_for_an_advocate_and_off_needs_the_password():
    person = UserFactory(password=PASSWORD, profile__onboarded=True)
    client = signed_in(person)
    assert client.get("/me/").status_code == 200  # not forced
    assert "Sign-in security" in client.get("/me/profile/").text
    client.post("/me/security/", {"action": "start"})
    device = TOTPDevice.objects.get(user=person)
    client.post("/me/security/", {"action": "confirm", "code": app_code(device)})
    assert "is <strong>on</strong>" in client.get("/me/security/").text

    refused = client.post("/me/security/", {"action": "off", "password": "not mine"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=person).exists()
    client.post("/me/security/", {"action": "off", "password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert signed_in(person).get("/me/").status_code == 200  # no code asked any more


def test_a_programme_admin_cannot_turn_it_off(client, programme_admin):
    client.force_login(programme_admin)
    page = client.get("/me/security/")
    assert "must keep two-step sign-in on" in page.text
    client.post("/me/security/", {"action": "off", "password": PASSWORD})
    assert TOTPDevice.objects.filter(user=programme_admin, confirmed=True).exists()


def test_people_without_two_step_pay_no_query_for_it(client, onboarded_user):
    client.force_login(onboarded_user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/me/").status_code == 200
    assert not [query for query in queries if "otp_" in query["sql"]]


def test_the_requirement_can_be_switched_off(settings, programme_admin):
    settings.TWO_FACTOR_REQUIRED = False
    assert signed_in(programme_admin).get("/admin/").status_code == 200


def test_the_browser_sign_in_helper_matches_the_app(programme_admin):
    # tests/browser sign in with this code: it is what an authenticator shows now.
    device = two_factor_device(programme_admin)
    assert two_factor_code(programme_admin) == app_code(device)
