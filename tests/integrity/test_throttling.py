"""Sign-in throttling (django-axes) and the password-reset rate limit: a guesser is
stopped per account and network, the person can still sign in from elsewhere, failed
attempts are on record without any address, and the records go with retention and
erasure."""

import itertools
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.privacy.erasure import person_erase
from portal.privacy.retention import retention_apply
from tests.conftest import PASSWORD
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

_networks = itertools.count(1)


def client_from_new_network() -> Client:
    """A client on a network no other test used (rate limits live in the cache)."""
    number = next(_networks)
    return Client(REMOTE_ADDR=f"198.{18 + number // 250}.{number % 250}.7")


def sign_in(client, email, password, path="/accounts/login/"):
    return client.post(path, {"username": email, "password": password})


def test_five_wrong_passwords_pause_the_account_for_that_network_only():
    person = UserFactory(password=PASSWORD, profile__onboarded=True)
    guesser = client_from_new_network()
    for attempt in range(4):
        answer = sign_in(guesser, person.email, f"guess-{attempt}")
        assert answer.status_code == 200, attempt  # the form again, "incorrect"
    assert sign_in(guesser, person.email, "guess-5").status_code == 429  # the fifth pauses
    locked = sign_in(guesser, person.email, PASSWORD)  # even the right password now
    assert locked.status_code == 429
    assert "Too many attempts" in locked.text
    assert "paused for 15 minutes" in locked.text
    assert "_auth_user_id" not in guesser.session

    # The person at their own desk (another network) signs in as usual.
    own = client_from_new_network()
    assert sign_in(own, person.email, PASSWORD).status_code == 302
    assert own.session["_auth_user_id"] == str(person.pk)


def test_failed_attempts_are_recorded_without_an_address():
    person = UserFactory(password=PASSWORD)
    guesser = Client(REMOTE_ADDR="203.0.113.45")
    for _ in range(3):
        sign_in(guesser, person.email, "wrong")
    records = list(AccessFailureLog.objects.filter(username=person.email))
    assert len(records) == 3
    for record in records:
        assert record.ip_address.startswith("fd")  # a keyed pseudonym of the /24
        assert "203.0.113" not in record.ip_address
    attempt = AccessAttempt.objects.get(username=person.email)
    assert "203.0.113" not in attempt.get_data + attempt.post_data
    assert "wrong" not in attempt.post_data  # axes masks the password
    # The same network gets the same pseudonym, so attempts add up per network.
    neighbour = Client(REMOTE_ADDR="203.0.113.99")
    sign_in(neighbour, person.email, "wrong")
    assert AccessAttempt.objects.get(username=person.email).failures_since_start == 4


def test_a_successful_sign_in_resets_the_count():
    person = UserFactory(password=PASSWORD)
    client = client_from_new_network()
    for _ in range(4):
        sign_in(client, person.email, "wrong")
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, person.email, "wrong").status_code == 200
    assert sign_in(client, person.email, PASSWORD).status_code == 302


def test_the_wagtail_admin_sign_in_is_throttled_too(programme_admin):
    guesser = client_from_new_network()
    for _ in range(5):
        sign_in(guesser, programme_admin.email, "wrong", path="/admin/login/")
    assert sign_in(guesser, programme_admin.email, PASSWORD, "/admin/login/").status_code == 429


def test_password_reset_requests_are_rate_limited_per_address():
    person = UserFactory(password=PASSWORD)
    client = client_from_new_network()
    answers = [client.post("/accounts/password-reset/", {"email": person.email}) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [302, 302, 302, 429, 429]
    assert "Too many requests" in answers[-1].text
    assert len(mail.outbox) == 3
    # Another address from the same network is not affected by that one's limit.
    other = UserFactory(password=PASSWORD)
    assert client.post("/accounts/password-reset/", {"email": other.email}).status_code == 302


def test_password_reset_requests_are_rate_limited_per_network(settings):
    settings.PASSWORD_RESET_RATE_PER_NETWORK = "4/h"
    client = client_from_new_network()
    answers = [
        client.post("/accounts/password-reset/", {"email": f"probe{n}@example.com"})
        for n in range(6)
    ]
    assert [answer.status_code for answer in answers] == [302] * 4 + [429] * 2


def test_sign_in_records_go_with_retention_and_erasure():
    person = UserFactory(password=PASSWORD)
    stayer = UserFactory(password=PASSWORD)
    client = client_from_new_network()
    for email in (person.email, stayer.email):
        sign_in(client, email, "wrong")
    person_erase(user=person)
    assert not AccessFailureLog.objects.filter(username=person.email).exists()
    assert not AccessAttempt.objects.filter(username=person.email).exists()
    assert AccessFailureLog.objects.filter(username=stayer.email).exists()

    old = timezone.now() - timedelta(days=91)
    AccessFailureLog.objects.update(attempt_time=old)
    AccessAttempt.objects.update(attempt_time=old)
    report = retention_apply()
    assert report.removed["failed sign-in records"] == 1
    assert report.removed["sign-in attempt counters"] == 1
    assert not AccessFailureLog.objects.exists()
