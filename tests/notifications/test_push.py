"""Web Push against a real push service (npm web-push-testing on 127.0.0.1: it checks
the portal's VAPID signature and decrypts the message): the kinds a person chose reach
their devices, subscriptions the service calls gone are removed, bad subscriptions are
refused."""

import json

import pytest
from django.urls import reverse

from portal.notifications import push
from portal.notifications.models import PushChoice, PushSubscription
from portal.notifications.services import notification_send
from tests.people.factories import UserFactory
from tests.servers import WebPushService

pytestmark = [pytest.mark.django_db, pytest.mark.counterpart]


@pytest.fixture(scope="module")
def push_service():
    service = WebPushService().start()
    yield service
    service.stop()


def device(push_service, user) -> dict:
    subscription = push_service.subscribe(push.push_key().public_key)
    push.subscription_save(
        user=user,
        endpoint=subscription["endpoint"],
        p256dh=subscription["keys"]["p256dh"],
        auth=subscription["keys"]["auth"],
    )
    return subscription


def test_chosen_kinds_reach_every_device_and_others_do_not(
    push_service, django_capture_on_commit_callbacks
):
    person = UserFactory(profile__onboarded=True)
    phone, laptop = device(push_service, person), device(push_service, person)
    push.choices_save(user=person, badges=True, recognition=False, mentoring=True, content=False)
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=person, kind="badge", title="You earned Storyteller",
                          body="Three shares in your own words.", url="/me/badges/")  # fmt: skip
        notification_send(user=person, kind="recognition", title="Ada recognised you")
        notification_send(user=person, kind="export", title="Your export is ready")
    for subscription in (phone, laptop):
        [message] = [json.loads(text) for text in push_service.received(subscription)]
        assert message["title"] == "You earned Storyteller"
        assert message["body"] == "Three shares in your own words."
        assert message["url"] == "/me/badges/"


def test_nothing_is_pushed_to_people_who_chose_nothing(
    push_service, django_capture_on_commit_callbacks
):
    person = UserFactory(profile__onboarded=True)
    phone = device(push_service, person)
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=person, kind="badge", title="A badge")
    assert push_service.received(phone) == []


def test_a_subscription_the_service_calls_gone_is_removed(
    push_service, django_capture_on_commit_callbacks
):
    person = UserFactory(profile__onboarded=True)
    kept, gone = device(push_service, person), device(push_service, person)
    push.choices_save(user=person, badges=True, recognition=True, mentoring=True, content=True)
    push_service.expire(gone)
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=person, kind="nudge", title="Your mentor says hi")
    assert len(push_service.received(kept)) == 1
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [kept["endpoint"]]


def test_an_unreachable_service_loses_nothing_else():
    person = UserFactory(profile__onboarded=True)
    PushSubscription.objects.create(
        user=person, endpoint="http://localhost:9/notify/x", p256dh="B" + "A" * 86, auth="A" * 22
    )
    push.choices_save(user=person, badges=True, recognition=True, mentoring=True, content=True)
    note = notification_send(user=person, kind="badge", title="A badge")
    assert push.pushes_send.call([note.pk])["failed"] == 1
    assert PushSubscription.objects.filter(user=person).exists()  # tried again next time


def test_the_browser_hands_over_its_subscription(client, push_service):
    person = UserFactory(profile__onboarded=True)
    client.force_login(person)
    subscription = push_service.subscribe(push.push_key().public_key)
    url = reverse("notifications:push_subscribe")
    response = client.post(url, subscription, content_type="application/json")
    assert response.status_code == 201
    assert client.post(url, subscription, content_type="application/json").status_code == 201
    assert PushSubscription.objects.filter(user=person).count() == 1  # a retry: still one
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "1 device receives your notifications" in page
    assert push.push_key().public_key in page
    off = client.post(
        reverse("notifications:push_unsubscribe"),
        {"endpoint": subscription["endpoint"]},
        content_type="application/json",
    )
    assert off.json() == {"removed": True, "devices": 0}
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        json.dumps({"endpoint": "https://evil.example.org/x",
                    "keys": {"p256dh": "B" + "A" * 86, "auth": "A" * 22}}).encode(),
        json.dumps({"endpoint": "http://127.0.0.1:6379/",
                    "keys": {"p256dh": "B" + "A" * 86, "auth": "A" * 22}}).encode(),
        json.dumps({"endpoint": "https://fcm.googleapis.com/x\u0000",
                    "keys": {"p256dh": "short", "auth": "A" * 22}}).encode(),
        json.dumps({"endpoint": "https://fcm.googleapis.com/x", "keys": "no"}).encode(),
    ],
)  # fmt: skip
def test_anything_but_a_push_services_subscription_is_refused(client, body, settings):
    settings.WEB_PUSH_SERVICES = ["fcm.googleapis.com"]
    settings.DEBUG_PUSH_HTTP = False
    client.force_login(UserFactory(profile__onboarded=True))
    response = client.post(
        reverse("notifications:push_subscribe"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "error" in response.json()
    assert not PushSubscription.objects.exists()
    odd = client.post(
        reverse("notifications:push_unsubscribe"), b"\x00{", content_type="application/json"
    )
    assert odd.status_code == 400


def test_people_choose_the_kinds_on_the_settings_page(client):
    person = UserFactory(profile__onboarded=True)
    client.force_login(person)
    response = client.post(
        reverse("notifications:settings"),
        {"push-badges": "on", "push-content": "on", "push-save": "1"},
    )
    assert response.status_code == 302
    choice = PushChoice.objects.get(user=person)
    assert (choice.badges, choice.recognition, choice.mentoring, choice.content) == (
        True, False, False, True,
    )  # fmt: skip
